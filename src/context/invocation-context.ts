// SPDX-License-Identifier: MIT
// `ctx`: one object per attempt implementing every context flavour, so the compiler checks the
// implementation against each public context together. It owns what is the attempt's own (run,
// sleep, awakeables, signals, rand, date) and hands state, calls and logging to one module each:
// state-access.ts, outgoing-calls.ts, attempt-logging.ts, handler-request.ts.
import type { JournalVm } from "../journal/vm.js";
import { ProtocolError, type RelatedCommand } from "../journal/errors.js";
import { CommandType } from "../journal/message-types.js";
import { ensureError } from "../errors.js";
import type { Future, Leaf, Outcome } from "../journal/futures.js";
import { DeterministicRandom, v5Seed } from "../journal/rand.js";
import type { Duration } from "../definitions/duration.js";
import { sleepMillis } from "./sleep-duration.js";
import type { Serde } from "../serde/serde.js";
import { json } from "../serde/json.js";
import { binary } from "../serde/binary.js";
import type { Decoded, Scheduler } from "./scheduler.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";
import { FuturePromise, type PromiseHost, type TimerSource } from "./restate-promise.js";
import { type RejectReason, failureFromReason, payloadOf } from "./failures.js";
import { executeRun } from "./run.js";
import type { RunOptions } from "./run-options.js";
import type {
  Client,
  ClientFromDescriptors,
  SendClient,
  SendClientFromDescriptors,
} from "./client-types.js";
import type {
  Service,
  ServiceDefinitionFrom,
  VirtualObject,
  VirtualObjectDefinitionFrom,
  Workflow,
  WorkflowDefinitionFrom,
} from "../definitions/types.js";
import type { Descriptor, HandlerDescriptor } from "../definitions/descriptors.js";
import { WorkflowPromise } from "./workflow-promise.js";
import type { ReplayAwareConsole } from "./console.js";
import type {
  Context,
  InvocationId,
  ObjectContext,
  ObjectSharedContext,
  WorkflowContext,
  WorkflowSharedContext,
  Awakeable,
  ContextDate,
  GenericCall,
  GenericSend,
  InvocationHandle,
  InvocationPromise,
  InvocationReference,
  InvocationTarget,
  OutputResult,
  Rand,
  Request,
  RestatePromise,
  RunAction,
  SendOptions,
  ScopedContext,
} from "./types.js";
import type { Logger } from "./logger.js";
import type { AttemptHooks } from "./attempt-hooks.js";
import type { ContextInit } from "./context-init.js";
import { StateAccess } from "./state-access.js";
import { OutgoingCalls } from "./outgoing-calls.js";
import { ScopedClients } from "./scoped-context.js";
import { AttemptLogging } from "./attempt-logging.js";
import { handlerRequest } from "./handler-request.js";
import { CancellationControl } from "./cancellation-control.js";
import type { ContextInternal } from "./context-internal.js";

export type { ContextInit };

const EMPTY = new Uint8Array(0);
/** What an operation that ended the attempt waits on: the attempt is over, so nothing settles it. */
const NEVER: Future = { kind: "race", children: [] };

/**
 * The implementation of `Context`, `ObjectContext`, `WorkflowContext` and their shared forms.
 * What most handlers never touch (`request()`, `rand`, `console`) is built on first use.
 */
