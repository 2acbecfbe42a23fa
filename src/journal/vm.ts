// SPDX-License-Identifier: MIT
// One invocation attempt as an explicit state machine: frames in, frames out, no I/O. The input
// side is journal-reader.ts, the state view state-view.ts, replay matching replay.ts; this class
// is the single choke point: every operation goes through `command()`, every failure `fail()`.
import {
  type DescMessage,
  type MessageInitShape,
  create,
  fromBinary,
  toBinary,
} from "@bufbuild/protobuf";
import * as pb from "./gen/protocol_pb.js";
import { encodeFrame, type Frame } from "./framing.js";
import { ClosedError, ProtocolError, type RelatedCommand, protocolErrors } from "./errors.js";
import type { Future, Leaf, NotificationResult, NotificationTable } from "./futures.js";
import { CommandType, MessageType, messageTypeName } from "./message-types.js";
import { decodeInput, encodeOutputValueFrame } from "./hot-codec.js";
import { JournalReader } from "./journal-reader.js";
import { StateView } from "./state-view.js";
import { matchCommand } from "./replay.js";
import {
  type CallRequest,
  type Result,
  callFields,
  errorFrame,
  proposeRunFrame,
  proposedResult,
  resultOneof,
} from "./control-frames.js";
import { awakeableId } from "./ids.js";
import { encodeSuspension } from "./suspension.js";
import { type Target, failureMessage, targetOneof } from "./values.js";

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

export type { CallRequest, Result };

const CANCEL_SIGNAL = 1;
const FIRST_AWAKEABLE_SIGNAL = 17;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The engine of one invocation attempt. */
export class JournalVm {
  readonly version: ProtocolVersion;
  readonly notifications: NotificationTable;
  private readonly output: VmOutput;
  private readonly reader: JournalReader;
  private readonly checkPayloads: boolean;
  /** Journaled commands consumed so far; replaying while some are left. */
  private replayHead = 0;
  private commandIndex = 0;
  private nextCompletionId = 1;
  private nextSignalIndex = FIRST_AWAKEABLE_SIGNAL;
  private failure: ProtocolError | undefined;
  private closedAs: ClosedError["reason"] | undefined;
  private stateView: StateView | undefined;
  private readonly proposed = new Map<number, NotificationResult>();
  private readonly replayedRuns = new Set<number>();
  private commandsWritten = 0;

  constructor(output: VmOutput, options: VmOptions) {
    this.output = output;
    this.version = options.version;
    this.checkPayloads = options.checkPayloads ?? true;
    this.reader = new JournalReader({
      maxMessageSize: options.maxMessageSize,
      acceptsAcks: options.version >= 7,
      takeProposal: (id) => {
        const proposed = this.proposed.get(id);
        this.proposed.delete(id);
        return proposed;
      },
    });
    this.notifications = this.reader.notifications;
  }

  get phase(): Phase {
    if (this.closedAs !== undefined) return "Closed";
    if (this.reader.phase !== "Ready") return this.reader.phase;
    return this.replayHead < this.reader.commands.length ? "Replaying" : "Processing";
  }
  get isReadyToExecute(): boolean {
    return this.closedAs === undefined && this.reader.phase === "Ready";
  }
  get isReplaying(): boolean {
    return this.phase === "Replaying";
  }
  get isInputClosed(): boolean {
    return this.reader.isInputClosed;
  }
  get isClosed(): boolean {
    return this.closedAs !== undefined;
  }
  /** The sticky failure, if the attempt failed. */
  get error(): ProtocolError | undefined {
    return this.failure;
  }
  get start(): StartInfo {
    const start = this.reader.start;
    if (start === undefined) throw new Error("StartMessage not received yet");
    return start;
  }

  /** The state view, built from the StartMessage's eager state on first use. */
  private get state(): StateView {
    const { stateMap, partialState } = this.reader.start ?? { stateMap: [], partialState: true };
    return (this.stateView ??= new StateView(stateMap, partialState));
  }

  // ---- input --------------------------------------------------------------------------------

  /** Feeds bytes from the runtime (any chunking). */
  notifyInput(chunk: Uint8Array): void {
    if (this.isClosed) return;
    const error = this.reader.push(chunk);
    if (error !== undefined) this.fail(error);
  }

