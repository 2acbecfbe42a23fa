// SPDX-License-Identifier: MIT
// One invocation attempt as an explicit state machine: frames in, frames out, no I/O. The input
// side is journal-reader.ts, the state view state-view.ts, replay matching replay.ts; this class
// is the single choke point: every operation goes through `command()`, every failure `fail()`.
// Just over 500 lines because of that: one `sys*` method per protocol operation, each a few
// lines over private state; what can live elsewhere (gates, codecs, runs) already does.
import type * as pb from "./gen/protocol_pb.js";
import { type ProtocolCodecSlot, protocolCodecSlot } from "./codec.js";
import { CodecOutput } from "./codec-output.js";
import { codecFreeErrorFrame } from "./codec-free-error-frame.js";
import { encodeFrame } from "./framing.js";
import { ClosedError, ProtocolError, protocolErrors } from "./errors.js";
import type { ErrorBehavior, RelatedCommand } from "./errors.js";
import type { Future, Leaf, NotificationTable, Outcome } from "./futures.js";
import { type CommandInit, CommandType, MessageType, messageTypeName } from "./message-types.js";
import { decodeInput, encodeOutputValueFrame } from "./hot-codec.js";
import { JournalReader } from "./journal-reader.js";
import { StateView } from "./state-view.js";
import { callHeaders, matchCommand, unsettledAwait } from "./replay.js";
import { CANCEL_SIGNAL_ID, Cancellation, type CancelOutcome } from "./cancellation.js";
import { RunTracker } from "./runs.js";
import {
  type CallRequest,
  type Result,
  callFields,
  commandFrame,
  errorFrame,
  proposeRunFrame,
  proposedResult,
  resultOneof,
} from "./control-frames.js";
import { awakeableId } from "./ids.js";
import { describeLeaves, suspensionFrame, suspensionInit } from "./suspension.js";
import { type Target, failureMessage, targetOneof } from "./values.js";
import { type Refusal, callRequestRefusal, resultRefusal } from "./version-gates.js";
import { mismatchBehavior, targetRefusal } from "./version-gates.js";
import type { Phase, ProtocolVersion, StartInfo, VmOptions, VmOutput } from "./vm-types.js";

export type { CallRequest, CancelOutcome, Phase, ProtocolVersion, Result, StartInfo };
export type { VmOptions, VmOutput };

const FIRST_AWAKEABLE_SIGNAL = 17;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The engine of one invocation attempt. */
export class JournalVm {
  readonly version: ProtocolVersion;
  readonly notifications: NotificationTable;
  readonly #output: CodecOutput;
  readonly #codec: ProtocolCodecSlot;
  readonly #reader: JournalReader;
  readonly #checkPayloads: boolean;
  readonly #cancellation: Cancellation;
  readonly #onMismatch: ErrorBehavior;
  readonly #runs = new RunTracker();
  #commandIndex = 0;
  #nextCompletionId = 1;
  #nextSignalIndex = FIRST_AWAKEABLE_SIGNAL;
  #failure: ProtocolError | undefined;
  #closedAs: ClosedError["reason"] | undefined;
  #stateView: StateView | undefined;
  #commandsWritten = 0;

