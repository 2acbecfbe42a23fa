// SPDX-License-Identifier: MIT
// The typed surface of the ingress client. Type-only: definitions are never loaded at runtime.
import type {
  HandlerInput,
  HandlerOutput,
  HandlersOf,
  ServiceRef,
} from "../definitions/clients.js";
import type { Serde } from "../serde/serde.js";
import type { CallOpts, IngressCallOptions, IngressSendOptions, SendOpts } from "./rpc.js";

/** A definition, or a `{ name }` standing in for one (give its type as the type argument). */
type Def = { readonly name: string };
type In<F> = HandlerInput<F>;
type Out<F> = HandlerOutput<F>;

/**
 * Arguments of a call: the input (if any), then options; `rpc.opts(…)` may replace no input.
 *
 * @example
 * const args: CallArgs<(ctx: Context, name: string) => Promise<string>> = ["Till", { timeout: 1000 }];
 */
export type CallArgs<F> = [In<F>] extends [void]
  ? [opts?: CallOpts<void, Out<F>>] | [input: undefined, opts?: IngressCallOptions<void, Out<F>>]
  : [input: In<F>, opts?: IngressCallOptions<In<F>, Out<F>>];

/**
 * Arguments of a send, shaped like {@link CallArgs}.
 *
 * @example
 * const args: SendArgs<(ctx: Context, name: string) => Promise<string>> = ["Till", { delay: "1m" }];
 */
export type SendArgs<F> = [In<F>] extends [void]
  ? [opts?: SendOpts<void, Out<F>>] | [input: undefined, opts?: IngressSendOptions<void, Out<F>>]
  : [input: In<F>, opts?: IngressSendOptions<In<F>, Out<F>>];

/**
 * What the ingress answers to a send: the new (or, with the same idempotency key, the earlier)
 * invocation, and the serde `result(send)` reads its output with.
 *
 * @example
 * const send = await ingress.serviceSendClient(greeter).greet("Till");
 * console.log(send.invocationId, send.status);
 */
export interface Send<O = unknown> {
  readonly invocationId: string;
  /** `PreviouslyAccepted` when the idempotency key (or workflow id) was already used. */
  readonly status: "Accepted" | "PreviouslyAccepted";
  /** When a delayed send will run. */
  readonly executionTime?: Date;
  /** Not enumerable, so it stays out of `JSON.stringify(send)`. */
  readonly outputSerde: Serde<O>;
}

/**
 * The output of an invocation, if it has finished.
 *
 * @example
 * const out = await ingress.output<string>(id);
 * if (out.ready) console.log(out.result);
 */
export type Output<O> = { readonly ready: true; readonly result: O } | { readonly ready: false };

/**
 * Options of attach and output reads.
 *
 * @example
 * await ingress.attach<string>(id, { timeout: 10_000 });
 */
export interface AttachOptions<O = unknown> {
  /** How the output is read; JSON by default. */
  readonly output?: Serde<O>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeout?: number;
  readonly signal?: AbortSignal;
}

/**
 * An invocation found by the idempotency key it was started with (`key` for virtual objects).
 *
 * @example
 * await ingress.attach({ service: greeter, handler: "greet", idempotencyKey: "req-1" });
 */
export interface IdempotentInvocation<D extends Def, H extends string> {
  readonly service: ServiceRef<D>;
  readonly handler: H;
  /** The virtual object key; leave out for services. */
  readonly key?: string;
  readonly idempotencyKey: string;
}

/**
 * The handlers of a definition. A bare `{ name }` without a type argument carries none, and then
 * any method may be called with any input, resolving to `unknown`.
 */
type Handlers<D> = [HandlersOf<D>] extends [never]
  ? Record<string, (ctx: never, input?: unknown) => Promise<unknown>>
  : HandlersOf<D>;
type HandlerName<D> = keyof Handlers<D> & string;
type RunFn<D> = Handlers<D> extends { run: infer F } ? F : never;

/**
 * A request/response client: one method per handler, resolving to the handler's output.
 *
 * @example
 * const greeting: string = await ingress.serviceClient(greeter).greet("Till");
 */
export type IngressClient<D> = {
  readonly [K in keyof Handlers<D>]: (
    ...args: CallArgs<Handlers<D>[K]>
  ) => Promise<Out<Handlers<D>[K]>>;
};

/**
 * A one-way client: one method per handler, resolving once the invocation is accepted.
 *
 * @example
 * const { invocationId } = await ingress.serviceSendClient(greeter).greet("Till");
 */
