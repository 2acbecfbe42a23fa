// SPDX-License-Identifier: MIT
// The public shape of `ctx`: what handlers see. Names follow the official TypeScript SDK so that
// Restate's documentation applies unchanged. The implementation lives in invocation-context.ts.
// Over 500 lines because most of it is TSDoc: every member says what it journals, when it suspends
// and what it throws (test/lint/tsdoc.test.ts checks it); the interfaces are one public surface.
import type { Serde } from "../serde/serde.js";
import type { Duration } from "../definitions/duration.js";
import type {
  RestateContext,
  RestateObjectContext,
  RestateObjectSharedContext,
  RestateWorkflowContext,
  RestateWorkflowSharedContext,
  Service,
  ServiceDefinitionFrom,
  VirtualObject,
  VirtualObjectDefinitionFrom,
  Workflow,
  WorkflowDefinitionFrom,
} from "../definitions/types.js";
import type {
  HandlerDescriptor,
  ObjectDescriptor,
  ServiceDescriptor,
  WorkflowDescriptor,
} from "../definitions/descriptors.js";
import type { RunOptions } from "./run-options.js";
import type {
  Client,
  ClientFromDescriptors,
  SendClient,
  SendClientFromDescriptors,
} from "./client-types.js";
import type { ClientCallOptions, ClientSendOptions } from "./call-options.js";
import type {
  InvocationHandle,
  InvocationId,
  InvocationPromise,
  RestatePromise,
} from "./promise-types.js";

export type { InvocationHandle, InvocationId, InvocationPromise, RestatePromise };

/**
 * The handler an invocation runs: service, handler and (objects, workflows) key.
 *
 * @example
 * const { service, handler, key } = ctx.request().target;
 */
export interface Target {
  /** The service, virtual object or workflow name. */
  readonly service: string;
  /** The handler name. */
  readonly handler: string;
  /** The object key or workflow id; absent for services. */
  readonly key?: string;
  /** `service/handler` or `service/key/handler`. */
  toString(): string;
}

/**
 * Facts about the current invocation attempt.
 *
 * @example
 * const { id, headers } = ctx.request();
 */
export interface Request {
  /** The handler this invocation runs. */
  readonly target: Target;
  /** The invocation id (`inv_…`). */
  readonly id: InvocationId;
  /** The idempotency key the invocation was started with, if any. */
  readonly idempotencyKey?: string;
  /** The scope the invocation was started in, if any (protocol V7; see {@link Context.scope}). */
  readonly scope?: string;
  /** The concurrency limit key it was started with, if any (protocol V7). */
  readonly limitKey?: string;
  /**
   * Extra arguments the runtime passed to the handler entry point, e.g. a Cloudflare Worker's
   * `env` and execution context, or the Lambda context; empty elsewhere.
   */
  readonly extraArgs: unknown[];
  /** Headers of the original request (from the ingress, or set by the calling handler). */
  readonly headers: ReadonlyMap<string, string>;
  /** HTTP headers of this attempt's request from the runtime. */
  readonly attemptHeaders: ReadonlyMap<string, string | string[] | undefined>;
  /** The raw input bytes. */
  readonly body: Uint8Array;
  /** Fires when this attempt ends (completed, suspended or failed). */
  readonly attemptCompletedSignal: AbortSignal;
}

/**
 * Deterministic randomness, seeded by the runtime: the same values on every replay.
 *
 * @example
 * const id = ctx.rand.uuidv4();
 */
export interface Rand {
  /**
   * A number in [0, 1), like `Math.random()`, from the invocation's seed: the same sequence on
   * every replay. Journals nothing. Not for cryptography.
   */
  random(): number;
  /** A version-4 UUID from the same seeded sequence (deterministic; journals nothing). */
  uuidv4(): string;
}

/**
 * Durable time: `now()` is journaled, so replays see the value the first attempt saw.
 *
 * @example
 * const started = await ctx.date.now();
 */
export interface ContextDate {
  /** The current time in ms since the epoch, journaled as a `ctx.run` named `now`. */
  now(): Promise<number>;
  /** The current time as an ISO 8601 string, journaled as a `ctx.run` named `toJSON`. */
  toJSON(): Promise<string>;
}

