// SPDX-License-Identifier: MIT
// `internal.ContextInternal`: the experimental members of `ctx` the official SDK exposes through
// a cast. Every context object implements it (invocation-context.ts).
import type { Context, InvocationId, RestatePromise } from "./types.js";

/**
 * The context with experimental members, reached by casting `ctx`. May change without notice.
 *
 * @example
 * const ctxInternal = ctx as restate.internal.ContextInternal;
 * await RestatePromise.race([ctx.run(() => work()), ctxInternal.cancellation()]);
 * @experimental
 */
export interface ContextInternal extends Context {
  /**
   * True once every journaled command has been replayed: what `ctx.console` uses to stay silent
   * during replay. Branching on it makes the handler non-deterministic.
   */
  isProcessing(): boolean;
  /**
   * Resolves when the runtime delivers a cancel signal for this invocation. Needs
   * `explicitCancellation: true` on the handler, its service or the endpoint; otherwise the cancel
   * fails the handler's next await with a `CancelledError` and this never resolves. Returns the
   * same promise until it has resolved, then a fresh one that resolves on the next cancel signal.
   *
   * @example
   * const result = await RestatePromise.race([
   *   ctx.run(() => longTask()),
   *   ctxInternal.cancellation().map(() => {
   *     throw new TerminalError("Cancelled");
   *   }),
   * ]);
   */
  cancellation(): RestatePromise<void>;
  /**
   * Cancels the calls this handler made since the last time (each is sent the cancel signal) and
   * resolves with their invocation ids. Needs `explicitCancellation: true`; otherwise a no-op
   * resolving with none.
   */
  cancelPreviousCalls(): RestatePromise<InvocationId[]>;
}
