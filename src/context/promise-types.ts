// SPDX-License-Identifier: MIT
// The durable promise types every part of the context API returns. Types only.
import type { TerminalError } from "../errors.js";
import type { Duration } from "../definitions/duration.js";

/**
 * A durable promise: awaitable like a `Promise`, and combinable with the `RestatePromise`
 * combinators so that the runtime can suspend the invocation while it waits.
 *
 * Awaiting one is an await point: when the result is not in the journal yet and nothing else can
 * progress, the invocation suspends until the runtime delivers it (it then replays to here).
 *
 * @example
 * const greeting = await ctx.run("greet", () => "hi").orTimeout({ seconds: 5 });
 */
export interface RestatePromise<T> extends Promise<T> {
  /**
   * Races this promise against a durable timer: rejects with a `TimeoutError` (code 408) if it
   * has not settled within `duration`. Journals a Sleep command for the timer; a promise that is
   * already settled (`RestatePromise.resolve`) is returned as is.
   */
  orTimeout(duration: Duration): RestatePromise<T>;
  /**
   * Transforms the outcome once settled. The mapper gets the value, or `(undefined, failure)` for
   * a `TerminalError`; what it returns (or throws) becomes the new outcome. Other errors pass
   * through unmapped. Journals nothing; the mapping runs again on replay.
   */
  map<U>(mapper: (value?: T, failure?: TerminalError) => U): RestatePromise<U>;
}

/** An invocation id, `inv_…`. */
export type InvocationId = string;

/**
 * What a one-way send returns: the id of the invocation it created.
 *
 * @example
 * const handle = ctx.serviceSendClient(greeter).greet("Till"); await ctx.attach(await handle.invocationId);
 */
export interface InvocationHandle {
  /** Resolves once the runtime has created the invocation (may suspend until then). */
  readonly invocationId: Promise<InvocationId>;
}

/**
 * The result of a call: the callee's output, plus its invocation id.
 *
 * @example
 * const p = ctx.serviceClient(greeter).greet("Till"); const id = await p.invocationId;
 */
export interface InvocationPromise<T> extends RestatePromise<T>, InvocationHandle {}
