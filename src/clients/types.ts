// SPDX-License-Identifier: MIT
// The typed surface of the ingress client. Type-only: definitions are never loaded at runtime.
import type {
  HandlerInput,
  HandlerOutput,
  HandlersOf,
  ServiceRef,
} from "../definitions/clients.js";
import type { Serde } from "../serde/serde.js";
import type { IngressCallOptions, IngressSendOptions, Opts, SendOpts } from "./rpc.js";

/** A definition, or a `{ name }` standing in for one (give its type as the type argument). */
/** @internal A definition, or a `{ name }` standing in for one. */
export type Def = { readonly name: string };
type In<F> = HandlerInput<F>;
/** @internal The output type of a handler function. */
export type Out<F> = HandlerOutput<F>;

/**
 * Arguments of a call: the input (if any), then options; `rpc.opts(…)` may replace no input.
 *
 * @example
 * const args: CallArgs<(ctx: Context, name: string) => Promise<string>> = ["Till", { timeout: 1000 }];
 */
export type CallArgs<F> = [In<F>] extends [void]
  ? | [opts?: Opts<void, Out<F>>]
    | [input: undefined, opts?: IngressCallOptions<void, Out<F>> | Opts<void, Out<F>>]
  : [input: In<F>, opts?: IngressCallOptions<In<F>, Out<F>> | Opts<In<F>, Out<F>>];

/**
 * Arguments of a send, shaped like {@link CallArgs}.
 *
 * @example
 * const args: SendArgs<(ctx: Context, name: string) => Promise<string>> = ["Till", { delay: "1m" }];
 */
// `SendOpts<I>` (output serde unknown) is accepted too: the official `SendOpts` has no output type.
export type SendArgs<F> = [In<F>] extends [void]
  ? | [opts?: SendOpts<void, Out<F>> | SendOpts<void>]
    | [
        input: undefined,
        opts?: IngressSendOptions<void, Out<F>> | SendOpts<void, Out<F>> | SendOpts<void>,
      ]
  : [
      input: In<F>,
      opts?: IngressSendOptions<In<F>, Out<F>> | SendOpts<In<F>, Out<F>> | SendOpts<In<F>>,
    ];

/**
 * What the ingress answers to a send: the new (or, with the same idempotency key, the earlier)
 * invocation, and the serde `result(send)` reads its output with.
 *
 * @example
 * const send = await ingress.serviceSendClient(greeter).greet("Till");
 * console.log(send.invocationId, send.status);
 */
// `O` only types `result(send)`: it is inferred from the type argument, not from a member, so that
// sends of different outputs stay convertible into one another as in the official client.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- see above
export interface Send<O = unknown> {
  readonly invocationId: string;
  /** `PreviouslyAccepted` when the idempotency key (or workflow id) was already used. */
  readonly status: "Accepted" | "PreviouslyAccepted";
  /** Whether its output can be read later (`result(send)`): sent with an idempotency key. */
  readonly attachable: boolean;
  /** When a delayed send will run. */
  readonly executionTime?: Date;
  /** @internal The serde `result(send)` reads with; not enumerable (kept out of JSON). */
  readonly outputSerde: Serde<unknown>;
}

/**
 * The first element of an argument list (the input of a handler's client method).
 *
 * @example
 * type Input = InferArgType<[string, Opts<string, number>?]>; // string
 */
export type InferArgType<P> = P extends [infer A, ...unknown[]] ? A : unknown;

/**
 * What the ingress answers to a workflow submission: like a {@link Send}, always attachable.
 *
 * @example
 * const submission = await ingress.workflowClient(signup, "user-1").workflowSubmit("a@b.c");
 * const ok = await ingress.result(submission);
 */
export type WorkflowSubmission<O = unknown> = Send<O> & { readonly attachable: true };

/**
 * A call or send by name, without a typed definition (`Ingress.call` / `Ingress.send`).
 *
 * @example
 * await ingress.call({ service: "Greeter", handler: "greet", parameter: "Till", opts: rpc.opts({ input: serde.json, output: serde.json }) });
 */
export interface RawInvocation<I, Options> {
  readonly service: string;
  readonly handler: string;
  /** The input, written with `opts.input` (the connection's serde by default). */
  readonly parameter: I;
  /** The virtual object or workflow key. */
  readonly key?: string | undefined;
  /** Routes the invocation within this scope (a V7 server with flow control). */
  readonly scope?: string | undefined;
  readonly opts?: Options | undefined;
}

/**
 * The output of an invocation, if it has finished.
 *
 * @example
 * const out = await ingress.output<string>(id);
 * if (out.ready) console.log(out.result);
 */
export type Output<O> =
  | { readonly ready: true; readonly result: O }
  | { readonly ready: false; readonly result?: undefined };

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
/** @internal The handlers of a definition, of a handler map, or any handler for a bare name. */
export type Handlers<D> = [HandlersOf<D>] extends [never]
  ? [Exclude<keyof D, "name">] extends [never]
    ? Record<string, (ctx: never, input?: unknown) => Promise<unknown>>
    : D // already a map of handlers, as in `IngressClient<Service<typeof greeter>>`
  : HandlersOf<D>;
/** @internal */
export type HandlerName<D> = keyof Handlers<D> & string;
/** @internal The `run` handler of a workflow. */
export type RunFn<D> = Handlers<D> extends { run: infer F } ? F : never;

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
  readonly workflowSubmit: (
    ...args: SendArgs<RunFn<D>>
  ) => Promise<WorkflowSubmission<Out<RunFn<D>>>>;
  /** Waits for `run` to finish and returns its output. */
  readonly workflowAttach: (
    options?: AttachOptions<Out<RunFn<D>>> | Opts<void, Out<RunFn<D>>>,
  ) => Promise<Out<RunFn<D>>>;
  /** The output of `run` if it has finished. */
  readonly workflowOutput: (
    options?: AttachOptions<Out<RunFn<D>>> | Opts<void, Out<RunFn<D>>>,
  ) => Promise<Output<Out<RunFn<D>>>>;
};
