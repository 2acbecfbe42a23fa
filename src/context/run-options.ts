// SPDX-License-Identifier: MIT
import type { Duration } from "../definitions/duration.js";
import type { Serde } from "../serde/serde.js";

/**
 * Options of one `ctx.run`: its serde and its retry policy.
 *
 * With no retry option set, a failing closure is retried forever (by failing the attempt, so the
 * runtime's retry policy spaces the attempts). Setting any retry option switches to an exponential
 * policy whose exhaustion turns the failure into a terminal error.
 *
 * @example
 * await ctx.run("charge", () => charge(card), { maxRetryAttempts: 3, initialRetryInterval: 100 });
 */
export interface RunOptions<T> {
  readonly serde?: Serde<T>;
  readonly maxRetryAttempts?: number;
  readonly maxRetryDuration?: Duration;
  readonly initialRetryInterval?: Duration;
  readonly maxRetryInterval?: Duration;
  readonly retryIntervalFactor?: number;
}