/**
 * Options of a call made from a handler (the official name is `ClientCallOptions`).
 *
 * @example
 * ctx.serviceClient(greeter).greet("Till", rpc.opts({ idempotencyKey: "k1" }));
 */
export type CallOptions<I = unknown, O = unknown> = ClientCallOptions<I, O>;

/**
 * Options of a one-way send made from a handler (the official name is `ClientSendOptions`).
 *
 * @example
 * ctx.serviceSendClient(greeter).greet("Till", rpc.sendOpts({ delay: { minutes: 5 } }));
 */
export type SendOptions<I = unknown> = ClientSendOptions<I>;

/**
 * A call to any handler by name, with raw or serde-encoded parameters.
 *
 * @example
 * await ctx.genericCall({ service: "greeter", method: "greet", parameter: "Till", inputSerde: serde.json });
 */
export interface GenericCall<I, O> {
  /** The service, virtual object or workflow name. */
  readonly service: string;
  /** The handler name. */
  readonly method: string;
  /** The object key or workflow id; leave it out for services. */
  readonly key?: string;
  /** The input: bytes, or a value for `inputSerde` to serialize. */
  readonly parameter: I;
  /** Headers the callee sees in `ctx.request().headers`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Deduplicates the call at the runtime: the same key yields the same invocation. */
  readonly idempotencyKey?: string;
  /** The scope of the target (protocol V7; see {@link Context.scope}). */
  readonly scope?: string;
  /** The concurrency limit key within the scope (protocol V7; needs `scope`). */
  readonly limitKey?: string;
  /** Serializes `parameter` (default: the bytes as given). */
  readonly inputSerde?: Serde<I>;
  /** Deserializes the result (default: the bytes as received). */
  readonly outputSerde?: Serde<O>;
  /** A name for the journal entry, shown in the UI and in mismatch reports. */
  readonly name?: string;
}

/**
 * A one-way send to any handler by name.
 *
 * @example
 * ctx.genericSend({ service: "greeter", method: "greet", parameter: "Till", delay: 1000 });
 */
export interface GenericSend<I> extends Omit<GenericCall<I, unknown>, "outputSerde"> {
  /** Starts the invocation this much later (the runtime keeps the timer). */
  readonly delay?: Duration;
}

/**
 * Where to find another invocation when attaching to it or reading its output.
 *
 * @example
 * ctx.attach({ workflow: "signup", key: "u1" });
 */
export type InvocationTarget =
  | InvocationId
  | { readonly workflow: string; readonly key: string }
  | {
      readonly service: string;
      readonly handler: string;
      readonly key?: string;
      readonly idempotencyKey: string;
    };

/**
 * Operations on another invocation, by id.
 *
 * @example
 * await ctx.invocation(id).cancel();
 */
export interface InvocationReference {
  /** The invocation's id. */
  readonly id: InvocationId;
  /**
   * Waits for the invocation's result: journals an AttachInvocation command; awaiting suspends
   * until the invocation completes.
   *
   * @throws TerminalError when awaited, if the invocation failed.
   */
  attach<T = unknown>(serde?: Serde<T>): RestatePromise<T>;
  /**
   * The result if the invocation has finished, `{ ready: false }` otherwise: journals a
   * GetInvocationOutput command; awaiting waits for the runtime's answer, not for the invocation.
   *
   * @throws TerminalError when awaited, if the invocation has finished with a failure.
   */
  output<T = unknown>(
    serde?: Serde<T>,
  ): RestatePromise<{ ready: true; value: T } | { ready: false }>;
  /**
   * Asks the runtime to cancel the invocation: journals a SendSignal command (the cancel signal)
   * and returns at once; the callee sees a `CancelledError` at its next await.
   */
  cancel(): void;
  /** The invocation's named signal `name`, to resolve or reject (journals nothing yet). */
  signal<T = unknown>(name: string, serde?: Serde<T>): SignalReference<T>;
}

