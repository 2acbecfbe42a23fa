// SPDX-License-Identifier: MIT
// Types that turn a service definition into typed clients. Type-only: no runtime code.
import type {
  CallOptions,
  InvocationHandle,
  InvocationPromise,
  SendOptions,
} from "../context/types.js";
import type { ServiceDefinition, ServiceKind } from "./service.js";

/** Any handler function. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- ctx and input types vary per handler
export type AnyHandlerFn = (ctx: any, input?: any) => unknown;

/** The input type of a handler function (`void` when it takes none). */
export type HandlerInput<F> = F extends (...args: infer A) => unknown
  ? A extends [unknown]
    ? void
    : A extends [unknown, (infer I)?]
      ? I
      : void
  : never;

/** The output type of a handler function. */
export type HandlerOutput<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

/** The handler functions of a definition. */
export type HandlersOf<D> = D extends ServiceDefinition<string, infer M, ServiceKind> ? M : never;

/** The name of a definition. */
export type NameOf<D> = D extends ServiceDefinition<infer P, unknown, ServiceKind> ? P : string;

/** A definition, or just its name (enough at runtime; a type-only import supplies the rest). */
export type ServiceRef<D> = D | { readonly name: NameOf<D> };
/** A virtual object definition or its name. */
export type ObjectRef<D> = ServiceRef<D>;
/** A workflow definition or its name. */
export type WorkflowRef<D> = ServiceRef<D>;

type CallArgs<F> = [HandlerInput<F>] extends [void]
  ? [input?: undefined, options?: CallOptions<void, HandlerOutput<F>>]
  : [input: HandlerInput<F>, options?: CallOptions<HandlerInput<F>, HandlerOutput<F>>];

type SendArgs<F> = [HandlerInput<F>] extends [void]
  ? [input?: undefined, options?: SendOptions<void>]
  : [input: HandlerInput<F>, options?: SendOptions<HandlerInput<F>>];

/**
 * A typed request/response client: one method per handler, returning its result.
 *
 * @example
 * const out: string = await ctx.serviceClient(greeter).greet("Till");
 */
export type Client<D> = {
  readonly [K in keyof HandlersOf<D>]: (
    ...args: CallArgs<HandlersOf<D>[K]>
  ) => InvocationPromise<HandlerOutput<HandlersOf<D>[K]>>;
};

/**
 * A typed one-way client: one method per handler, returning the new invocation's handle.
 *
 * @example
 * const handle = ctx.serviceSendClient(greeter).greet("Till", rpc.sendOpts({ delay: 1000 }));
 */
export type SendClient<D> = {
  readonly [K in keyof HandlersOf<D>]: (...args: SendArgs<HandlersOf<D>[K]>) => InvocationHandle;
};
