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

/**
 * Arguments of a call: the input (if any), then options; `rpc.opts(…)` may replace no input.
 *
 * @example
 * const args: CallArgs<(ctx: Context, name: string) => Promise<string>> = ["Till", { timeout: 1000 }];
 */
export type CallArgs<F> = [HandlerInput<F>] extends [void]
  ? | [opts?: Opts<void, HandlerOutput<F>>]
    | [
        input: undefined,
        opts?: IngressCallOptions<void, HandlerOutput<F>> | Opts<void, HandlerOutput<F>>,
      ]
  : [
      input: HandlerInput<F>,
      opts?:
        | IngressCallOptions<HandlerInput<F>, HandlerOutput<F>>
        | Opts<HandlerInput<F>, HandlerOutput<F>>,
    ];

/**
 * Arguments of a send, shaped like {@link CallArgs}.
 *
 * @example
 * const args: SendArgs<(ctx: Context, name: string) => Promise<string>> = ["Till", { delay: "1m" }];
 */
// `SendOpts<I>` (output serde unknown) is accepted too: the official `SendOpts` has no output type.
export type SendArgs<F> = [HandlerInput<F>] extends [void]
  ? | [opts?: SendOpts<void, HandlerOutput<F>> | SendOpts<void>]
    | [
        input: undefined,
        opts?:
          | IngressSendOptions<void, HandlerOutput<F>>
          | SendOpts<void, HandlerOutput<F>>
          | SendOpts<void>,
      ]
  : [
      input: HandlerInput<F>,
      opts?:
        | IngressSendOptions<HandlerInput<F>, HandlerOutput<F>>
        | SendOpts<HandlerInput<F>, HandlerOutput<F>>
        | SendOpts<HandlerInput<F>>,
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
export interface IdempotentInvocation<D extends { readonly name: string }, H extends string> {
  readonly service: ServiceRef<D>;
  readonly handler: H;
  /** The virtual object key; leave out for services. */
  readonly key?: string;
  readonly idempotencyKey: string;
}

/**
 * The handlers an ingress client offers for `D`: those of a definition, a map of handlers as is,
 * or, for a bare `{ name }` without a type argument, any method taking any input and resolving to
 * `unknown`.
 *
 * @example
 * type Greet = IngressHandlers<typeof greeter>["greet"]; // the handler function
 */
export type IngressHandlers<D> = [HandlersOf<D>] extends [never]
  ? [Exclude<keyof D, "name">] extends [never]
    ? Record<string, (ctx: never, input?: unknown) => Promise<unknown>>
    : D // already a map of handlers, as in `IngressClient<Service<typeof greeter>>`
  : HandlersOf<D>;
/**
 * The handler names an ingress client offers for `D`.
 *
 * @example
 * const name: IngressHandlerName<typeof greeter> = "greet";
 */
export type IngressHandlerName<D> = keyof IngressHandlers<D> & string;

/**
 * The `run` handler of a workflow, which `workflowSubmit`/`workflowAttach` start and read.
 *
 * @example
 * type Result = HandlerOutput<IngressRunHandler<typeof signup>>;
 */
export type IngressRunHandler<D> = IngressHandlers<D> extends { run: infer F } ? F : never;

/**
 * A request/response client: one method per handler, resolving to the handler's output.
 *
 * @example
 * const greeting: string = await ingress.serviceClient(greeter).greet("Till");
 */
export type IngressClient<D> = {
  readonly [K in keyof IngressHandlers<D>]: (
    ...args: CallArgs<IngressHandlers<D>[K]>
  ) => Promise<HandlerOutput<IngressHandlers<D>[K]>>;
};

/**
 * A one-way client: one method per handler, resolving once the invocation is accepted.
 *
 * @example
 * const { invocationId } = await ingress.serviceSendClient(greeter).greet("Till");
 */
export type IngressSendClient<D> = {
  readonly [K in keyof IngressHandlers<D>]: (
    ...args: SendArgs<IngressHandlers<D>[K]>
  ) => Promise<Send<HandlerOutput<IngressHandlers<D>[K]>>>;
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
    ...args: SendArgs<IngressRunHandler<D>>
  ) => Promise<WorkflowSubmission<HandlerOutput<IngressRunHandler<D>>>>;
  /** Waits for `run` to finish and returns its output. */
  readonly workflowAttach: (
    options?:
      | AttachOptions<HandlerOutput<IngressRunHandler<D>>>
      | Opts<void, HandlerOutput<IngressRunHandler<D>>>,
  ) => Promise<HandlerOutput<IngressRunHandler<D>>>;
  /** The output of `run` if it has finished. */
  readonly workflowOutput: (
    options?:
      | AttachOptions<HandlerOutput<IngressRunHandler<D>>>
      | Opts<void, HandlerOutput<IngressRunHandler<D>>>,
  ) => Promise<Output<HandlerOutput<IngressRunHandler<D>>>>;
};
