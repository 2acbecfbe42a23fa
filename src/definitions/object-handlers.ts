// SPDX-License-Identifier: MIT
// `handlers.object.exclusive/shared` (see handlers.ts for why this is a module).
import type {
  ObjectContext,
  ObjectSharedContext,
  TypedState,
  UntypedState,
} from "../context/types.js";
import type { ObjectHandlerOpts } from "./options.js";
import type { RemoveVoidArgument } from "./handlers.js";
import type { HandlerFn } from "./types.js";
import { wrapHandler } from "./service.js";

/**
 * An exclusive virtual-object handler: one at a time per key, may write state. `TState` types
 * the state the handler reads and writes.
 *
 * @example
 * add: handlers.object.exclusive(async (ctx: ObjectContext<{ count: number }>, n: number) => n)
 */
export function exclusive<O, I = void, TState extends TypedState = UntypedState>(
  opts: ObjectHandlerOpts<I, O>,
  fn: HandlerFn<ObjectContext<TState>, I, O>,
): RemoveVoidArgument<typeof fn>;
export function exclusive<O, I = void, TState extends TypedState = UntypedState>(
  fn: HandlerFn<ObjectContext<TState>, I, O>,
): RemoveVoidArgument<typeof fn>;
export function exclusive(a: unknown, b?: unknown): unknown {
  return wrapHandler("exclusive", a as ObjectHandlerOpts, b as () => unknown);
}

/**
 * A shared virtual-object handler: runs concurrently with others, reads state only.
 *
 * @example
 * get: handlers.object.shared(async (ctx: ObjectSharedContext) => ctx.get<number>("count"))
 */
export function shared<O, I = void, TState extends TypedState = UntypedState>(
  opts: ObjectHandlerOpts<I, O>,
  fn: HandlerFn<ObjectSharedContext<TState>, I, O>,
): RemoveVoidArgument<typeof fn>;
export function shared<O, I = void, TState extends TypedState = UntypedState>(
  fn: HandlerFn<ObjectSharedContext<TState>, I, O>,
): RemoveVoidArgument<typeof fn>;
export function shared(a: unknown, b?: unknown): unknown {
  return wrapHandler("shared", a as ObjectHandlerOpts, b as () => unknown);
}
