// SPDX-License-Identifier: MIT
// What a request addresses, shared by the Hono app and the Node fast path for invocations.
import type { ProtocolVersion } from "../context/invocation.js";

/** The protocol versions answered, keyed by the exact content type the runtime sends (§1.3). */
export const INVOCATION_CONTENT_TYPES: ReadonlyMap<string, ProtocolVersion> = new Map([
  ["application/vnd.restate.invocation.v5", 5],
  ["application/vnd.restate.invocation.v6", 6],
  ["application/vnd.restate.invocation.v7", 7],
]);

/** Parses a content type loosely (case, spaces, parameters) when the exact lookup misses. */
export function protocolVersionOf(contentType: string | null): ProtocolVersion | undefined {
  if (contentType === null) return undefined;
  return (
    INVOCATION_CONTENT_TYPES.get(contentType) ??
    INVOCATION_CONTENT_TYPES.get((contentType.split(";", 1)[0] ?? "").trim().toLowerCase())
  );
}

/** What the last segments of a path address (PROTOCOL.md §1.1), whatever the prefix. */
export interface InvokeTarget {
  readonly kind: "invoke";
  readonly service: string;
  readonly handler: string;
}
export type Target = InvokeTarget | { readonly kind: "discover" | "health" | "none" };

const DISCOVER: Target = { kind: "discover" };
const HEALTH: Target = { kind: "health" };
const NONE: Target = { kind: "none" };

export function targetOf(path: string): Target {
  const segments = path.split("/");
  const n = segments.length;
  if (n >= 4 && segments[n - 3] === "invoke") {
    return { kind: "invoke", service: segments[n - 2] ?? "", handler: segments[n - 1] ?? "" };
  }
  const last = segments[n - 1];
  return last === "discover" ? DISCOVER : last === "health" ? HEALTH : NONE;
}
