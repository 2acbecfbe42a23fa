// SPDX-License-Identifier: MIT
// What the negotiated protocol version can carry (docs/protocol.md §14). A feature it cannot carry
// is refused with a reported error (573), never silently dropped; an empty key is refused on every
// version (docs/protocol.md §6.3). Each check returns the refusal, given the command it concerns;
// the VM fails the attempt with it.
import {
  type ErrorBehavior,
  ErrorCode,
  type ProtocolError,
  type RelatedCommand,
  protocolErrors,
  withBehavior,
} from "./errors.js";
import type { CallRequest, Result } from "./control-frames.js";
import type { Target } from "./values.js";

/** Builds the error of a refused command from that command's index, type and name. */
export type Refusal = (related: RelatedCommand | undefined) => ProtocolError;

/** Why a call or send cannot be written, if it cannot. */
export function callRequestRefusal(
  version: number,
  req: Pick<CallRequest, "idempotencyKey" | "scope" | "limitKey">,
): Refusal | undefined {
  if (req.idempotencyKey === "") return emptyField("idempotency key");
  if (req.scope === undefined && req.limitKey === undefined) return undefined;
  if (req.scope === "") return emptyField("scope");
  if (req.limitKey === "") return emptyField("limit key");
  if (version >= 7) return undefined;
  return unsupported(req.scope !== undefined ? "Scope" : "Limit key", version);
}

/** Why an attach or get-output target cannot be written, if it cannot. */
export function targetRefusal(version: number, target: Target): Refusal | undefined {
  if (target.kind === "invocation" || target.scope === undefined) return undefined;
  if (target.scope === "") return emptyField("scope");
  return version >= 7 ? undefined : unsupported("Scope", version);
}

/** Failure metadata needs V6. */
export function resultRefusal(version: number, result: Result): Refusal | undefined {
  if (version >= 6 || !("failure" in result)) return undefined;
  const metadata = result.failure.metadata;
  if (metadata === undefined || metadata.length === 0) return undefined;
  return unsupported("Failure metadata", version);
}

/**
 * A journal mismatch (570) with the behavior the handler chose for it (`onJournalMismatchErrors`).
 * Only on V7, as the official core does: before it the mismatch stays a plain error the runtime
 * retries. A pause asked by a `PauseError` in a run is written on every version, also as the
 * official core does, and restate-server 1.7 pauses on it whatever the version
 * (test/e2e/pause-side-by-side.test.ts).
 */
export function mismatchBehavior(
  version: number,
  error: ProtocolError,
  behavior: ErrorBehavior,
): ProtocolError {
  if (version < 7 || error.code !== ErrorCode.JournalMismatch) return error;
  return withBehavior(error, behavior);
}

function emptyField(field: "idempotency key" | "scope" | "limit key"): Refusal {
  return (related) => protocolErrors.emptyCallField(field, related);
}

function unsupported(feature: string, version: number): Refusal {
  return (related) => protocolErrors.unsupportedFeature(feature, version, related);
}
