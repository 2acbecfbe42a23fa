// SPDX-License-Identifier: MIT
// One invocation attempt as an explicit state machine: frames in, frames out, no I/O.
// (This file is longer than 300 lines because the class is the single choke point for the
// journal: every operation goes through `command()`, every failure through `fail()`.)
import {
  type DescMessage,
  type Message,
  type MessageInitShape,
  create,
  fromBinary,
  toBinary,
} from "@bufbuild/protobuf";
import * as pb from "./gen/protocol_pb.js";
import {
  FrameDecoder,
  FrameTooLargeError,
  REQUESTED_ACK,
  encodeFrame,
  type Frame,
} from "./framing.js";
import { ClosedError, ProtocolError, type RelatedCommand, protocolErrors } from "./errors.js";
import { type Future, type Leaf, type NotificationResult, NotificationTable } from "./futures.js";
import {
  CommandType,
  MessageType,
  commandSchema,
  isCommandType,
  isKnownMessageType,
  isNotificationType,
  messageTypeName,
} from "./message-types.js";
import { decodeNotification } from "./notification.js";
import { type StartFields, decodeInput, decodeStart, encodeOutputValueFrame } from "./hot-codec.js";
import { describeCommand, diffCommand } from "./replay.js";
import { awakeableId } from "./ids.js";
import { encodeSuspension } from "./suspension.js";
import { type Failure, type Target, failureMessage, targetOneof } from "./values.js";

/** Where the machine writes its frames. */
export interface VmOutput {
  write(bytes: Uint8Array): void;
  close(): void;
}

/** Negotiated protocol version. */
export type ProtocolVersion = 5 | 6 | 7;

/** Options of one attempt. */
export interface VmOptions {
  readonly version: ProtocolVersion;
  readonly maxMessageSize?: number;
  /** Compare payload bytes on replay (off for non-deterministic serdes). */
  readonly checkPayloads?: boolean;
}

/** What the StartMessage told us. */
export interface StartInfo {
  readonly id: Uint8Array;
  readonly debugId: string;
  readonly key: string;
  readonly knownEntries: number;
  readonly retryCount: number;
  readonly durationMs: number;
  readonly randomSeed: bigint;
}

/** The lifecycle phases (PROTOCOL.md §4.1). */
export type Phase = "WaitingStart" | "WaitingReplay" | "Replaying" | "Processing" | "Closed";

/** Result proposed for a run, or written as output. */
export type Result = { readonly value: Uint8Array } | { readonly failure: Failure };

/** A call or send target with its payload. */
export interface CallRequest {
  readonly service: string;
  readonly handler: string;
  readonly key?: string;
  readonly parameter: Uint8Array;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly idempotencyKey?: string;
  readonly name?: string;
}

const CANCEL_SIGNAL = 1;
const FIRST_AWAKEABLE_SIGNAL = 17;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The engine of one invocation attempt. */
export class JournalVm {
  readonly version: ProtocolVersion;
  readonly notifications = new NotificationTable();
  private readonly output: VmOutput;
  private readonly decoder: FrameDecoder;
  private readonly checkPayloads: boolean;
  private phaseValue: Phase = "WaitingStart";
  private startInfo: StartInfo | undefined;
  private remainingEntries = 0;
  private readonly replayQueue: Frame[] = [];
  private replayHead = 0;
  private commandIndex = 0;
  private nextCompletionId = 1;
  private nextSignalIndex = FIRST_AWAKEABLE_SIGNAL;
  private inputClosed = false;
  private failure: ProtocolError | undefined;
  private closedAs: ClosedError["reason"] | undefined;
  private readonly state = new Map<string, Uint8Array | null>();
  private partialState = true;
  private readonly proposed = new Map<number, NotificationResult>();
  private readonly replayedRuns = new Set<number>();
  private commandsWritten = 0;

  constructor(output: VmOutput, options: VmOptions) {
    this.output = output;
    this.version = options.version;
    this.checkPayloads = options.checkPayloads ?? true;
    this.decoder = new FrameDecoder(
      options.maxMessageSize !== undefined ? { maxMessageSize: options.maxMessageSize } : {},
    );
  }

