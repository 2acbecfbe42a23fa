// SPDX-License-Identifier: MIT
// The public shapes of hooks: the official SDK's `HooksProvider` / `Interceptor { handler, run }`,
// plus interceptors for outgoing calls and one-way sends.
import type { Request } from "./types.js";

/**
 * An outgoing call or one-way send made through `ctx`, as a `call` interceptor sees it, before it
 * is journaled. Interceptors may add or change `headers`.
 *
 * Headers are part of the journaled command and are compared on replay, like every argument. On a
 * replayed call (`isReplaying`), `headers` already holds what the first attempt sent, so leave
 * them alone: only a call that is new may get headers that differ from attempt to attempt (a
 * trace context, a timestamp).
 *
 * @example
 * const tenant: Interceptor = {
 *   call(request, next) {
 *     request.headers["x-tenant"] ??= "acme";
 *     next();
 *   },
 * };
 */
export interface OutgoingCall {
  /** `call` for request/response calls, `send` for one-way sends (`ctx.*SendClient`, `genericSend`). */
  readonly kind: "call" | "send";
  readonly service: string;
  readonly handler: string;
  /** The object or workflow key; undefined for services. */
  readonly key: string | undefined;
  readonly idempotencyKey: string | undefined;
  /** Headers the callee will see in `ctx.request().headers`; mutable. */
  readonly headers: Record<string, string>;
  /** True when this call is already in the journal (the attempt is replaying up to it). */
  readonly isReplaying: boolean;
}

/**
 * What a `run` interceptor learns about the closure it wraps.
 *
 * @example
 * const run: Interceptor["run"] = async (name, next, { retryCount }) => next();
 */
export interface RunInfo {
  /** Failed executions of this closure before this one (0 on the first), as the runtime reports. */
  readonly retryCount: number;
}

/**
 * Code around each attempt of a handler, each executed `ctx.run` closure, and (an addition to the
 * official SDK) each outgoing call and send. Same shape and error semantics as the official SDK:
 *
 * - `next()` must be called exactly once. A {@link TerminalError} thrown before or after it fails
 *   the invocation (or the run) for good; any other error makes Restate retry.
 * - When the attempt ends early (suspension, a run that must be retried, a journal mismatch),
 *   `next()` rejects; do any cleanup and rethrow. `isSuspendedError(e)` tells a suspension apart.
 * - Interceptors cannot replace a success value, but can transform errors by rethrowing.
 * - `handler` fires on every attempt; `run` only when the closure executes (not for results that
 *   are replayed from the journal); `call` on every call and send, replayed or new.
 *
 * @example
 * const timing: Interceptor = {
 *   async handler(next) {
 *     const started = performance.now();
 *     try {
 *       await next();
 *     } finally {
 *       console.log("attempt took", performance.now() - started, "ms");
 *     }
 *   },
 * };
 */
export interface Interceptor {
  /** Wraps the handler, once per attempt. */
  handler?: (next: () => Promise<void>) => Promise<void>;
  /**
   * Wraps one `ctx.run` closure that executes; `name` is the run's name ("" when unnamed). `info`
   * (an addition) says how often the closure was retried before.
   */
  run?: (name: string, next: () => Promise<void>, info: RunInfo) => Promise<void>;
  /**
   * Wraps journaling one outgoing call or send; synchronous, like the `ctx` method itself. An
   * error thrown here is thrown at the `ctx` call site.
   */
  call?: (request: OutgoingCall, next: () => void) => void;
}

/**
 * What a {@link HooksProvider} returns for one attempt.
 *
 * @example
 * const hooks: Hooks = { interceptor: { handler: (next) => next() } };
 */
export interface Hooks {
  interceptor?: Interceptor;
}

/**
 * What a {@link HooksProvider} is given: the invocation's request, plus (additions) where it is
 * going and whether the attempt is still replaying its journal.
 *
 * @example
 * const provider: HooksProvider = (ctx) => ({
 *   interceptor: { handler: (next) => (ctx.isReplaying ? next() : next()) },
 * });
 */
export interface HookContext {
  readonly request: Request;
  readonly service: string;
  readonly handler: string;
  /** The object or workflow key; undefined for services. */
  readonly key: string | undefined;
  /**
   * Retries since the journal last made progress, as the runtime reports it (0 on a first
   * attempt; best effort).
   */
  readonly retryCount: number;
  /** True while the attempt replays journaled steps; read it when you need it (it changes). */
  readonly isReplaying: boolean;
}

/**
 * Called once per attempt; returns the hooks for that attempt. Configure it with the `hooks`
 * option of a service, a handler, or `endpoint().defaultServiceOptions(…)`. Service hooks wrap
 * handler hooks; within a list, `[A, B]` runs A before → B before → handler → B after → A after.
 * Endpoint default hooks apply to services without `hooks` of their own (a service's own list
 * replaces them, as with every default option), in the service's place.
 *
 * @example
 * const greeter = service({
 *   name: "Greeter",
 *   handlers: { greet: async (ctx: Context, name: string) => `Hello ${name}` },
 *   options: { hooks: [(ctx) => ({ interceptor: { handler: (next) => next() } })] },
 * });
 * @see https://docs.restate.dev/develop/ts/hooks
 */
export type HooksProvider = (ctx: HookContext) => Hooks;