  /** The runtime closed the request stream. */
  notifyInputClosed(): void {
    const error = this.reader.close();
    if (error !== undefined && !this.isClosed) this.fail(error);
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
    if (this.phase === "Replaying") {
      const frame = this.takeReplayed();
      const match = matchCommand(
        frame,
        { index, type, schema, produced, accept },
        this.checkPayloads,
      );
      if (match instanceof ProtocolError) throw this.fail(match);
      return { journaled: match, type: frame.type };
    }
    this.commandsWritten++;
    this.output.write(encodeFrame(type, toBinary(schema, produced)));
    return { journaled: undefined, type };
  }

  /** The next journaled command, consumed. */
  private takeReplayed(): Frame {
    const frame = this.reader.commands[this.replayHead]!;
    // Release the frame: a long journal should not stay in memory once replayed.
    this.reader.commands[this.replayHead++] = undefined as unknown as Frame;
    return frame;
  }

  /** A command answered by one completion: allocates its id and returns the leaf to await. */
  private completable<S extends DescMessage>(
    type: CommandType,
    schema: S,
    init: MessageInitShape<S>,
  ): Leaf {
    const id = this.allocateCompletion();
    this.command(type, schema, { ...init, resultCompletionId: id });
    return { kind: "completion", id };
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
    if (this.phase !== "Replaying" || this.commandIndex !== 0) {
      throw new Error("The input can only be read once, first");
    }
    this.commandIndex++;
    const frame = this.takeReplayed();
    try {
      return decodeInput(frame.payload);
    } catch (e) {
      throw this.fail(protocolErrors.malformedMessage(messageTypeName(frame.type), e));
    }
  }

  /**
   * Gets one state value: eagerly from the local view when it knows the key, else lazily from the
   * runtime. On replay the journaled form decides, and an eager result comes from the journal.
   */
  sysGetState(key: string): Leaf {
    const id = this.allocateCompletion();
    const leaf: Leaf = { kind: "completion", id };
    const keyBytes = encoder.encode(key);
    const isReplaying = this.phase === "Replaying";
    const known = isReplaying ? undefined : this.state.get(key);
    const isEager = isReplaying
      ? this.reader.commands[this.replayHead]!.type === CommandType.GetEagerState
      : known !== undefined;
    if (!isEager) {
      const init = { key: keyBytes, resultCompletionId: id };
      this.command(CommandType.GetLazyState, pb.GetLazyStateCommandSchema, init);
      return leaf;
    }
    const { journaled } = this.command(CommandType.GetEagerState, pb.GetEagerStateCommandSchema, {
      key: keyBytes,
      // On replay the result is the journal's, so the handler's side shows none.
      ...(isReplaying
        ? {}
        : {
            result: known
              ? { case: "value", value: { content: known } }
              : { case: "void", value: {} },
          }),
    });
    const eager = (journaled as pb.GetEagerStateCommand | undefined)?.result;
    const value = eager === undefined ? known : eager.case === "value" ? eager.value.content : null;
    this.notifications.addKnown(leaf, value ? { kind: "value", value } : { kind: "void" });
    return leaf;
  }