export class InvocationContext
  implements
    Context,
    ObjectContext,
    ObjectSharedContext,
    WorkflowContext,
    WorkflowSharedContext,
    ContextInternal,
    TimerSource,
    PromiseHost
{
  readonly key: string;
  readonly #init: ContextInit;
  readonly #vm: JournalVm;
  readonly #scheduler: Scheduler;
  readonly #now: () => number;
  readonly #state: StateAccess;
  /**
   * The `serde` option of the handler or its service (else JSON): what state, runs, awakeables,
   * signals and promises use when given no serde, as in the official SDK.
   */
  readonly #defaultSerde: Serde<unknown>;
  readonly #calls: OutgoingCalls;
  readonly #logging: AttemptLogging;
  readonly #cancellation: CancellationControl;
  #request: Request | undefined;
  #rand: Rand | undefined;
  /** The attempt's interceptors; undefined unless the handler has run interceptors. */
  #runHooks: AttemptHooks | undefined;
  /** The endpoint's journal value codec; undefined (the common case) journals values as is. */
  readonly #valueCodec: JournalValueCodec | undefined;

  constructor(init: ContextInit) {
    this.#init = init;
    this.#vm = init.vm;
    this.#scheduler = init.scheduler;
    this.#now = init.now;
    this.key = init.vm.start.key;
    this.#defaultSerde = init.handler.defaultSerde ?? json;
    this.#valueCodec = init.valueCodec;
    this.#state = new StateAccess(init.vm, this, this.#defaultSerde);
    const isExplicit = init.handler.explicitCancellation === true;
    this.#cancellation = new CancellationControl(init.vm, this, isExplicit);
    this.#calls = new OutgoingCalls({
      vm: init.vm,
      promises: this,
      now: init.now,
      defaultSerde: this.#defaultSerde,
      onCall: (invocationId) => this.#cancellation.trackCall(invocationId),
    });
    this.#logging = new AttemptLogging(init, () => this.request());
  }

  /** Installs the attempt's interceptors (before the handler runs). */
  useHooks(hooks: AttemptHooks): void {
    if (hooks.hasRunInterceptors) this.#runHooks = hooks;
    this.#calls.useHooks(hooks);
  }

  // ---- the attempt itself ----

  request(): Request {
    return (this.#request ??= handlerRequest(this.#init));
  }

  get rand(): Rand {
    if (this.#rand === undefined) {
      const { start, version } = this.#vm;
      this.#rand = new DeterministicRandom(version === 5 ? v5Seed(start.id) : start.randomSeed);
    }
    return this.#rand;
  }

  get console(): ReplayAwareConsole {
    return this.#logging.console;
  }

  /** Where the SDK logs about this invocation: with its context when the logger is a transport. */
  systemLogger(): Logger {
    return this.#logging.systemLogger();
  }

  // ---- internal.ContextInternal (cancellation-control.ts) ----

  isProcessing(): boolean {
    return this.#vm.isProcessing;
  }
  cancellation(): RestatePromise<void> {
    return this.#cancellation.cancellation();
  }
  cancelPreviousCalls(): RestatePromise<InvocationId[]> {
    return this.#cancellation.cancelPreviousCalls();
  }

  get date(): ContextDate {
    return {
      // Unnamed runs, as the official SDK journals them: the name takes part in the replay check.
      now: () => this.run(() => this.#now()),
      toJSON: () => this.run(() => new Date(this.#now()).toJSON()),
    };
  }

  // ---- durable promises ----

  /** Wraps a future in a durable promise. */
  wrap<T>(future: Future, decode: (outcome: Outcome) => Decoded<T>): FuturePromise<T> {
    return new FuturePromise(this.#scheduler, this, future, decode);
  }

  /**
   * A promise of a single notification's payload, deserialized. `related` is the command whose
   * result it is (none for signals): a failure to read the payload names it, as the official does.
   */
  valuePromise<T>(leaf: Leaf, serde: Serde<T>, related?: RelatedCommand): FuturePromise<T> {
    const codec = this.#valueCodec;
    if (codec === undefined)
      return this.wrap(leaf, (o) => {
        const bytes = payloadOf(o) ?? EMPTY;
        try {
          return serde.deserialize(bytes);
        } catch (e) {
          return this.#unreadable(e, related);
        }
      });
    return this.wrap(leaf, (o) => {
      const payload = payloadOf(o);
      if (payload !== undefined)
        return this.#decodeThen(codec, payload, (b) => serde.deserialize(b), related);
      try {
        return serde.deserialize(EMPTY);
      } catch (e) {
        return this.#unreadable(e, related);
      }
    });
  }

  payloadPromise<T>(
    leaf: Leaf,
    read: (bytes: Uint8Array) => T,
    absent: T,
    related?: RelatedCommand,
  ): FuturePromise<T> {
    const codec = this.#valueCodec;
    return this.wrap(leaf, (o) => {
      const payload = payloadOf(o);
      if (payload === undefined) return absent;
      if (codec !== undefined) return this.#decodeThen(codec, payload, read, related);
      try {
        return read(payload);
      } catch (e) {
        return this.#unreadable(e, related);
      }
    });
  }

  /** `read` of what the journal value codec decodes from `payload`. */
  #decodeThen<T>(
    codec: JournalValueCodec,
    payload: Uint8Array,
    read: (bytes: Uint8Array) => T,
    related: RelatedCommand | undefined,
  ): PromiseLike<T> {
    try {
      return codec
        .decode(payload)
        .then(read)
        .then(undefined, (e: unknown) => this.#unreadable(e, related));
    } catch (e) {
      return this.#unreadable(e, related);
    }
  }

  /**
   * A journaled value that the codec or the serde cannot read back ends the attempt, which the
   * runtime retries, as with the official SDK; the await that asked for it never settles, so the
   * handler cannot catch the failure as its own.
   */
  #unreadable(cause: unknown, related: RelatedCommand | undefined): Promise<never> {
    this.systemLogger().warn("A journaled value could not be read; the runtime will retry:", cause);
    return this.endAttempt(cause, related);
  }

  endAttempt(cause: unknown, related?: RelatedCommand): Promise<never> {
    const error = ensureError(cause);
    this.#vm.fail(
      new ProtocolError(500, error.message, {
        ...(related !== undefined ? { relatedCommand: related } : {}),
        ...(error.stack !== undefined ? { stack: error.stack } : {}),
      }),
    );
    return new Promise<never>(() => undefined);
  }

  /** The command just written, of type `type`: what a failure to read its result names. */
  lastCommand(type: number): RelatedCommand {
    return { index: this.#vm.nextCommandIndex - 1, type };
  }

  encode(bytes: Uint8Array): Uint8Array {
    return this.#valueCodec === undefined ? bytes : this.#valueCodec.encode(bytes);
  }

  serializeFor<T>(type: number, serde: Serde<T>, value: T): Uint8Array | undefined {
    try {
      return this.encode(serde.serialize(value));
    } catch (e) {
      this.systemLogger().warn("A value could not be serialized; the runtime will retry:", e);
      void this.endAttempt(e, this.#vm.nextCommand(type));
      return undefined;
    }
  }

  sleepFuture(duration: Duration, name?: string): Future {
    let ms: number;
    try {
      ms = sleepMillis(duration);
    } catch (e) {
      // As the official SDK: not thrown at the caller; the attempt ends (the runtime retries).
      this.systemLogger().warn("Invalid sleep duration; the runtime will retry:", e);
      void this.endAttempt(e, this.#vm.nextCommand(CommandType.Sleep));
      return NEVER;
    }
    return this.#vm.sysSleep(this.#now() + ms, name);
  }

  run<T>(
    nameOrAction: string | RunAction<T>,
    maybeAction?: RunAction<T>,
    options?: RunOptions<T>,
  ): RestatePromise<T> {
    const [name, action] =
      typeof nameOrAction === "string" ? [nameOrAction, maybeAction] : ["", nameOrAction];
    if (typeof action !== "function") throw new TypeError("ctx.run: missing the action to run");
    const serde = (options?.serde ?? this.#defaultSerde) as Serde<T>;
    const vm = this.#vm;
    const commandIndex = vm.nextCommandIndex;
    const { signals, runFault } = this.#init;
    const { asTerminalError } = this.#init.handler;
    const hooks = this.#runHooks;
    // The engine decides when the closure may start (never while replayed commands remain).
    const leaf = vm.sysRun(name, (completionId) => {
      void executeRun({
        vm,
        scheduler: this.#scheduler,
        completionId,
        commandIndex,
        name,
        action,
        serde,
        options,
        signals,
        ...(runFault !== undefined ? { fault: runFault } : {}),
        ...(hooks !== undefined ? { hooks } : {}),
        ...(asTerminalError !== undefined ? { asTerminalError } : {}),
        ...(this.#valueCodec !== undefined ? { valueCodec: this.#valueCodec } : {}),
      });
    });
    return this.valuePromise(leaf, serde, { index: commandIndex, type: CommandType.Run });
  }

  sleep(duration: Duration, name?: string): RestatePromise<void> {
    return this.wrap(this.sleepFuture(duration, name), () => undefined);
  }

  awakeable<T = unknown>(serde?: Serde<T>): Awakeable<T> {
    const { id, leaf } = this.#vm.sysAwakeable();
    return { id, promise: this.valuePromise(leaf, serde ?? (this.#defaultSerde as Serde<T>)) };
  }

  resolveAwakeable<T>(id: string, value?: T, serde?: Serde<T>): void {
    // As the official SDK: no value is JSON null with the default serde, and empty bytes (the
    // given serde is not asked) with an explicit one.
    const type = CommandType.CompleteAwakeable;
    const bytes =
      serde === undefined
        ? this.serializeFor(type, this.#defaultSerde, value === undefined ? null : value)
        : value === undefined
          ? this.serializeFor(type, binary, EMPTY)
          : this.serializeFor(type, serde, value);
    if (bytes !== undefined) this.#vm.sysCompleteAwakeable(id, { value: bytes });
  }

  rejectAwakeable(id: string, reason: RejectReason): void {
    this.#vm.sysCompleteAwakeable(id, { failure: failureFromReason(reason) });
  }

  signal<T = unknown>(name: string, serde?: Serde<T>): RestatePromise<T> {
    return this.valuePromise(
      this.#vm.sysNamedSignal(name),
      serde ?? (this.#defaultSerde as Serde<T>),
    );
  }

  // ---- other invocations (outgoing-calls.ts) ----

  serviceClient<D>(service: ServiceDefinitionFrom<D>): Client<Service<D>> {
    return this.#calls.client(service) as Client<Service<D>>;
  }
  objectClient<D>(object: VirtualObjectDefinitionFrom<D>, key: string): Client<VirtualObject<D>> {
    return this.#calls.client(object, key) as Client<VirtualObject<D>>;
  }
  workflowClient<D>(workflow: WorkflowDefinitionFrom<D>, key: string): Client<Workflow<D>> {
    return this.#calls.client(workflow, key) as Client<Workflow<D>>;
  }
  serviceSendClient<D>(
    service: ServiceDefinitionFrom<D>,
    options?: SendOptions,
  ): SendClient<Service<D>> {
    return this.#calls.sendClient(service, undefined, options) as SendClient<Service<D>>;
  }
  objectSendClient<D>(
    object: VirtualObjectDefinitionFrom<D>,
    key: string,
    options?: SendOptions,
  ): SendClient<VirtualObject<D>> {
    return this.#calls.sendClient(object, key, options) as SendClient<VirtualObject<D>>;
  }
  workflowSendClient<D>(
    workflow: WorkflowDefinitionFrom<D>,
    key: string,
    options?: SendOptions,
  ): SendClient<Workflow<D>> {
    return this.#calls.sendClient(workflow, key, options) as SendClient<Workflow<D>>;
  }
  client<P extends string, H extends Record<string, HandlerDescriptor>>(
    description: Descriptor<P, H>,
    key?: string,
  ): ClientFromDescriptors<H> {
    return this.#calls.client(description, key) as ClientFromDescriptors<H>;
  }
  sendClient<P extends string, H extends Record<string, HandlerDescriptor>>(
    description: Descriptor<P, H>,
    key?: string,
  ): SendClientFromDescriptors<H> {
    return this.#calls.sendClient(description, key) as SendClientFromDescriptors<H>;
  }

  scope(scopeKey: string): ScopedContext {
    return new ScopedClients(this.#calls, scopeKey);
  }

  genericCall<I = Uint8Array, O = Uint8Array>(call: GenericCall<I, O>): InvocationPromise<O> {
    return this.#calls.genericCall(call);
  }
  genericSend<I = Uint8Array>(send: GenericSend<I>): InvocationHandle {
    return this.#calls.genericSend(send);
  }
  attach<T = unknown>(target: InvocationTarget, serde?: Serde<T>): RestatePromise<T> {
    return this.#calls.attach(target, serde);
  }
  output<T = unknown>(target: InvocationTarget, serde?: Serde<T>): RestatePromise<OutputResult<T>> {
    return this.#calls.output(target, serde);
  }
  cancel(invocationId: string): void {
    this.#calls.cancel(invocationId);
  }
  invocation(invocationId: string): InvocationReference {
    return this.#calls.invocation(invocationId);
  }

  // ---- state of objects and workflows (state-access.ts) ----

  get<T>(name: string, serde?: Serde<T>): RestatePromise<T | null> {
    return this.#state.get(name, serde);
  }
  stateKeys(): RestatePromise<string[]> {
    return this.#state.stateKeys();
  }
  set<T>(name: string, value: T, serde?: Serde<T>): void {
    this.#state.set(name, value, serde);
  }
  clear(name: string): void {
    this.#state.clear(name);
  }
  clearAll(): void {
    this.#state.clearAll();
  }

  // ---- workflows ----

  promise<T>(name: string, serde?: Serde<T>): WorkflowPromise<T> {
    return new WorkflowPromise<T>(this, this.#vm, name, serde ?? (this.#defaultSerde as Serde<T>));
  }
}