  get phase(): Phase {
    return this.phaseValue;
  }
  get isReadyToExecute(): boolean {
    return this.phaseValue === "Replaying" || this.phaseValue === "Processing";
  }
  get isReplaying(): boolean {
    return this.phaseValue === "Replaying";
  }
  get isInputClosed(): boolean {
    return this.inputClosed;
  }
  get isClosed(): boolean {
    return this.phaseValue === "Closed";
  }
  /** The sticky failure, if the attempt failed. */
  get error(): ProtocolError | undefined {
    return this.failure;
  }
  get start(): StartInfo {
    if (this.startInfo === undefined) throw new Error("StartMessage not received yet");
    return this.startInfo;
  }

  // ---- input --------------------------------------------------------------------------------

  /** Feeds bytes from the runtime (any chunking). */
  notifyInput(chunk: Uint8Array): void {
    if (this.phaseValue === "Closed") return;
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      this.fail(
        e instanceof FrameTooLargeError
          ? protocolErrors.frameTooLarge(e.declaredLength, e.maxMessageSize)
          : protocolErrors.malformedMessage("frame", e),
      );
      return;
    }
    for (const frame of frames) {
      if (this.isClosed) return;
      try {
        this.onFrame(frame);
      } catch (e) {
        this.fail(
          e instanceof ProtocolError
            ? e
            : protocolErrors.malformedMessage(messageTypeName(frame.type), e),
        );
      }
    }
  }

  /** The runtime closed the request stream. */
  notifyInputClosed(): void {
    this.inputClosed = true;
    if (this.phaseValue === "Closed") return;
    if (!this.decoder.isIdle) this.fail(protocolErrors.truncatedFrame(this.decoder.bufferedBytes));
    else if (this.phaseValue === "WaitingStart") this.fail(protocolErrors.inputClosedEarly(0, 1));
    else if (this.phaseValue === "WaitingReplay") {
      const expected = this.start.knownEntries;
      this.fail(protocolErrors.inputClosedEarly(expected - this.remainingEntries, expected));
    }
  }

  private onFrame(frame: Frame): void {
    const { type } = frame;
    if (this.phaseValue === "WaitingStart") {
      if (type !== MessageType.Start)
        throw protocolErrors.unexpectedMessage(messageTypeName(type), "waiting for StartMessage");
      this.onStart(decodeStart(frame.payload));
      return;
    }
    // Unknown ids cannot be decoded, whatever the phase (PROTOCOL.md §3: code 500).
    if (!isKnownMessageType(type)) throw protocolErrors.unknownMessageType(type);
    if (this.phaseValue === "WaitingReplay") {
      if (isCommandType(type)) {
        this.replayQueue.push(frame);
      } else if (isNotificationType(type)) {
        const { leaf, result } = decodeNotification(type, frame.payload);
        this.notifications.add(leaf, result);
      } else {
        throw protocolErrors.unexpectedMessage(messageTypeName(type), "receiving the journal");
      }
      if (--this.remainingEntries === 0) this.onJournalComplete();
      return;
    }
    if (isNotificationType(type)) {
      const { leaf, result } = decodeNotification(type, frame.payload);
      this.notifications.add(leaf, result);
    } else if (type === MessageType.ProposeRunCompletionAck && this.version >= 7) {
      const { completionId } = fromBinary(pb.ProposeRunCompletionAckMessageSchema, frame.payload);
      const cached = this.proposed.get(completionId);
      if (cached === undefined) throw protocolErrors.unexpectedAck(completionId);
      this.proposed.delete(completionId);
      this.notifications.add({ kind: "completion", id: completionId }, cached);
    } else if (type >= 0xfc00) {
      // Custom entries are opaque to the runtime and to us.
    } else {
      throw protocolErrors.unexpectedMessage(messageTypeName(type), "executing");
    }
  }

  private onStart(msg: StartFields): void {
    if (msg.knownEntries === 0) throw protocolErrors.knownEntriesZero();
    this.startInfo = {
      id: msg.id,
      debugId: msg.debugId,
      key: msg.key,
      knownEntries: msg.knownEntries,
      retryCount: msg.retryCount,
      durationMs: msg.durationMs,
      randomSeed: msg.randomSeed,
    };
    for (const [key, value] of msg.stateMap) {
      this.state.set(decoder.decode(key), value);
    }
    this.partialState = msg.partialState;
    this.remainingEntries = msg.knownEntries;
    this.phaseValue = "WaitingReplay";
  }

  private onJournalComplete(): void {
    const first = this.replayQueue[0];
    if (first?.type !== CommandType.Input) {
      throw protocolErrors.firstEntryNotInput(
        first === undefined ? "no command" : messageTypeName(first.type),
      );
    }
    this.phaseValue = "Replaying";
  }

  // ---- commands -----------------------------------------------------------------------------

  /**
   * Issues one command: while replaying, checks it against the next journaled one and returns
   * the journaled message; while processing, writes it. The single replay/processing fork.
   */
  private command<S extends DescMessage>(
    type: CommandType,
    schema: S,
    init: MessageInitShape<S>,
    accept: readonly number[] = [type],
  ): { journaled: unknown; type: number } {
    this.assertOpen();
    const index = this.commandIndex++;
    const produced = create(schema, init);
    if (this.phaseValue === "Replaying") {
      const frame = this.replayQueue[this.replayHead]!;
      this.replayQueue[this.replayHead++] = undefined as unknown as Frame;
      if (this.replayHead === this.replayQueue.length) this.phaseValue = "Processing";
      const journaledSchema = commandSchema(frame.type);
      let journaled: Message | undefined;
      try {
        journaled = journaledSchema && fromBinary(journaledSchema, frame.payload);
      } catch (e) {
        throw this.fail(protocolErrors.malformedMessage(messageTypeName(frame.type), e));
      }
      // The related command is the journaled entry at this index: its type and its name.
      const name = entryName(journaled ?? produced);
      const related: RelatedCommand = { index, type: frame.type, ...(name ? { name } : {}) };
      if (!accept.includes(frame.type) || journaled === undefined) {
        throw this.fail(
          protocolErrors.journalMismatch(
            related,
            describeCommand(frame.type, journaled),
            describeCommand(type, produced),
          ),
        );
      }
      if (frame.type === type) {
        const diff = diffCommand(type, schema, journaled, produced, this.checkPayloads);
        if (diff.length > 0) {
          throw this.fail(
            protocolErrors.journalMismatch(
              related,
              `${describeCommand(frame.type, journaled)}`,
              `${describeCommand(type, produced)}  (differs in: ${diff.join(", ")})`,
            ),
          );
        }
      }
      return { journaled, type: frame.type };
    }
    this.commandsWritten++;
    this.output.write(encodeFrame(type, toBinary(schema, produced)));
    return { journaled: undefined, type };
  }

  private allocateCompletion(): number {
    return this.nextCompletionId++;
  }

  /**
   * Reads the invocation's input (command 0). It is always journaled and never compared, so it
   * skips the generic replay check; the journal was checked to start with it.
   */
  sysInput(): { headers: ReadonlyArray<readonly [string, string]>; value: Uint8Array } {
    this.assertOpen();
    if (this.phaseValue !== "Replaying" || this.commandIndex !== 0) {
      throw new Error("The input can only be read once, first");
    }
    this.commandIndex++;
    const frame = this.replayQueue[this.replayHead]!;
    this.replayQueue[this.replayHead++] = undefined as unknown as Frame;
    if (this.replayHead === this.replayQueue.length) this.phaseValue = "Processing";
    try {
      return decodeInput(frame.payload);
    } catch (e) {
      throw this.fail(protocolErrors.malformedMessage(messageTypeName(frame.type), e));
    }
  }

  /** Gets one state value: eagerly from the local view when possible, else lazily. */
  sysGetState(key: string): Leaf {
    const id = this.allocateCompletion();
    const leaf: Leaf = { kind: "completion", id };
    const keyBytes = encoder.encode(key);
    if (this.phaseValue === "Replaying") {
      const next = this.replayQueue[this.replayHead]!.type;
      if (next === CommandType.GetEagerState) {
        const { journaled } = this.command(
          CommandType.GetEagerState,
          pb.GetEagerStateCommandSchema,
          { key: keyBytes },
          [CommandType.GetEagerState],
        );
        const eager = journaled as pb.GetEagerStateCommand;
        this.notifications.addKnown(
          leaf,
          eager.result.case === "value"
            ? { kind: "value", value: eager.result.value.content }
            : { kind: "void" },
        );
      } else {
        this.command(CommandType.GetLazyState, pb.GetLazyStateCommandSchema, {
          key: keyBytes,
          resultCompletionId: id,
        });
      }
      return leaf;
    }
    const known = this.state.get(key);
    if (known !== undefined || !this.partialState) {
      const value = known ?? null;
      this.command(CommandType.GetEagerState, pb.GetEagerStateCommandSchema, {
        key: keyBytes,
        result:
          value === null
            ? { case: "void", value: {} }
            : { case: "value", value: { content: value } },
      });
      this.notifications.addKnown(
        leaf,
        value === null ? { kind: "void" } : { kind: "value", value },
      );
    } else {
      this.command(CommandType.GetLazyState, pb.GetLazyStateCommandSchema, {
        key: keyBytes,
        resultCompletionId: id,
      });
    }
    return leaf;
  }

  /** Lists state keys. */
  sysGetStateKeys(): Leaf {
    const id = this.allocateCompletion();
    const leaf: Leaf = { kind: "completion", id };
    const eager =
      this.phaseValue === "Replaying"
        ? this.replayQueue[this.replayHead]!.type === CommandType.GetEagerStateKeys
        : !this.partialState;
    if (eager) {
      const keys = [...this.state]
        .filter(([, v]) => v !== null)
        .map(([k]) => k)
        .sort();
      const { journaled } = this.command(
        CommandType.GetEagerStateKeys,
        pb.GetEagerStateKeysCommandSchema,
        {
          value: { keys: keys.map((k) => encoder.encode(k)) },
        },
      );
      const replayed = journaled as pb.GetEagerStateKeysCommand | undefined;
      const result = replayed ? (replayed.value?.keys ?? []).map((k) => decoder.decode(k)) : keys;
      this.notifications.addKnown(leaf, { kind: "stateKeys", keys: result });
    } else {
      this.command(CommandType.GetLazyStateKeys, pb.GetLazyStateKeysCommandSchema, {
        resultCompletionId: id,
      });
    }
    return leaf;
  }

  sysSetState(key: string, value: Uint8Array): void {
    this.command(CommandType.SetState, pb.SetStateCommandSchema, {
      key: encoder.encode(key),
      value: { content: value },
    });
    this.state.set(key, value);
  }

  sysClearState(key: string): void {
    this.command(CommandType.ClearState, pb.ClearStateCommandSchema, { key: encoder.encode(key) });
    this.state.set(key, null);
  }

  sysClearAllState(): void {
    this.command(CommandType.ClearAllState, pb.ClearAllStateCommandSchema, {});
    this.state.clear();
    this.partialState = false;
  }

  /** Sleeps until `wakeUpTime` (ms since epoch). */
  sysSleep(wakeUpTime: number, name = ""): Leaf {
    const id = this.allocateCompletion();
    this.command(CommandType.Sleep, pb.SleepCommandSchema, {
      wakeUpTime: BigInt(wakeUpTime),
      resultCompletionId: id,
      name,
    });
    return { kind: "completion", id };
  }

  /** Calls a handler; returns the leaves of its invocation id and of its result. */
  sysCall(req: CallRequest): { invocationId: Leaf; result: Leaf } {
    const idLeaf = this.allocateCompletion();
    const resultLeaf = this.allocateCompletion();
    this.command(CommandType.Call, pb.CallCommandSchema, {
      serviceName: req.service,
      handlerName: req.handler,
      parameter: req.parameter,
      headers: (req.headers ?? []).map(([key, value]) => ({ key, value })),
      key: req.key ?? "",
      ...(req.idempotencyKey !== undefined ? { idempotencyKey: req.idempotencyKey } : {}),
      invocationIdNotificationIdx: idLeaf,
      resultCompletionId: resultLeaf,
      name: req.name ?? "",
    });
    return {
      invocationId: { kind: "completion", id: idLeaf },
      result: { kind: "completion", id: resultLeaf },
    };
  }

  /** Sends a one-way call, optionally at `invokeTime` (ms since epoch); returns its id leaf. */
  sysSend(req: CallRequest & { readonly invokeTime?: number }): Leaf {
    const idLeaf = this.allocateCompletion();
    this.command(CommandType.OneWayCall, pb.OneWayCallCommandSchema, {
      serviceName: req.service,
      handlerName: req.handler,
      parameter: req.parameter,
      invokeTime: BigInt(req.invokeTime ?? 0),
      headers: (req.headers ?? []).map(([key, value]) => ({ key, value })),
      key: req.key ?? "",
      ...(req.idempotencyKey !== undefined ? { idempotencyKey: req.idempotencyKey } : {}),
      invocationIdNotificationIdx: idLeaf,
      name: req.name ?? "",
    });
    return { kind: "completion", id: idLeaf };
  }

  /** Starts a run; `mustExecute` is false when the journal already holds its result. */
  sysRun(name = ""): { leaf: Leaf; mustExecute: boolean } {
    const id = this.allocateCompletion();
    const wasReplaying = this.phaseValue === "Replaying";
    this.command(CommandType.Run, pb.RunCommandSchema, { resultCompletionId: id, name });
    if (wasReplaying) this.replayedRuns.add(id);
    const leaf: Leaf = { kind: "completion", id };
    return { leaf, mustExecute: !this.notifications.has(leaf) };
  }

  /** Proposes the result of an executed run closure. */
  proposeRun(completionId: number, result: Result): void {
    this.assertOpen();
    const msg = create(pb.ProposeRunCompletionMessageSchema, {
      resultCompletionId: completionId,
      result:
        "value" in result
          ? { case: "value", value: result.value }
          : { case: "failure", value: failureMessage(result.failure, this.version) },
    });
    if (this.version >= 7) {
      this.proposed.set(
        completionId,
        "value" in result
          ? { kind: "value", value: result.value }
          : { kind: "failure", ...result.failure, metadata: result.failure.metadata ?? [] },
      );
    }
    this.output.write(
      encodeFrame(
        MessageType.ProposeRunCompletion,
        toBinary(pb.ProposeRunCompletionMessageSchema, msg),
        this.version >= 7 ? REQUESTED_ACK : 0,
      ),
    );
  }

  /** Retry counters for a failing run (PROTOCOL.md §9). */
  runRetryInfo(completionId: number): { retryCount: number; durationMs: number } {
    if (this.replayedRuns.has(completionId) && this.commandsWritten === 0) {
      const retryCount = this.start.retryCount;
      return { retryCount, durationMs: retryCount > 0 ? this.start.durationMs : 0 };
    }
    return { retryCount: 0, durationMs: 0 };
  }

  /** Creates an awakeable: its id and the signal leaf to await. */
  sysAwakeable(): { id: string; leaf: Leaf } {
    this.assertOpen();
    const index = this.nextSignalIndex++;
    return { id: awakeableId(this.start.id, index), leaf: { kind: "signal", id: index } };
  }

  sysCompleteAwakeable(id: string, result: Result): void {
    this.command(CommandType.CompleteAwakeable, pb.CompleteAwakeableCommandSchema, {
      awakeableId: id,
      result:
        "value" in result
          ? { case: "value", value: { content: result.value } }
          : { case: "failure", value: failureMessage(result.failure, this.version) },
    });
  }

  /** A named signal of this invocation, to await. */
  sysNamedSignal(name: string): Leaf {
    this.assertOpen();
    return { kind: "named", id: name };
  }

  /** The built-in cancel signal of this invocation. */
  cancelSignal(): Leaf {
    return { kind: "signal", id: CANCEL_SIGNAL };
  }

  /** Sends a signal (by index or name) to another invocation; index 1 cancels it. */
  sysSendSignal(target: string, signal: number | string, result?: Result): void {
    this.command(CommandType.SendSignal, pb.SendSignalCommandSchema, {
      targetInvocationId: target,
      signalId:
        typeof signal === "number"
          ? { case: "idx", value: signal }
          : { case: "name", value: signal },
      result:
        result === undefined
          ? { case: "void", value: {} }
          : "value" in result
            ? { case: "value", value: { content: result.value } }
            : { case: "failure", value: failureMessage(result.failure, this.version) },
    });
  }

  sysAttach(target: Target, name = ""): Leaf {
    const id = this.allocateCompletion();
    this.command(CommandType.AttachInvocation, pb.AttachInvocationCommandSchema, {
      target: targetOneof(target),
      resultCompletionId: id,
      name,
    });
    return { kind: "completion", id };
  }

  sysGetOutput(target: Target, name = ""): Leaf {
    const id = this.allocateCompletion();
    this.command(CommandType.GetInvocationOutput, pb.GetInvocationOutputCommandSchema, {
      target: targetOneof(target),
      resultCompletionId: id,
      name,
    });
    return { kind: "completion", id };
  }

  sysGetPromise(key: string): Leaf {
    const id = this.allocateCompletion();
    this.command(CommandType.GetPromise, pb.GetPromiseCommandSchema, {
      key,
      resultCompletionId: id,
    });
    return { kind: "completion", id };
  }

  sysPeekPromise(key: string): Leaf {
    const id = this.allocateCompletion();
    this.command(CommandType.PeekPromise, pb.PeekPromiseCommandSchema, {
      key,
      resultCompletionId: id,
    });
    return { kind: "completion", id };
  }

  sysCompletePromise(key: string, result: Result): Leaf {
    const id = this.allocateCompletion();
    this.command(CommandType.CompletePromise, pb.CompletePromiseCommandSchema, {
      key,
      completion:
        "value" in result
          ? { case: "completionValue", value: { content: result.value } }
          : { case: "completionFailure", value: failureMessage(result.failure, this.version) },
      resultCompletionId: id,
    });
    return { kind: "completion", id };
  }

  /** Writes the invocation's output (success or terminal failure). */
  sysOutput(result: Result): void {
    this.assertOpen();
    if ("value" in result && this.phaseValue === "Processing") {
      // The common case, encoded without the generic encoder (see hot-codec.ts).
      this.commandIndex++;
      this.commandsWritten++;
      this.output.write(encodeOutputValueFrame(result.value));
      return;
    }
    this.command(CommandType.Output, pb.OutputCommandSchema, {
      result:
        "value" in result
          ? { case: "value", value: { content: result.value } }
          : { case: "failure", value: failureMessage(result.failure, this.version) },
    });
  }

  /** Ends the attempt successfully (after the output). */
  sysEnd(): void {
    this.assertOpen();
    this.output.write(encodeFrame(MessageType.End, new Uint8Array(0)));
    this.close("ended");
  }

  /** Suspends, waiting for any of the unsettled leaves of `futures`. */
  suspend(futures: readonly Future[]): void {
    this.assertOpen();
    this.output.write(
      encodeFrame(
        MessageType.Suspension,
        encodeSuspension(futures, this.notifications, this.version),
      ),
    );
    this.close("suspended");
  }

  /**
   * Fails the attempt: writes an ErrorMessage once and closes. Sticky: later calls return the
   * first error. Returns the error so callers can `throw vm.fail(e)`.
   */
  fail(error: ProtocolError): ProtocolError {
    if (this.failure !== undefined || this.phaseValue === "Closed") return this.failure ?? error;
    this.failure = error;
    const msg = create(pb.ErrorMessageSchema, {
      code: error.code,
      message: error.message,
      stacktrace: error.stack ?? "",
      ...(error.relatedCommand !== undefined
        ? {
            relatedCommandIndex: error.relatedCommand.index,
            relatedCommandType: error.relatedCommand.type,
            ...(error.relatedCommand.name ? { relatedCommandName: error.relatedCommand.name } : {}),
          }
        : {}),
      ...(error.nextRetryDelayMs !== undefined
        ? { nextRetryDelay: BigInt(Math.round(error.nextRetryDelayMs)) }
        : {}),
    });
    this.output.write(encodeFrame(MessageType.Error, toBinary(pb.ErrorMessageSchema, msg)));
    this.close("failed");
    return error;
  }

  /** The index and type the next command will have, for errors raised while preparing it. */
  nextCommand(type: number, name?: string): RelatedCommand {
    return { index: this.commandIndex, type, ...(name ? { name } : {}) };
  }

  private close(reason: ClosedError["reason"]): void {
    this.phaseValue = "Closed";
    this.closedAs = reason;
    this.output.close();
  }

  private assertOpen(): void {
    if (this.phaseValue === "Closed")
      throw this.failure ?? new ClosedError(this.closedAs ?? "ended");
    if (!this.isReadyToExecute)
      throw new Error(
        "The journal is not ready: StartMessage and journal entries are still arriving",
      );
  }
}

/** A command's entry name: `name`, or `entry_name` for SendSignalCommand. */
function entryName(command: object): string {
  const { name, entryName } = command as { name?: unknown; entryName?: unknown };
  return typeof name === "string" ? name : typeof entryName === "string" ? entryName : "";
}
