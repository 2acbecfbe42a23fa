// SPDX-License-Identifier: MIT
// Typed clients a test uses to invoke handlers "from the ingress", built from the definitions.
import type { HandlerInput, HandlerOutput, HandlersOf } from "../definitions/clients.js";
import type { TestDuration } from "./duration.js";

/**
 * Options of a request from a test, like the HTTP ingress's.
 *
 * @example
 * await env.serviceClient(greeter).greet("Till", { idempotencyKey: "req-1" });
 */
export interface IngressCallOptions {
  /** Same key (for the same handler and object key) → same invocation, result retained. */
  readonly idempotencyKey?: string;
  /** Headers the handler sees in `ctx.request().headers`. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Options of a one-way send from a test.
 *
 * @example
 * env.serviceSendClient(greeter).greet("Till", { delay: "10m" });
 */
export interface IngressSendOptions extends IngressCallOptions {
  /** Start the invocation after this much virtual time. */
  readonly delay?: TestDuration;
}

/**
 * What a send from a test returns: the id of the invocation it created (or found, for a repeated
 * idempotency key), and its result.
 *
 * @example
 * const handle = env.serviceSendClient(greeter).greet("Till");
 * expect(await handle.result()).toBe("Hello Till");
 */
export interface SendHandle<O = unknown> {
  readonly invocationId: string;
  /** As the ingress answers a send: `PreviouslyAccepted` for a repeated idempotency key or workflow id. */
  readonly status: "Accepted" | "PreviouslyAccepted";
  /** Waits for the invocation's output (like `env.result(handle)`). */
  result(): Promise<O>;
}

/** True when `D` has typed handlers (a definition, not a bare name). */
export type IsTyped<D> = [HandlersOf<D>] extends [never] ? false : true;

/** The arguments of a test client's method: the handler's input (if any), then options. */
export type IngressArgs<F, Options> = [HandlerInput<F>] extends [void]
  ? [input?: undefined, options?: Options]
  : [input: HandlerInput<F>, options?: Options];

/**
 * A request/response client of a definition: one method per handler, resolving to its output
 * (or rejecting with its `TerminalError`). Untyped when built from a bare service name.
 *
 * @example
 * const out: string = await env.serviceClient(greeter).greet("Till");
 */
export type IngressClient<D> =
  IsTyped<D> extends true
    ? {
        readonly [K in keyof HandlersOf<D>]: (
          ...args: IngressArgs<HandlersOf<D>[K], IngressCallOptions>
        ) => Promise<HandlerOutput<HandlersOf<D>[K]>>;
      }
    : Readonly<Record<string, (input?: unknown, options?: IngressCallOptions) => Promise<unknown>>>;

/**
 * A one-way client of a definition: one method per handler, returning a {@link SendHandle}.
 *
 * @example
 * const { invocationId } = env.objectSendClient(cart, "Mary").add("apple", { delay: "1h" });
 */
export type IngressSendClient<D> =
  IsTyped<D> extends true
    ? {
        readonly [K in keyof HandlersOf<D>]: (
          ...args: IngressArgs<HandlersOf<D>[K], IngressSendOptions>
        ) => SendHandle<HandlerOutput<HandlersOf<D>[K]>>;
      }
    : Readonly<Record<string, (input?: unknown, options?: IngressSendOptions) => SendHandle>>;

/** A proxy whose properties are handler names. */
export function handlerProxy<T>(method: (handler: string) => T): Readonly<Record<string, T>> {
  return new Proxy(
    {},
    {
      get: (_target, property) => (typeof property === "string" ? method(property) : undefined),
    },
  );
}
