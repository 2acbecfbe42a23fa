// SPDX-License-Identifier: MIT
// The public shape of `ctx`: what handlers see. Names follow the official TypeScript SDK so that
// Restate's documentation applies unchanged. The implementation lives in invocation-context.ts.
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
  readonly service: string;
  readonly handler: string;
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
  readonly service: string;
  readonly method: string;
  readonly key?: string;
  readonly parameter: I;
  readonly headers?: Readonly<Record<string, string>>;
  readonly idempotencyKey?: string;
  /** The scope of the target (protocol V7; see {@link Context.scope}). */
  readonly scope?: string;
  /** The concurrency limit key within the scope (protocol V7; needs `scope`). */
  readonly limitKey?: string;
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
   * invocation until the runtime fires the timer (which survives restarts).
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