  constructor(output: VmOutput, options: VmOptions) {
    this.#codec = options.codec ?? protocolCodecSlot;
    this.#output = new CodecOutput(output, this.#codec, (cause) =>
      this.notifyCodecUnavailable(cause),
    );
    this.version = options.version;
    this.#checkPayloads = options.checkPayloads ?? true;
    this.#onMismatch = options.onJournalMismatch ?? "retry";
    this.#reader = new JournalReader({
      maxMessageSize: options.maxMessageSize,
      acceptsAcks: options.version >= 7,
      takeProposal: (id) => this.#runs.takeProposal(id),
      codec: this.#codec,
    });
    this.notifications = this.#reader.notifications;
    this.#cancellation = new Cancellation(
      this.notifications,
      options.explicitCancellation !== true,
    );
  }

  get phase(): Phase {
    if (this.#closedAs !== undefined) return "Closed";
    const input = this.#reader.phase;
    if (input !== "Ready") return input === "WaitingCodec" ? "WaitingReplay" : input;
    return this.#reader.hasCommands ? "Replaying" : "Processing";
  }
  get isReadyToExecute(): boolean {
    return this.#closedAs === undefined && this.#reader.phase === "Ready";
  }
  /** True once every journaled command has been matched: new commands are written. */
  get isProcessing(): boolean {
    return this.phase === "Processing";
  }
  /** True while journaled commands remain to be matched. */
  get isReplaying(): boolean {
    return this.isReadyToExecute && this.#reader.hasCommands;
  }
  get isInputClosed(): boolean {
    return this.#reader.isInputClosed;
  }
  get isClosed(): boolean {
    return this.#closedAs !== undefined;
  }
  /** The sticky failure, if the attempt failed. */
  get error(): ProtocolError | undefined {
    return this.#failure;
  }
  get start(): StartInfo {
    const start = this.#reader.start;
    if (start === undefined) throw new Error("StartMessage not received yet");
    return start;
  }

  /** The state view, built from the StartMessage's eager state on first use. */
  get #state(): StateView {
    const { stateMap, partialState } = this.#reader.start ?? { stateMap: [], partialState: true };
    return (this.#stateView ??= new StateView(stateMap, partialState));
  }

  // ---- input --------------------------------------------------------------------------------

  /** Feeds bytes from the runtime (any chunking). */
  notifyInput(chunk: Uint8Array): void {
    if (this.isClosed) return;
    const error = this.#reader.push(chunk);
    if (error !== undefined) this.fail(error);
  }

  /** The runtime closed the request stream. */
  notifyInputClosed(): void {
    const error = this.#reader.close();
    if (error !== undefined && !this.isClosed) this.fail(error);
  }

  /** The journal has arrived; replaying it waits for the protobuf codec (codec.ts). */
  get isAwaitingCodec(): boolean {
    return !this.isClosed && this.#reader.phase === "WaitingCodec";
  }

  /** The codec is installed: decodes the journal that waited for it. */
  notifyCodecInstalled(): void {
    const error = this.isAwaitingCodec ? this.#reader.decodeWithCodec() : undefined;
    if (error !== undefined) this.fail(error);
  }

  /**
   * The codec failed to load: fails the attempt now (the runtime retries it), dropping whatever
   * waited for the codec, with an ErrorMessage built without it.
   */
  notifyCodecUnavailable(cause: Error): void {
    if (this.isClosed && !this.#output.isHolding) return;
    const error = protocolErrors.codecUnavailable(cause);
    if (!this.isClosed) {
      this.#failure = error;
      this.#closedAs = "failed";
    }
    this.#output.abandon(codecFreeErrorFrame(error));
  }

  // ---- commands -----------------------------------------------------------------------------

  /**
   * Issues one command: while replaying, checks it against the next journaled one and returns
   * the journaled message; while processing, writes it. The single replay/processing fork.
   */
  #command<T extends CommandType>(type: T, init: CommandInit<T>): unknown {
    this.#assertOpen();
    const index = this.#commandIndex++;
    const journaled = this.#reader.takeCommand();
    if (journaled !== undefined) {
      // A journal with commands was decoded, so the codec is loaded.
      const codec = this.#codec.require();
      const match = matchCommand(codec, journaled, { index, type, init }, this.#checkPayloads);
      if (match instanceof ProtocolError) throw this.fail(match);
      if (!this.#reader.hasCommands) this.#runs.startDeferred();
      return match;
    }
    this.#commandsWritten++;
    this.#output.encode((codec) => commandFrame(codec, type, init));
    return undefined;
  }

  /** A command answered by one completion: allocates its id and returns the leaf to await. */
  #completable<T extends CommandType>(type: T, init: CommandInit<T>): Leaf {
    const id = this.#allocateCompletion();
    this.#command(type, { ...init, resultCompletionId: id });
    return { kind: "completion", id };
  }

  #allocateCompletion(): number {
    return this.#nextCompletionId++;
  }

  /**
   * Reads the invocation's input (command 0). It is always journaled and never compared, so it
   * skips the generic replay check; the journal was checked to start with it.
   */
  sysInput(): { headers: ReadonlyArray<readonly [string, string]>; value: Uint8Array } {
    this.#assertOpen();
    if (this.phase !== "Replaying" || this.#commandIndex !== 0) {
      throw new Error("The input can only be read once, first");
    }
    this.#commandIndex++;
    const frame = this.#reader.takeCommand()!;
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
    const id = this.#allocateCompletion();
    const leaf: Leaf = { kind: "completion", id };
    const keyBytes = encoder.encode(key);
    const isReplaying = this.phase === "Replaying";
    const known = isReplaying ? undefined : this.#state.get(key);
    const isEager = isReplaying
      ? this.#reader.peekCommand()!.type === CommandType.GetEagerState
      : known !== undefined;
    if (!isEager) {
      const init = { key: keyBytes, resultCompletionId: id };
      this.#command(CommandType.GetLazyState, init);
      return leaf;
    }
    const journaled = this.#command(CommandType.GetEagerState, {
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
    const id = this.#allocateCompletion();
    const leaf: Leaf = { kind: "completion", id };
    const eager =
      this.phase === "Replaying"
        ? this.#reader.peekCommand()!.type === CommandType.GetEagerStateKeys
        : !this.#state.isPartial;
    if (!eager) {
      const init = { resultCompletionId: id };
      this.#command(CommandType.GetLazyStateKeys, init);
      return leaf;
    }
    const keys = this.#state.keys();
    const init = { value: { keys: keys.map((k) => encoder.encode(k)) } };
    const replayed = this.#command(CommandType.GetEagerStateKeys, init) as
      pb.GetEagerStateKeysCommand | undefined;
    const result = replayed ? (replayed.value?.keys ?? []).map((k) => decoder.decode(k)) : keys;
    this.notifications.addKnown(leaf, { kind: "stateKeys", keys: result });
    return leaf;
  }

  sysSetState(key: string, value: Uint8Array): void {
    this.#command(CommandType.SetState, {
      key: encoder.encode(key),
      value: { content: value },
    });
    this.#state.set(key, value);
  }

  sysClearState(key: string): void {
    this.#command(CommandType.ClearState, { key: encoder.encode(key) });
    this.#state.clear(key);
  }

  sysClearAllState(): void {
    this.#command(CommandType.ClearAllState, {});
    this.#state.clearAll();
  }

  /** Sleeps until `wakeUpTime` (ms since epoch). */
  sysSleep(wakeUpTime: number, name = ""): Leaf {
    return this.#completable(CommandType.Sleep, {
      wakeUpTime: BigInt(wakeUpTime),
      name,
    });
  }

  /** Calls a handler; returns the leaves of its invocation id and of its result. */
  sysCall(req: CallRequest): { invocationId: Leaf; result: Leaf } {
    this.#refuse(callRequestRefusal(this.version, req), CommandType.Call);
    const idLeaf = this.#allocateCompletion();
    const resultLeaf = this.#allocateCompletion();
    this.#command(CommandType.Call, {
      ...callFields(req),
      invocationIdNotificationIdx: idLeaf,
      resultCompletionId: resultLeaf,
    });
    const invocationId: Leaf = { kind: "completion", id: idLeaf };
    const result: Leaf = { kind: "completion", id: resultLeaf };
    this.#cancellation.trackCall(invocationId);
    return { invocationId, result };
  }

  /**
   * While replaying, the headers of the next journaled command if it is a call or a send;
   * undefined otherwise. Call interceptors start from them, so headers they add on the first
   * attempt (a trace context) are reproduced on replay instead of failing the replay check.
   */
  replayedCallHeaders(): ReadonlyArray<readonly [string, string]> | undefined {
    return callHeaders(this.#reader.peekCommand());
  }

  /** Sends a one-way call, optionally at `invokeTime` (ms since epoch); returns its id leaf. */
  sysSend(req: CallRequest & { readonly invokeTime?: number }): Leaf {
    this.#refuse(callRequestRefusal(this.version, req), CommandType.OneWayCall);
    const idLeaf = this.#allocateCompletion();
    this.#command(CommandType.OneWayCall, {
      ...callFields(req),
      invokeTime: BigInt(req.invokeTime ?? 0),
      invocationIdNotificationIdx: idLeaf,
    });
    return { kind: "completion", id: idLeaf };
  }

  /**
   * Starts a run. `execute` starts its closure: right away while processing; once every
   * journaled command has been matched when the RunCommand was replayed without its result and
   * commands remain; never when the journal holds the result.
   */
  sysRun(name = "", execute: (completionId: number) => void = () => {}): Leaf {
    const id = this.#allocateCompletion();
    const wasReplaying = this.phase === "Replaying";
    this.#command(CommandType.Run, { resultCompletionId: id, name });
    const leaf: Leaf = { kind: "completion", id };
    if (wasReplaying) this.#runs.markReplayed(id);
    if (this.notifications.has(leaf)) return leaf;
    if (this.phase === "Replaying") this.#runs.defer(() => execute(id));
    else execute(id);
    return leaf;
  }

  /** Proposes the result of an executed run closure. */
  proposeRun(completionId: number, result: Result): void {
    this.#assertOpen();
    this.#refuse(resultRefusal(this.version, result));
    if (this.version >= 7) this.#runs.propose(completionId, proposedResult(result));
    this.#output.encode((codec) => proposeRunFrame(codec, completionId, result, this.version));
  }

  /** Retry counters for a failing run (docs/protocol.md section 9). */
  runRetryInfo(completionId: number): { retryCount: number; durationMs: number } {
    if (this.#runs.isReplayed(completionId) && this.#commandsWritten === 0) {
      const retryCount = this.start.retryCount;
      return { retryCount, durationMs: retryCount > 0 ? this.start.durationMs : 0 };
    }
    return { retryCount: 0, durationMs: 0 };
  }

  /** Creates an awakeable: its id and the signal leaf to await. */
  sysAwakeable(): { id: string; leaf: Leaf } {
    this.#assertOpen();
    const index = this.#nextSignalIndex++;
    return { id: awakeableId(this.start.id, index), leaf: { kind: "signal", id: index } };
  }

  sysCompleteAwakeable(id: string, result: Result): void {
    this.#refuse(resultRefusal(this.version, result), CommandType.CompleteAwakeable);
    this.#command(CommandType.CompleteAwakeable, {
      awakeableId: id,
      result: resultOneof(result),
    });
  }

  /** A named signal of this invocation, to await. */
  sysNamedSignal(name: string): Leaf {
    this.#assertOpen();
    return { kind: "named", id: name };
  }

  /** Cancels another invocation (sends it the cancel signal). */
  sysCancel(target: string): void {
    this.sysSendSignal(target, CANCEL_SIGNAL_ID);
  }

  /** Sends a signal (by index or name) to another invocation. */
  sysSendSignal(target: string, signal: number | string, result?: Result): void {
    if (result !== undefined)
      this.#refuse(resultRefusal(this.version, result), CommandType.SendSignal);
    this.#command(CommandType.SendSignal, {
      targetInvocationId: target,
      signalId:
        typeof signal === "number"
          ? { case: "idx", value: signal }
          : { case: "name", value: signal },
      result: result === undefined ? { case: "void", value: {} } : resultOneof(result),
    });
  }

  sysAttach(target: Target, name = ""): Leaf {
    this.#refuse(targetRefusal(this.version, target), CommandType.AttachInvocation, name);
    const init = { target: targetOneof(target), name };
    return this.#completable(CommandType.AttachInvocation, init);
  }

  sysGetOutput(target: Target, name = ""): Leaf {
    this.#refuse(targetRefusal(this.version, target), CommandType.GetInvocationOutput, name);
    const init = { target: targetOneof(target), name };
    return this.#completable(CommandType.GetInvocationOutput, init);
  }

  sysGetPromise(key: string): Leaf {
    return this.#completable(CommandType.GetPromise, { key });
  }

  sysPeekPromise(key: string): Leaf {
    return this.#completable(CommandType.PeekPromise, { key });
  }

  sysCompletePromise(key: string, result: Result): Leaf {
    this.#refuse(resultRefusal(this.version, result), CommandType.CompletePromise);
    return this.#completable(CommandType.CompletePromise, {
      key,
      completion:
        "value" in result
          ? { case: "completionValue", value: { content: result.value } }
          : { case: "completionFailure", value: failureMessage(result.failure) },
    });
  }

  /** Writes the invocation's output (success or terminal failure). */
  sysOutput(result: Result): void {
    this.#assertOpen();
    this.#refuse(resultRefusal(this.version, result), CommandType.Output);
    if ("value" in result && this.phase === "Processing") {
      // The common case, encoded without the generic encoder (see hot-codec.ts).
      this.#commandIndex++;
      this.#commandsWritten++;
      this.#output.write(encodeOutputValueFrame(result.value));
      return;
    }
    this.#command(CommandType.Output, { result: resultOneof(result) });
  }

  /** Ends the attempt successfully (after the output). */
  sysEnd(): void {
    this.#assertOpen();
    this.#output.write(encodeFrame(MessageType.End, new Uint8Array(0)));
    this.#close("ended");
  }

  // ---- awaiting ------------------------------------------------------------------------------

  /** What an await on `future` settles to now: an outcome, the cancel, or nothing yet. */
  awaitOutcome(future: Future): Outcome | CancelOutcome | undefined {
    return this.#cancellation.decide(future);
  }

  /** True once the runtime has delivered this invocation's cancel signal. */
  get isCancelReceived(): boolean {
    return this.#cancellation.isReceived;
  }
  /** The next cancel signal, to await (explicit cancellation); consumed by `deliverCancel`. */
  cancellationLeaf(): Leaf {
    this.#assertOpen();
    return this.#cancellation.leaf;
  }
  /**
   * Consumes the cancel an await settled to: implicit mode cancels the calls made since the last
   * cancel (or fails). Later awaits listen for the next cancel signal.
   */
  deliverCancel(): ProtocolError | undefined {
    try {
      for (const id of this.#cancellation.consume()) this.sysCancel(id);
      return undefined;
    } catch (e) {
      return e instanceof ProtocolError ? e : this.#failure;
    }
  }

  /**
   * Nothing known settles what the handler awaits: suspends on the unsettled leaves (and the
   * cancel signal). While journaled commands remain an unchanged handler cannot get here (its
   * first attempt went on past this await): that fails the attempt as a journal mismatch (570).
   */
  suspend(futures: readonly Future[]): void {
    this.#assertOpen();
    const next = this.#reader.peekCommand();
    if (next !== undefined) {
      const awaited = describeLeaves(futures, this.notifications);
      this.fail(unsettledAwait(this.#commandIndex, next, awaited));
      return;
    }
    const all = [...futures, ...this.#cancellation.suspensionLeaves()];
    // What is awaited is decided now; only the encoding may wait for the codec.
    const init = suspensionInit(all, this.notifications, this.version);
    this.#output.encode((codec) => suspensionFrame(codec, init));
    this.#close("suspended");
  }

  /**
   * Fails the attempt: writes an ErrorMessage once and closes. Sticky: later calls return the
   * first error. Returns the error so callers can `throw vm.fail(e)`.
   */
  fail(error: ProtocolError): ProtocolError {
    if (this.#failure !== undefined || this.isClosed) return this.#failure ?? error;
    const chosen = mismatchBehavior(this.version, error, this.#onMismatch);
    this.#failure = chosen;
    this.#output.encode((codec) => errorFrame(codec, chosen));
    this.#close("failed");
    return chosen;
  }

  /** The index the next command will have. */
  get nextCommandIndex(): number {
    return this.#commandIndex;
  }

  /** The index and type the next command will have, for errors raised while preparing it. */
  nextCommand(type: number, name?: string): RelatedCommand {
    return { index: this.#commandIndex, type, ...(name ? { name } : {}) };
  }

  /**
   * Fails the attempt with what a version gate refused (docs/protocol.md section 14), relating it to the
   * next command when the refused operation is one.
   */
  #refuse(refusal: Refusal | undefined, type?: number, name?: string): void {
    if (refusal === undefined) return;
    this.#assertOpen();
    throw this.fail(refusal(type !== undefined ? this.nextCommand(type, name) : undefined));
  }

  #close(reason: ClosedError["reason"]): void {
    this.#closedAs = reason;
    this.#output.close();
  }

  #assertOpen(): void {
    if (this.isClosed) throw this.#failure ?? new ClosedError(this.#closedAs ?? "ended");
    if (!this.isReadyToExecute)
      throw new Error(
        "The journal is not ready: StartMessage and journal entries are still arriving",
      );
  }
}