/**
 * Another invocation's output, read without waiting: `ready: false` while it is still running.
 *
 * @example
 * const out = await ctx.output<string>({ workflow: "signup", key: "u1" }); if (out.ready) use(out.value);
 */
export type OutputResult<T> =
  { readonly ready: true; readonly value: T } | { readonly ready: false };

/**
 * A named signal of another invocation, to resolve or reject.
 *
 * @example
 * ctx.invocation(id).signal<string>("approved").resolve("yes");
 */
export interface SignalReference<T> {
  /** Resolves the signal with `value`: journals a SendSignal command and returns at once. */
  resolve(value: T): void;
  /** Rejects the signal (code 500 unless given): journals a SendSignal command with a failure. */
  reject(reason: string | { message: string; code?: number }): void;
}

/**
 * A durable promise that something outside this invocation resolves by its id.
 *
 * @example
 * const { id, promise } = ctx.awakeable<string>(); await notify(id); const v = await promise;
 */
export interface Awakeable<T> {
  /** The id to hand to whoever completes the awakeable (the ingress or another handler). */
  readonly id: string;
  /**
   * Settles when the awakeable is resolved or rejected; awaiting it suspends until then.
   *
   * @throws TerminalError when awaited, if the awakeable was rejected.
   */
  readonly promise: RestatePromise<T>;
}

/**
 * `ctx.console`: a full `Console` whose output is silent while the invocation replays, so each
 * line is logged once however often the handler is re-run.
 *
 * @example
 * ctx.console.info("charging", amount);
 */
export type ContextConsole = Console;

/**
 * The context of a service handler: everything a handler does durably goes through it.
 *
 * Each operation that talks to the runtime appends a command to the invocation's journal. On a
 * retry the journal is replayed: operations return the recorded results instead of acting again,
 * and an operation that differs from the recorded one fails the attempt with a journal mismatch
 * (code 570). Awaiting a result the runtime has not delivered yet suspends the invocation when
 * nothing else can progress; the runtime resumes it (by replay) once the result is there.
 *
 * @example
 * const greeter = service({ name: "greeter", handlers: { greet: async (ctx: Context, name: string) => `Hi ${name}` } });
 */
export interface Context extends RestateContext {
  /** Facts about this invocation and attempt: id, target, headers, raw input. Journals nothing. */
  request(): Request;
  /** Deterministic randomness seeded by the invocation id: the same values on every replay. */
  readonly rand: Rand;
  /** Durable time: each read is a journaled `ctx.run`, so replays see the same instant. */
  readonly date: ContextDate;
  /** A `Console` that is silent while replaying (see {@link ContextConsole}). */
  readonly console: ContextConsole;

  /**
   * Runs a side effect once and journals its result (a Run command, then the proposed value or
   * terminal failure). On replay the recorded result is returned and the action is not run.
   * A thrown non-terminal error is retried per `options` (default: the attempt fails and Restate
   * retries it); a `TerminalError` is journaled as the result.
   *
   * @throws TerminalError when awaited, if the action failed terminally or retries ran out.
   */
  run<T>(action: RunAction<T>): RestatePromise<T>;
  run<T>(name: string, action: RunAction<T>, options?: RunOptions<T>): RestatePromise<T>;

  /**
   * A durable timer: journals a Sleep command with the wake-up time; awaiting it suspends the
   * invocation until the runtime fires the timer (which survives restarts). Fractions of a
   * millisecond are cut off. A negative, NaN, infinite or missing duration is not thrown: it ends
   * the attempt (the runtime retries), as with the official SDK.
   *
   * @throws CancelledError when awaited after the invocation was cancelled.
   */
  sleep(duration: Duration, name?: string): RestatePromise<void>;

