// SPDX-License-Identifier: MIT
// The public shape of `ctx`: what handlers see. Names follow the official TypeScript SDK so that
// Restate's documentation applies unchanged. The implementation lives in invocation-context.ts.
import type { Serde } from "../serde/serde.js";
import type { TerminalError } from "../errors.js";
import type { Duration } from "../definitions/duration.js";
import type {
  Client,
  SendClient,
  ServiceRef,
  ObjectRef,
  WorkflowRef,
} from "../definitions/clients.js";
import type { RunOptions } from "./run-options.js";

/**
 * A durable promise: awaitable like a `Promise`, and combinable with the `RestatePromise`
 * combinators so that the runtime can suspend the invocation while it waits.
 *
 * @example
 * const greeting = await ctx.run("greet", () => "hi").orTimeout({ seconds: 5 });
 */
export interface RestatePromise<T> extends Promise<T> {
  /** Rejects with a `TimeoutError` if this promise has not settled within `duration`. */
  orTimeout(duration: Duration): RestatePromise<T>;
  /** Transforms the settled value or error; the mapper sees either a value or a failure. */
  map<U>(mapper: (value?: T, failure?: TerminalError) => U): RestatePromise<U>;
}

/**
 * The result of a call: the callee's output, plus its invocation id.
 *
 * @example
 * const p = ctx.serviceClient(greeter).greet("Till"); const id = await p.invocationId;
 */
export interface InvocationPromise<T> extends RestatePromise<T> {
  readonly invocationId: Promise<InvocationId>;
}

/**
 * What a one-way send returns: the id of the invocation it created.
 *
 * @example
 * const handle = ctx.serviceSendClient(greeter).greet("Till"); await ctx.attach(await handle.invocationId);
 */
export interface InvocationHandle {
  readonly invocationId: Promise<InvocationId>;
}

/** An invocation id, `inv_…`. */
export type InvocationId = string;

/**
 * Facts about the current invocation attempt.
 *
 * @example
 * const { id, headers } = ctx.request();
 */
export interface Request {
  /** The invocation id (`inv_…`). */
  readonly id: InvocationId;
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
  random(): number;
  uuidv4(): string;
}

/**
 * Durable time: `now()` is journaled, so replays see the value the first attempt saw.
 *
 * @example
 * const started = await ctx.date.now();
 */
export interface ContextDate {
  now(): Promise<number>;
  toJSON(): Promise<string>;
}

/**
 * Options of a call made from a handler.
 *
 * @example
 * ctx.serviceClient(greeter).greet("Till", rpc.opts({ idempotencyKey: "k1" }));
 */
export interface CallOptions<I = unknown, O = unknown> {
  readonly idempotencyKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly input?: Serde<I>;
  readonly output?: Serde<O>;
  /** A name for the journal entry, shown by the admin API. */
  readonly name?: string;
}

/**
 * Options of a one-way send made from a handler.
 *
 * @example
 * ctx.serviceSendClient(greeter).greet("Till", rpc.sendOpts({ delay: { minutes: 5 } }));
 */
export interface SendOptions<I = unknown> {
  readonly idempotencyKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly input?: Serde<I>;
  readonly delay?: Duration;
  readonly name?: string;
}

/**
 * A call to any handler by name, with raw or serde-encoded parameters.
 *
 * @example
 * await ctx.genericCall({ service: "greeter", method: "greet", parameter: "Till", inputSerde: serde.json });
 */
export interface GenericCall<I, O> {
  readonly service: string;
  readonly method: string;
  readonly key?: string;
  readonly parameter: I;
  readonly headers?: Readonly<Record<string, string>>;
  readonly idempotencyKey?: string;
  readonly inputSerde?: Serde<I>;
  readonly outputSerde?: Serde<O>;
  readonly name?: string;
}

/**
 * A one-way send to any handler by name.
 *
 * @example
 * ctx.genericSend({ service: "greeter", method: "greet", parameter: "Till", delay: 1000 });
 */
export interface GenericSend<I> extends Omit<GenericCall<I, unknown>, "outputSerde"> {
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
  readonly id: InvocationId;
  attach<T = unknown>(serde?: Serde<T>): RestatePromise<T>;
  /** The result if the invocation has finished, `undefined` otherwise (does not wait). */
  output<T = unknown>(
    serde?: Serde<T>,
  ): RestatePromise<{ ready: true; value: T } | { ready: false }>;
  cancel(): void;
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
  resolve(value: T): void;
  reject(reason: string | { message: string; code?: number }): void;
}

/**
 * A durable promise that something outside this invocation resolves by its id.
 *
 * @example
 * const { id, promise } = ctx.awakeable<string>(); await notify(id); const v = await promise;
 */
export interface Awakeable<T> {
  readonly id: string;
  readonly promise: RestatePromise<T>;
}

/**
 * A logger that is silent while the invocation replays.
 *
 * @example
 * ctx.console.info("charging", amount);
 */
