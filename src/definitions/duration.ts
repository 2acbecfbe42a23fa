// SPDX-License-Identifier: MIT

/**
 * A span of time: milliseconds as a number, or an object of parts that are added up.
 *
 * @example
 * const d: Duration = { minutes: 5, seconds: 30 };
 */
export type Duration =
  | number
  | {
      readonly days?: number;
      readonly hours?: number;
      readonly minutes?: number;
      readonly seconds?: number;
      readonly milliseconds?: number;
    };

/**
 * Converts a {@link Duration} to whole milliseconds.
 *
 * @throws RangeError when the duration is negative or not finite.
 * @example
 * durationToMs({ seconds: 2 }); // 2000
 */
export function durationToMs(duration: Duration): number {
  const ms =
    typeof duration === "number"
      ? duration
      : (duration.days ?? 0) * 86_400_000 +
        (duration.hours ?? 0) * 3_600_000 +
        (duration.minutes ?? 0) * 60_000 +
        (duration.seconds ?? 0) * 1000 +
        (duration.milliseconds ?? 0);
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`Invalid duration ${JSON.stringify(duration)}: must be finite and >= 0`);
  }
  return Math.round(ms);
}