  /** Lists state keys. */
  sysGetStateKeys(): Leaf {
    const id = this.allocateCompletion();
    const leaf: Leaf = { kind: "completion", id };
    const eager =
      this.phase === "Replaying"
        ? this.reader.commands[this.replayHead]!.type === CommandType.GetEagerStateKeys
        : !this.state.isPartial;
    if (eager) {
      const keys = this.state.keys();
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
    this.state.clear(key);
  }

  sysClearAllState(): void {
    this.command(CommandType.ClearAllState, pb.ClearAllStateCommandSchema, {});
    this.state.clearAll();
  }

  /** Sleeps until `wakeUpTime` (ms since epoch). */
  sysSleep(wakeUpTime: number, name = ""): Leaf {
    return this.completable(CommandType.Sleep, pb.SleepCommandSchema, {
      wakeUpTime: BigInt(wakeUpTime),
      name,
    });
  }

  /** Calls a handler; returns the leaves of its invocation id and of its result. */
  sysCall(req: CallRequest): { invocationId: Leaf; result: Leaf } {
    const idLeaf = this.allocateCompletion();
    const resultLeaf = this.allocateCompletion();
    this.command(CommandType.Call, pb.CallCommandSchema, {
      ...callFields(req),
      invocationIdNotificationIdx: idLeaf,
      resultCompletionId: resultLeaf,
    });
    return {
      invocationId: { kind: "completion", id: idLeaf },
      result: { kind: "completion", id: resultLeaf },
    };
  }

  /**
   * While replaying, the headers of the next journaled command if it is a call or a send;
   * undefined otherwise. Call interceptors start from them, so headers they add on the first
   * attempt (a trace context) are reproduced on replay instead of failing the replay check.
   */
  replayedCallHeaders(): ReadonlyArray<readonly [string, string]> | undefined {
    if (this.phase !== "Replaying") return undefined;
    const frame = this.reader.commands[this.replayHead];
    if (frame === undefined) return undefined;
    const schema =
      frame.type === CommandType.Call
        ? pb.CallCommandSchema
        : frame.type === CommandType.OneWayCall
          ? pb.OneWayCallCommandSchema
          : undefined;
    if (schema === undefined) return undefined;
    return fromBinary(schema, frame.payload).headers.map((h) => [h.key, h.value] as const);
  }

  /** Sends a one-way call, optionally at `invokeTime` (ms since epoch); returns its id leaf. */
  sysSend(req: CallRequest & { readonly invokeTime?: number }): Leaf {
    const idLeaf = this.allocateCompletion();
    this.command(CommandType.OneWayCall, pb.OneWayCallCommandSchema, {
      ...callFields(req),
      invokeTime: BigInt(req.invokeTime ?? 0),
      invocationIdNotificationIdx: idLeaf,
    });
    return { kind: "completion", id: idLeaf };
  }

  /** Starts a run; `mustExecute` is false when the journal already holds its result. */
  sysRun(name = ""): { leaf: Leaf; mustExecute: boolean } {
    const id = this.allocateCompletion();
    const wasReplaying = this.phase === "Replaying";
    this.command(CommandType.Run, pb.RunCommandSchema, { resultCompletionId: id, name });
    if (wasReplaying) this.replayedRuns.add(id);
    const leaf: Leaf = { kind: "completion", id };
    return { leaf, mustExecute: !this.notifications.has(leaf) };
  }

  /** Proposes the result of an executed run closure. */
  proposeRun(completionId: number, result: Result): void {
    this.assertOpen();
    if (this.version >= 7) this.proposed.set(completionId, proposedResult(result));
    this.output.write(proposeRunFrame(completionId, result, this.version));
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
      result: resultOneof(result, this.version),
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
        result === undefined ? { case: "void", value: {} } : resultOneof(result, this.version),
    });
  }

  sysAttach(target: Target, name = ""): Leaf {
    const init = { target: targetOneof(target), name };
    return this.completable(CommandType.AttachInvocation, pb.AttachInvocationCommandSchema, init);
  }

  sysGetOutput(target: Target, name = ""): Leaf {
    const init = { target: targetOneof(target), name };
    const schema = pb.GetInvocationOutputCommandSchema;
    return this.completable(CommandType.GetInvocationOutput, schema, init);
  }

  sysGetPromise(key: string): Leaf {
    return this.completable(CommandType.GetPromise, pb.GetPromiseCommandSchema, { key });
  }

  sysPeekPromise(key: string): Leaf {
    return this.completable(CommandType.PeekPromise, pb.PeekPromiseCommandSchema, { key });
  }

  sysCompletePromise(key: string, result: Result): Leaf {
    return this.completable(CommandType.CompletePromise, pb.CompletePromiseCommandSchema, {
      key,
      completion:
        "value" in result
          ? { case: "completionValue", value: { content: result.value } }
          : { case: "completionFailure", value: failureMessage(result.failure, this.version) },
    });
  }

  /** Writes the invocation's output (success or terminal failure). */
  sysOutput(result: Result): void {
    this.assertOpen();
    if ("value" in result && this.phase === "Processing") {
      // The common case, encoded without the generic encoder (see hot-codec.ts).
      this.commandIndex++;
      this.commandsWritten++;
      this.output.write(encodeOutputValueFrame(result.value));
      return;
    }
    this.command(CommandType.Output, pb.OutputCommandSchema, {
      result: resultOneof(result, this.version),
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
    if (this.failure !== undefined || this.isClosed) return this.failure ?? error;
    this.failure = error;
    this.output.write(errorFrame(error));
    this.close("failed");
    return error;
  }

  /** The index and type the next command will have, for errors raised while preparing it. */
  nextCommand(type: number, name?: string): RelatedCommand {
    return { index: this.commandIndex, type, ...(name ? { name } : {}) };
  }

  private close(reason: ClosedError["reason"]): void {
    this.closedAs = reason;
    this.output.close();
  }

  private assertOpen(): void {
    if (this.isClosed) throw this.failure ?? new ClosedError(this.closedAs ?? "ended");
    if (!this.isReadyToExecute)
      throw new Error(
        "The journal is not ready: StartMessage and journal entries are still arriving",
      );
  }
}

/** A command's entry name: `name`, or `entry_name` for SendSignalCommand. */