export interface ContextConsole {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/**
 * The context of a service handler.
 *
 * @example
 * const greeter = service({ name: "greeter", handlers: { greet: async (ctx: Context, name: string) => `Hi ${name}` } });
 */
export interface Context {
  request(): Request;
  readonly rand: Rand;
  readonly date: ContextDate;
  readonly console: ContextConsole;

  run<T>(action: RunAction<T>): RestatePromise<T>;
  run<T>(name: string, action: RunAction<T>, options?: RunOptions<T>): RestatePromise<T>;

  sleep(duration: Duration, name?: string): RestatePromise<void>;

  awakeable<T = unknown>(serde?: Serde<T>): Awakeable<T>;
  resolveAwakeable<T>(id: string, value?: T, serde?: Serde<T>): void;
  rejectAwakeable(id: string, reason: string | { message: string; code?: number }): void;

  serviceClient<D>(service: ServiceRef<D>): Client<D>;
  objectClient<D>(object: ObjectRef<D>, key: string): Client<D>;
  workflowClient<D>(workflow: WorkflowRef<D>, key: string): Client<D>;
  serviceSendClient<D>(service: ServiceRef<D>, options?: SendOptions): SendClient<D>;
  objectSendClient<D>(object: ObjectRef<D>, key: string, options?: SendOptions): SendClient<D>;
  workflowSendClient<D>(
    workflow: WorkflowRef<D>,
    key: string,
    options?: SendOptions,
  ): SendClient<D>;
  genericCall<I = Uint8Array, O = Uint8Array>(call: GenericCall<I, O>): InvocationPromise<O>;
  genericSend<I = Uint8Array>(send: GenericSend<I>): InvocationHandle;

  attach<T = unknown>(target: InvocationTarget, serde?: Serde<T>): RestatePromise<T>;
  /**
   * Reads another invocation's output without waiting for it (by id, idempotency key or
   * workflow id). Not in the official SDK: the protocol offers it, so we expose it.
   */
  output<T = unknown>(target: InvocationTarget, serde?: Serde<T>): RestatePromise<OutputResult<T>>;
  cancel(invocationId: InvocationId): void;
  invocation(invocationId: InvocationId): InvocationReference;
  /** Waits for the named signal sent to this invocation. */
  signal<T = unknown>(name: string, serde?: Serde<T>): RestatePromise<T>;
}

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
  get<TValue = never, TKey extends StateKey<TState> = StateKey<TState>>(
    name: TKey,
    serde?: Serde<StateValue<TState, TKey, TValue>>,
  ): RestatePromise<StateValue<TState, TKey, TValue> | null>;
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
  set<TValue = never, TKey extends StateKey<TState> = StateKey<TState>>(
    name: TKey,
    value: StateValue<TState, TKey, TValue>,
    serde?: Serde<StateValue<TState, TKey, TValue>>,
  ): void;
  clear<TKey extends StateKey<TState>>(name: TKey): void;
  clearAll(): void;
}

/** True for `any`: a context typed `ObjectContext<any>` behaves as untyped. */
type IsUntyped<TState> = 0 extends 1 & TState ? true : TState extends UntypedState ? true : false;
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
  extends Context, KeyValueStoreReader<TState> {
  readonly key: string;
}

/**
 * The context of an exclusive virtual-object handler: owns the object's state.
 *
 * @example
 * async add(ctx: ObjectContext, n: number) { ctx.set("count", ((await ctx.get<number>("count")) ?? 0) + n); }
 */
export interface ObjectContext<TState extends TypedState = UntypedState>
  extends Context, KeyValueStore<TState> {
  readonly key: string;
}

/**
 * A workflow's durable promise, by name.
 *
 * @example
 * await ctx.promise<string>("approval").resolve("ok");
 */
export interface DurablePromise<T> extends RestatePromise<T> {
  /** The value if already resolved, `undefined` if not yet (does not wait). */
  peek(): Promise<T | undefined>;
  resolve(value?: T): Promise<void>;
  reject(reason: string | { message: string; code?: number }): Promise<void>;
  /** Waits for the promise (same as awaiting it). */
  get(): RestatePromise<T>;
}

/**
 * The context of a workflow's shared handlers.
 *
 * @example
 * handlers.workflow.shared(async (ctx: WorkflowSharedContext, v: string) => ctx.promise("p").resolve(v));
 */
export interface WorkflowSharedContext<
  TState extends TypedState = UntypedState,
> extends ObjectSharedContext<TState> {
  promise<T = unknown>(name: string, serde?: Serde<T>): DurablePromise<T>;
}

/**
 * The context of a workflow's `run` handler.
 *
 * @example
 * run: async (ctx: WorkflowContext) => { const v = await ctx.promise<string>("p"); return v; }
 */
export interface WorkflowContext<
  TState extends TypedState = UntypedState,
> extends ObjectContext<TState> {
  promise<T = unknown>(name: string, serde?: Serde<T>): DurablePromise<T>;
}
