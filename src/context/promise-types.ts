// SPDX-License-Identifier: MIT
// The durable promise types every part of the context API returns. Types only.
// RestatePromise is declared beside its combinators value (one name for both, as in the official
// SDK), and re-exported here with the other promise types.
import type { RestatePromise } from "./combinators.js";

export type { RestatePromise };

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