  /**
   * Creates an awakeable: an id to hand to something outside this invocation, and a promise that
   * completes when that outside party resolves or rejects the id (through the ingress or
   * `ctx.resolveAwakeable`). Journals nothing until awaited; awaiting suspends until completed.
   *
   * @throws TerminalError when awaited, if the awakeable was rejected.
   */
  awakeable<T = unknown>(serde?: Serde<T>): Awakeable<T>;
  /** Completes another invocation's awakeable with a value (journals a CompleteAwakeable command). */
  resolveAwakeable<T>(id: string, value?: T, serde?: Serde<T>): void;
  /** Fails another invocation's awakeable (journals a CompleteAwakeable command with a failure). */
  rejectAwakeable(id: string, reason: string | { message: string; code?: number }): void;

  /**
   * A typed client for a service: each handler call journals a Call command and returns an
   * {@link InvocationPromise}; awaiting it suspends until the callee's result arrives.
   * Accepts the definition or a `{ name }` stand-in typed as it.
   */
  serviceClient<D>(service: ServiceDefinitionFrom<D>): Client<Service<D>>;
  /** A typed client for the virtual object `key` (see {@link Context.serviceClient}). */
  objectClient<D>(object: VirtualObjectDefinitionFrom<D>, key: string): Client<VirtualObject<D>>;
  /** A typed client for the workflow with id `key` (see {@link Context.serviceClient}). */
  workflowClient<D>(workflow: WorkflowDefinitionFrom<D>, key: string): Client<Workflow<D>>;
  /**
   * A typed one-way client: each call journals a OneWayCall command (optionally delayed) and
   * returns at once with a handle on the new invocation. `options` (our addition) apply to every
   * call of this client.
   */
  serviceSendClient<D>(
    service: ServiceDefinitionFrom<D>,
    options?: SendOptions,
  ): SendClient<Service<D>>;
  /** A typed one-way client for the virtual object `key`. */
  objectSendClient<D>(
    object: VirtualObjectDefinitionFrom<D>,
    key: string,
    options?: SendOptions,
  ): SendClient<VirtualObject<D>>;
  /** A typed one-way client for the workflow with id `key`. */
  workflowSendClient<D>(
    workflow: WorkflowDefinitionFrom<D>,
    key: string,
    options?: SendOptions,
  ): SendClient<Workflow<D>>;
  /** A typed client built from an interface description (`iface.service`). */
  client<P extends string, H extends Record<string, HandlerDescriptor>>(
    serviceInterface: ServiceDescriptor<P, H>,
  ): ClientFromDescriptors<H>;
  /** A typed client built from an interface description (`iface.object/workflow`) and a key. */
  client<P extends string, H extends Record<string, HandlerDescriptor>>(
    objectOrWorkflowInterface: ObjectDescriptor<P, H> | WorkflowDescriptor<P, H>,
    key: string,
  ): ClientFromDescriptors<H>;
  /** A typed one-way client built from an interface description (`iface.service`). */
  sendClient<P extends string, H extends Record<string, HandlerDescriptor>>(
    serviceInterface: ServiceDescriptor<P, H>,
  ): SendClientFromDescriptors<H>;
  /** A typed one-way client built from an interface description and a key. */
  sendClient<P extends string, H extends Record<string, HandlerDescriptor>>(
    objectOrWorkflowInterface: ObjectDescriptor<P, H> | WorkflowDescriptor<P, H>,
    key: string,
  ): SendClientFromDescriptors<H>;
  /**
   * The clients of this context, routing every call and send into the scope `scopeKey`: the
   * Call/OneWayCall commands carry it. A scope groups invocations, object and workflow instances
   * and concurrency limits; it is part of the target's identity. Needs service protocol V7
   * (restate-server 1.7 with its experimental V7 and vqueues features); on V5/V6 the call fails
   * the attempt with code 573, which the runtime retries.
   *
   * @example
   * await ctx.scope("tenant-1").serviceClient(billing).charge(order, rpc.opts({ limitKey: "user-7" }));
   * @experimental
   */
  scope(scopeKey: string): ScopedContext;
  /** A call to any handler by name (journals a Call command); raw bytes unless serdes are given. */
  genericCall<I = Uint8Array, O = Uint8Array>(call: GenericCall<I, O>): InvocationPromise<O>;
  /** A one-way send to any handler by name (journals a OneWayCall command). */
  genericSend<I = Uint8Array>(send: GenericSend<I>): InvocationHandle;

