// SPDX-License-Identifier: MIT
// The local retry decision for a failing `ctx.run` closure (docs/protocol.md §9).
import { durationToMs } from "../definitions/duration.js";
import type { RunOptions } from "./run-options.js";

/** What to do after a run closure failed with a retryable error. */
export type RetryDecision =
  { readonly kind: "retry"; readonly delayMs?: number } | { readonly kind: "terminal" };

/** A retry policy: given the attempt count and time spent so far, decides the next step. */
export interface RetryPolicy {
  next(retryCount: number, elapsedMs: number): RetryDecision;
}

const INFINITE: RetryPolicy = Object.freeze({ next: () => ({ kind: "retry" }) as const });

/** Defaults of the exponential policy, used once any retry option is set. */
export const EXPONENTIAL_DEFAULTS = Object.freeze({
  initialIntervalMs: 50,
  factor: 2,
  maxIntervalMs: 10_000,
});

/** Builds the policy a run's options describe. */
export function makeRetryPolicy(options: RunOptions<unknown> | undefined): RetryPolicy {
  if (options === undefined) return INFINITE;
  const {
    maxRetryAttempts,
    maxRetryDuration,
    initialRetryInterval,
    maxRetryInterval,
    retryIntervalFactor,
  } = options;
  if (
    maxRetryAttempts === undefined &&
    maxRetryDuration === undefined &&
    initialRetryInterval === undefined &&
    maxRetryInterval === undefined &&
    retryIntervalFactor === undefined
  ) {
    return INFINITE;
  }
  const initial =
    initialRetryInterval !== undefined
      ? durationToMs(initialRetryInterval)
      : EXPONENTIAL_DEFAULTS.initialIntervalMs;
  const max =
    maxRetryInterval !== undefined
      ? durationToMs(maxRetryInterval)
      : EXPONENTIAL_DEFAULTS.maxIntervalMs;
  const factor = retryIntervalFactor ?? EXPONENTIAL_DEFAULTS.factor;
  const maxDuration = maxRetryDuration !== undefined ? durationToMs(maxRetryDuration) : undefined;
  return {
    next(retryCount, elapsedMs) {
      if (maxRetryAttempts !== undefined && maxRetryAttempts <= retryCount)
        return { kind: "terminal" };
      if (maxDuration !== undefined && maxDuration <= elapsedMs) return { kind: "terminal" };
      return { kind: "retry", delayMs: Math.min(max, initial * factor ** (retryCount - 1)) };
    },
  };
}

/** A fixed-delay policy keeping the run's bounds, for `RetryableError({ retryAfter })`. */
export function fixedDelayPolicy(
  delayMs: number,
  options: RunOptions<unknown> | undefined,
): RetryPolicy {
  const maxAttempts = options?.maxRetryAttempts;
  const maxDuration =
    options?.maxRetryDuration !== undefined ? durationToMs(options.maxRetryDuration) : undefined;
  return {
    next(retryCount, elapsedMs) {
      if (maxAttempts !== undefined && maxAttempts <= retryCount) return { kind: "terminal" };
      if (maxDuration !== undefined && maxDuration <= elapsedMs) return { kind: "terminal" };
      return { kind: "retry", delayMs };
    },
  };
}
