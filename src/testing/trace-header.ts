// SPDX-License-Identifier: MIT
// The W3C `traceparent` the in-memory runtime sends with each attempt, as a Restate server with
// tracing enabled does: one trace per invocation, a new parent span per attempt. Derived from the
// invocation id, so runs are reproducible.

/** 64-bit FNV-1a of `text`, as 16 hex digits. */
function fnv1a64(text: string, seed: bigint): string {
  let hash = 0xcbf29ce484222325n ^ seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

/**
 * The `traceparent` header of attempt `attempt` (1, 2, …) of an invocation.
 *
 * @example
 * attemptTraceparent("inv_1abc", 1); // "00-<32 hex>-<16 hex>-01"
 */
export function attemptTraceparent(invocationId: string, attempt: number): string {
  const traceId = fnv1a64(invocationId, 1n) + fnv1a64(invocationId, 2n);
  const spanId = fnv1a64(`${invocationId}#${attempt}`, 3n);
  return `00-${traceId}-${spanId}-01`;
}