  /**
   * Waits for another invocation's result (journals an AttachInvocation command; awaiting
   * suspends until it completes).
   *
   * @throws TerminalError when awaited, if that invocation failed.
   */
  attach<T = unknown>(target: InvocationTarget, serde?: Serde<T>): RestatePromise<T>;
  /**
   * Reads another invocation's output without waiting for it (by id, idempotency key or
   * workflow id; journals a GetInvocationOutput command). Not in the official SDK: the protocol
   * offers it, so we expose it.
   */
  output<T = unknown>(target: InvocationTarget, serde?: Serde<T>): RestatePromise<OutputResult<T>>;
  /** Cancels another invocation (journals a SendSignal command carrying the cancel signal). */
  cancel(invocationId: InvocationId): void;
  /** Operations on another invocation by id: attach, output, cancel, signal. */
  invocation(invocationId: InvocationId): InvocationReference;
  /**
   * Waits for the named signal sent to this invocation; awaiting suspends until it arrives.
   *
   * @throws TerminalError when awaited, if the signal was rejected.
   */
  signal<T = unknown>(name: string, serde?: Serde<T>): RestatePromise<T>;
}

/**
 * The clients of a context, routed into one scope (see {@link Context.scope}).
 *
 * @example
 * const scoped: ScopedContext = ctx.scope("tenant-1");
 * @experimental
 */
export type ScopedContext = Pick<
  Context,
  | "serviceClient"
  | "serviceSendClient"
  | "objectClient"
  | "objectSendClient"
  | "workflowClient"
  | "workflowSendClient"
  | "client"
  | "sendClient"
>;

/** The closure of a `ctx.run`: its result is journaled. */
export type RunAction<T> = (signal: { readonly signal: AbortSignal }) => Promise<T> | T;

/** Map of state key → value type, for typed state. */
export type TypedState = Record<string, unknown>;
/** State without declared keys: any key, value type given at the call. */
export type UntypedState = { _: never };

/**
 * Read access to the state of a virtual object or workflow.
 *
 * @example
 * const count = (await ctx.get<number>("count")) ?? 0;
 */
export interface KeyValueStoreReader<TState extends TypedState = UntypedState> {
  /**
   * The value of state key `name`, or `null` if unset. Journals a GetState command: answered at
   * once when the runtime sent the state with the invocation (eager state), otherwise awaiting it
   * waits (and may suspend) for the runtime's answer (lazy state).
   *
   * A stored value the serde cannot read ends the attempt (the runtime retries) and the await
   * never settles, as with the official SDK.
   */
  get<TValue = never, TKey extends StateKey<TState> = StateKey<TState>>(
    name: TKey,
    serde?: Serde<StateValue<TState, TKey, TValue>>,
  ): RestatePromise<StateValue<TState, TKey, TValue> | null>;
  /**
   * The keys that have a value. Journals a GetStateKeys command, eager or lazy like {@link get}.
   */
  stateKeys(): RestatePromise<string[]>;
}

/**
 * Read/write access to the state of a virtual object or workflow.
 *
 * @example
 * ctx.set("count", count + 1);
 */
export interface KeyValueStore<
  TState extends TypedState = UntypedState,
> extends KeyValueStoreReader<TState> {
  /**
   * Stores `value` under `name` (JSON unless `serde` is given): journals a SetState command and
   * returns at once; later reads in this invocation see it. Exclusive handlers only. A value the
   * serde cannot write is not thrown: it ends the attempt (the runtime retries), as with the
   * official SDK.
   */
  set<TValue = never, TKey extends StateKey<TState> = StateKey<TState>>(
    name: TKey,
    value: StateValue<TState, TKey, TValue>,
    serde?: Serde<StateValue<TState, TKey, TValue>>,
  ): void;
  /** Removes state key `name`: journals a ClearState command and returns at once. */
  clear<TKey extends StateKey<TState>>(name: TKey): void;
  /** Removes every state key: journals a ClearAllState command and returns at once. */
  clearAll(): void;
}

