// SPDX-License-Identifier: MIT
// `handlers.*`: wrappers that give a handler options (serdes, timeouts…) and, for objects and
// workflows, its kind. A module re-exported as a namespace (`export * as handlers`), so that
// `import shared = handlers.object.shared` works as with the official SDK, without TS namespaces.
import type { Context } from "../context/types.js";
import type { ServiceHandlerOpts } from "./options.js";
import type { HandlerFn } from "./types.js";
import { wrapHandler } from "./service.js";

export * as object from "./object-handlers.js";
export * as workflow from "./workflow-handlers.js";

/**
 * A handler function without its input parameter when the input type is `void`, so that clients
 * call it without an argument.
 */
export type RemoveVoidArgument<F> = F extends (ctx: infer C, input: infer A) => infer R
  ? A extends void
    ? (ctx: C) => R
    : F
  : F;

/**
 * A service handler with options.
 *
 * @example
 * handlers: { greet: handlers.handler({ ingressPrivate: true }, async (ctx: Context, name: string) => name) }
 */
export function handler<O, I = void>(
  opts: ServiceHandlerOpts<I, O>,
  fn: HandlerFn<Context, I, O>,
): RemoveVoidArgument<typeof fn>;
/** A service handler without options (same as the bare function). */
export function handler<O, I = void>(fn: HandlerFn<Context, I, O>): RemoveVoidArgument<typeof fn>;
export function handler<O, I>(
  a: ServiceHandlerOpts<I, O> | HandlerFn<Context, I, O>,
  b?: HandlerFn<Context, I, O>,
): unknown {
  return wrapHandler("handler", a as ServiceHandlerOpts, b);
}
