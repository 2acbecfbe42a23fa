// SPDX-License-Identifier: MIT
// The typed clients of `ctx.serviceClient(…)` & co.: one method per handler. Types only.
import type { HandlerDescriptor, InferInput, InferOutput } from "../definitions/descriptors.js";
import type { ClientCallOptions, ClientSendOptions, Opts, SendOpts } from "./call-options.js";
import type { InvocationHandle, InvocationPromise } from "./promise-types.js";

/** The first element of a parameter list (the handler input), `unknown` if there is none. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any further parameters
export type InferArg<P> = P extends [infer A, ...any[]] ? A : unknown;

/**
 * A client method: the handler's parameters (after the context) followed by optional options.
 * A handler without input also accepts `(undefined, options)` (our addition; the official shape
 * is `(options?)`).
 */
export type ClientMethod<P extends unknown[], O, R> = P extends []
  ? ((opts?: O) => R) & ((input: undefined, opts?: O) => R)
  : (...args: [...P, ...[opts?: O]]) => R;

/**
 * A typed request/response client over a handler map: one method per handler, taking its input
 * (if any) and options, returning its output as an {@link InvocationPromise}.
 *
 * @example
 * const out: string = await ctx.serviceClient(greeter).greet("Till");
 */
export type Client<M> = {
  [K in keyof M as M[K] extends never ? never : K]: M[K] extends (
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the context parameter
    ctx: any,
    ...args: infer P
  ) => PromiseLike<infer O>
    ? ClientMethod<
        P,
        Opts<InferArg<P>, O> | ClientCallOptions<InferArg<P>, O>,
        InvocationPromise<O>
      >
    : never;
};

/**
 * A typed one-way client over a handler map: one method per handler, returning the new
 * invocation's {@link InvocationHandle}.
 *
 * @example
 * const handle = ctx.serviceSendClient(greeter).greet("Till", rpc.sendOpts({ delay: 1000 }));
 */
export type SendClient<M> = {
  [K in keyof M as M[K] extends never ? never : K]: M[K] extends (
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the context parameter
    ctx: any,
    ...args: infer P
  ) => unknown
    ? ClientMethod<P, SendOpts<InferArg<P>> | ClientSendOptions<InferArg<P>>, InvocationHandle>
    : never;
};

/**
 * A typed client built from an interface description (`iface`).
 *
 * @example
 * const hello = await ctx.client(greeterApi).greet("Till");
 */
export type ClientFromDescriptors<H extends Record<string, HandlerDescriptor>> = {
  readonly [K in keyof H]: [InferInput<H[K]>] extends [void]
    ? (opts?: Opts<InferInput<H[K]>, InferOutput<H[K]>>) => InvocationPromise<InferOutput<H[K]>>
    : (
        input: InferInput<H[K]>,
        opts?: Opts<InferInput<H[K]>, InferOutput<H[K]>>,
      ) => InvocationPromise<InferOutput<H[K]>>;
};

/**
 * A typed one-way client built from an interface description (`iface`).
 *
 * @example
 * ctx.sendClient(greeterApi).greet("Till", rpc.sendOpts({ delay: 1000 }));
 */
export type SendClientFromDescriptors<H extends Record<string, HandlerDescriptor>> = {
  readonly [K in keyof H]: [InferInput<H[K]>] extends [void]
    ? (opts?: SendOpts<InferInput<H[K]>>) => InvocationHandle
    : (input: InferInput<H[K]>, opts?: SendOpts<InferInput<H[K]>>) => InvocationHandle;
};
