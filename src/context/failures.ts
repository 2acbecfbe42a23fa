// SPDX-License-Identifier: MIT
// Conversions between terminal errors and the protocol's failures.
import type { Failure } from "../journal/values.js";
import type { Outcome } from "../journal/futures.js";
import { TerminalError, isTerminalError } from "../errors.js";

/**
 * The error a failure is reported as: a terminal error as is; any other error as the terminal
 * error `asTerminalError` maps it to (the `asTerminalError` option of a handler, its service or the
 * endpoint), else unchanged, so the attempt fails and is retried.
 */
export function toTerminal(
  error: unknown,
  asTerminalError: ((error: unknown) => TerminalError | undefined) | undefined,
): unknown {
  if (asTerminalError === undefined || isTerminalError(error)) return error;
  const mapped = asTerminalError(error);
  return isTerminalError(mapped) ? mapped : error;
}

/** The protocol failure for a terminal error. */
export function failureOf(error: TerminalError): Failure {
  // Every TerminalError has metadata (`{}` by default); only a non-empty one reaches the wire.
  const entries = Object.entries(error.metadata ?? {});
  return {
    code: error.code,
    message: error.message,
    ...(entries.length > 0 ? { metadata: entries.map(([key, value]) => ({ key, value })) } : {}),
  };
}

/** How user code rejects an awakeable, a signal or a workflow promise: a message, or one with a code. */
export type RejectReason = string | { readonly message: string; readonly code?: number };

/** The protocol failure for a rejection reason; the code defaults to 500. */
export function failureFromReason(reason: RejectReason): Failure {
  return typeof reason === "string"
    ? { code: 500, message: reason }
    : { code: reason.code ?? 500, message: reason.message };
}

/** The terminal error for a protocol failure. */
export function errorOf(failure: Failure): TerminalError {
  const metadata =
    failure.metadata !== undefined && failure.metadata.length > 0
      ? Object.fromEntries(failure.metadata.map((m) => [m.key, m.value]))
      : undefined;
  return new TerminalError(failure.message, {
    errorCode: failure.code,
    ...(metadata !== undefined ? { metadata } : {}),
  });
}

/** The payload of a leaf outcome: its value bytes, `undefined` for void; throws its failure. */
export function payloadOf(outcome: Outcome): Uint8Array | undefined {
  if (outcome.kind !== "leaf") throw new TypeError("expected a single notification");
  const { result } = outcome;
  switch (result.kind) {
    case "value":
      return result.value;
    case "void":
      return undefined;
    case "failure":
      throw errorOf(result);
    default:
      throw new TypeError(`unexpected ${result.kind} result`);
  }
}
