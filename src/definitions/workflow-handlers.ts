// SPDX-License-Identifier: MIT
// `handlers.workflow.workflow/shared` (see handlers.ts for why this is a module).
import type {
  TypedState,
  UntypedState,
  WorkflowContext,
  WorkflowSharedContext,
} from "../context/types.js";
import type { WorkflowHandlerOpts } from "./options.js";
import type { RemoveVoidArgument } from "./handlers.js";
import type { HandlerFn } from "./types.js";
import { wrapHandler } from "./service.js";

/**
 * A workflow's `run` handler: runs once per workflow id.
 *
 * @example
 * run: handlers.workflow.workflow({ workflowRetention: { days: 1 } }, async (ctx: WorkflowContext, email: string) => email)
 */
export function workflow<O, I = void, TState extends TypedState = UntypedState>(
  opts: WorkflowHandlerOpts<I, O>,
  fn: HandlerFn<WorkflowContext<TState>, I, O>,
): RemoveVoidArgument<typeof fn>;
export function workflow<O, I = void, TState extends TypedState = UntypedState>(
  fn: HandlerFn<WorkflowContext<TState>, I, O>,
): RemoveVoidArgument<typeof fn>;
export function workflow(a: unknown, b?: unknown): unknown {
  return wrapHandler("workflow", a as WorkflowHandlerOpts, b as () => unknown);
}

/**
 * A workflow's shared handler: signals, queries, durable promise resolution.
 *
 * @example
 * approve: handlers.workflow.shared(async (ctx: WorkflowSharedContext) => ctx.promise("ok").resolve(true))
 */
export function shared<O, I = void, TState extends TypedState = UntypedState>(
  opts: WorkflowHandlerOpts<I, O>,
  fn: HandlerFn<WorkflowSharedContext<TState>, I, O>,
): RemoveVoidArgument<typeof fn>;
export function shared<O, I = void, TState extends TypedState = UntypedState>(
  fn: HandlerFn<WorkflowSharedContext<TState>, I, O>,
): RemoveVoidArgument<typeof fn>;
export function shared(a: unknown, b?: unknown): unknown {
  return wrapHandler("shared", a as WorkflowHandlerOpts, b as () => unknown);
}
