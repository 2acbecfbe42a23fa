// SPDX-License-Identifier: MIT
// The runtime's retry policy for failed attempts (docs/protocol.md §8.2), applied on the virtual clock.
import type { RetryPolicy } from "../definitions/options.js";
import { durationToMs } from "../definitions/duration.js";

/** The real server's defaults: 500 ms, doubling, at most 1 minute apart, 70 attempts, then pause. */
export const SERVER_RETRY_POLICY: Readonly<Required<RetryPolicy>> = Object.freeze({
  initialInterval: 500,
  maxInterval: 60_000,
  exponentiationFactor: 2,
  maxAttempts: 70,
  onMaxAttempts: "pause",
});

/** What the runtime does after a failed attempt. */
export type RetryStep =
  | { readonly kind: "retry"; readonly delayMs: number }
  | { readonly kind: "pause" }
  | { readonly kind: "kill" };

/**
 * Decides the next step after the `failures`-th failed attempt. Policies are merged field by field,
 * most specific first (handler, service, environment); `nextRetryDelay` (from the SDK's
 * ErrorMessage) replaces the computed delay of this retry only.
 */
export function nextRetry(
  policies: ReadonlyArray<RetryPolicy | undefined>,
  failures: number,
  nextRetryDelay?: number,
): RetryStep {
  const pick = <K extends keyof RetryPolicy>(field: K): Required<RetryPolicy>[K] => {
    for (const policy of policies) {
      const value = policy?.[field];
      if (value !== undefined) return value as Required<RetryPolicy>[K];
    }
    return SERVER_RETRY_POLICY[field];
  };
  if (failures >= pick("maxAttempts")) {
    return { kind: pick("onMaxAttempts") === "kill" ? "kill" : "pause" };
  }
  if (nextRetryDelay !== undefined) return { kind: "retry", delayMs: nextRetryDelay };
  const initial = durationToMs(pick("initialInterval"));
  const max = durationToMs(pick("maxInterval"));
  const factor = pick("exponentiationFactor");
  return { kind: "retry", delayMs: Math.min(max, Math.round(initial * factor ** (failures - 1))) };
}
