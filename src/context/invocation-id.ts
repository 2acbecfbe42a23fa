// SPDX-License-Identifier: MIT
import type { InvocationId } from "./promise-types.js";

/**
 * Checks and types invocation ids read from elsewhere (a database, a request).
 *
 * @example
 * const id = InvocationIdParser.fromString(row.invocationId); await ctx.attach(id);
 */
export const InvocationIdParser = Object.freeze({
  /** The id as an `InvocationId`; throws a TypeError unless it looks like one (`inv_...`). */
  fromString(id: string): InvocationId {
    if (!/^inv_[0-9A-Za-z]+$/.test(id)) throw new TypeError(`Not an invocation id: ${id}`);
    return id;
  },
});