export type IngressSendClient<D> = {
  readonly [K in keyof Handlers<D>]: (
    ...args: SendArgs<Handlers<D>[K]>
  ) => Promise<Send<Out<Handlers<D>[K]>>>;
};

/**
 * A workflow client: its handlers (`run` starts it and waits), plus submit/attach/output of `run`.
 *
 * @example
 * const wf = ingress.workflowClient(signup, "user-1");
 * await wf.workflowSubmit("a@b.c");
 * const result = await wf.workflowAttach();
 */
export type IngressWorkflowClient<D> = IngressClient<D> & {
  /** Starts `run` unless this workflow id already ran (`PreviouslyAccepted`). */
  readonly workflowSubmit: (...args: SendArgs<RunFn<D>>) => Promise<Send<Out<RunFn<D>>>>;
  /** Waits for `run` to finish and returns its output. */
  readonly workflowAttach: (options?: AttachOptions<Out<RunFn<D>>>) => Promise<Out<RunFn<D>>>;
  /** The output of `run` if it has finished. */
  readonly workflowOutput: (
    options?: AttachOptions<Out<RunFn<D>>>,
  ) => Promise<Output<Out<RunFn<D>>>>;
};

/**
 * The ingress client returned by `connect`.
 *
 * @example
 * const ingress = connect({ url: "http://localhost:8080" });
 * await ingress.objectClient(counter, "a").add(1);
 */
export interface Ingress {
  serviceClient<D extends Def>(service: ServiceRef<D>): IngressClient<D>;
  objectClient<D extends Def>(object: ServiceRef<D>, key: string): IngressClient<D>;
  workflowClient<D extends Def>(workflow: ServiceRef<D>, id: string): IngressWorkflowClient<D>;
  serviceSendClient<D extends Def>(service: ServiceRef<D>): IngressSendClient<D>;
  objectSendClient<D extends Def>(object: ServiceRef<D>, key: string): IngressSendClient<D>;
  workflowSendClient<D extends Def>(workflow: ServiceRef<D>, id: string): IngressSendClient<D>;

  /** Waits for a sent invocation to finish and returns its output. */
  result<O>(send: Send<O>, options?: AttachOptions<O>): Promise<O>;
  /** Waits for an invocation, by id or by idempotency key, and returns its output. */
  attach<O = unknown>(invocationId: string, options?: AttachOptions<O>): Promise<O>;
  attach<D extends Def, H extends HandlerName<D>>(
    invocation: IdempotentInvocation<D, H>,
    options?: AttachOptions<Out<Handlers<D>[H]>>,
  ): Promise<Out<Handlers<D>[H]>>;
  /** The output of an invocation, by id or by idempotency key, if it has finished. */
  output<O = unknown>(invocationId: string, options?: AttachOptions<O>): Promise<Output<O>>;
  output<D extends Def, H extends HandlerName<D>>(
    invocation: IdempotentInvocation<D, H>,
    options?: AttachOptions<Out<Handlers<D>[H]>>,
  ): Promise<Output<Out<Handlers<D>[H]>>>;

  /** Starts a workflow's `run` unless this id already ran. */
  workflowSubmit<D extends Def>(
    workflow: ServiceRef<D>,
    id: string,
    ...args: SendArgs<RunFn<D>>
  ): Promise<Send<Out<RunFn<D>>>>;
  /** Waits for a workflow's `run` to finish and returns its output. */
  workflowAttach<D extends Def>(
    workflow: ServiceRef<D>,
    id: string,
    options?: AttachOptions<Out<RunFn<D>>>,
  ): Promise<Out<RunFn<D>>>;
  /** The output of a workflow's `run`, if it has finished. */
  workflowOutput<D extends Def>(
    workflow: ServiceRef<D>,
    id: string,
    options?: AttachOptions<Out<RunFn<D>>>,
  ): Promise<Output<Out<RunFn<D>>>>;
  /** Submits the workflow if this id is new, then waits for it (new, running or finished). */
  runOrAttach<D extends Def>(
    workflow: ServiceRef<D>,
    id: string,
    ...args: SendArgs<RunFn<D>>
  ): Promise<Out<RunFn<D>>>;

  /** Completes an awakeable with a value (JSON unless `serde` says otherwise). */
  resolveAwakeable<T>(id: string, value: T, serde?: Serde<T>): Promise<void>;
  /** Fails an awakeable; the awaiting handler sees a terminal error with this message. */
  rejectAwakeable(id: string, reason: string): Promise<void>;
}