/** True for `any`: a context typed `ObjectContext<any>` behaves as untyped. */
export type IsUntyped<TState> = 0 extends 1 & TState
  ? true
  : TState extends UntypedState
    ? true
    : false;
/** A state key: any string for untyped state, the declared keys otherwise. */
export type StateKey<TState> = IsUntyped<TState> extends true ? string : keyof TState & string;
/** A state value: the type argument for untyped state, the declared value type otherwise. */
export type StateValue<TState, TKey, TValue> =
  IsUntyped<TState> extends true
    ? [TValue] extends [never]
      ? unknown
      : TValue
    : TKey extends keyof TState
      ? TState[TKey]
      : never;

/**
 * The context of a shared virtual-object handler: reads state, runs concurrently.
 *
 * @example
 * handlers.object.shared(async (ctx: ObjectSharedContext) => ctx.get<number>("count"));
 */
export interface ObjectSharedContext<TState extends TypedState = UntypedState>
  extends Context, KeyValueStoreReader<TState>, RestateObjectSharedContext {
  /** The key of the object (or the id of the workflow) this invocation runs on. */
  readonly key: string;
}

/**
 * The context of an exclusive virtual-object handler: owns the object's state.
 *
 * @example
 * async add(ctx: ObjectContext, n: number) { ctx.set("count", ((await ctx.get<number>("count")) ?? 0) + n); }
 */
export interface ObjectContext<TState extends TypedState = UntypedState>
  extends Context, KeyValueStore<TState>, RestateObjectContext {
  /** The key of the object (or the id of the workflow) this invocation runs on. */
  readonly key: string;
}

/**
 * A workflow's durable promise, by name.
 *
 * @example
 * await ctx.promise<string>("approval").resolve("ok");
 */
export interface DurablePromise<T> extends RestatePromise<T> {
  /**
   * The value if already resolved, `undefined` if not yet: journals a PeekPromise command; awaiting
   * waits for the runtime's answer only, never for the promise.
   *
   * @throws TerminalError when awaited, if the promise was rejected.
   */
  peek(): Promise<T | undefined>;
  /**
   * Resolves the promise with `value`: journals a CompletePromise command; awaiting waits for the
   * runtime to accept it.
   *
   * @throws TerminalError when awaited, if the promise was already completed.
   */
  resolve(value?: T): Promise<void>;
  /**
   * Rejects the promise (code 500 unless given): journals a CompletePromise command with a
   * failure; awaiting waits for the runtime to accept it.
   *
   * @throws TerminalError when awaited, if the promise was already completed.
   */
  reject(reason: string | { message: string; code?: number }): Promise<void>;
  /**
   * Waits for the promise (same as awaiting it): journals a GetPromise command on each call, and
   * each await of the durable promise itself, as the official SDK does; awaiting suspends until
   * someone resolves or rejects the promise.
   *
   * @throws TerminalError when awaited, if the promise was rejected.
   */
  get(): RestatePromise<T>;
}

/**
 * The context of a workflow's shared handlers.
 *
 * @example
 * handlers.workflow.shared(async (ctx: WorkflowSharedContext, v: string) => ctx.promise("p").resolve(v));
 */
export interface WorkflowSharedContext<TState extends TypedState = UntypedState>
  extends ObjectSharedContext<TState>, RestateWorkflowSharedContext {
  /**
   * The workflow's durable promise `name` (creating the handle journals nothing; awaiting, peeking
   * and completing each journal one command).
   */
  promise<T = unknown>(name: string, serde?: Serde<T>): DurablePromise<T>;
}

/**
 * The context of a workflow's `run` handler.
 *
 * @example
 * run: async (ctx: WorkflowContext) => { const v = await ctx.promise<string>("p"); return v; }
 */
export interface WorkflowContext<TState extends TypedState = UntypedState>
  extends ObjectContext<TState>, WorkflowSharedContext<TState>, RestateWorkflowContext {
  /** The workflow's durable promise `name` (see {@link WorkflowSharedContext.promise}). */
  promise<T = unknown>(name: string, serde?: Serde<T>): DurablePromise<T>;
}
