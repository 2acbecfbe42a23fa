// SPDX-License-Identifier: MIT
// How `ctx.sleep` and a send's `delay` read a Duration, as the official SDK does: whole
// milliseconds, fractions cut off (not rounded). A duration the runtime cannot take is not thrown
// at the caller: the context ends the attempt with it (the runtime retries), as the official SDK does.
import type { Duration } from "../definitions/duration.js";

/** The whole milliseconds of a duration, fractions cut off; NaN when a part is not a number. */
export function truncatedMillis(duration: Duration): number {
  if (typeof duration === "number") return Math.trunc(duration);
  const { days = 0, hours = 0, minutes = 0, seconds = 0, milliseconds = 0 } = duration;
  return Math.trunc(
    milliseconds + 1000 * seconds + 60_000 * minutes + 3_600_000 * hours + 86_400_000 * days,
  );
}

/**
 * The milliseconds to sleep for `duration`.
 *
 * @throws Error when the duration is missing or negative, and RangeError (the engine's own, from
 * `BigInt`) when it is not a whole number (NaN, infinite): the same messages as the official SDK.
 */
export function sleepMillis(duration: Duration | undefined): number {
  if (duration === undefined) throw new Error("Duration is undefined.");
  const ms = truncatedMillis(duration);
  if (ms < 0) {
    throw new Error(
      `Invalid negative sleep duration: ${ms}ms.\n` +
        "A wake-up time computed from the clock should take 'now' from ctx.date.now(), which is journaled.",
    );
  }
  // The wire carries a 64-bit integer: this throws the same RangeError for NaN and infinities.
  BigInt(ms);
  return ms;
}

/**
 * The milliseconds a send is delayed by, or undefined when it is not delayed: zero, negative and
 * NaN delays send at once, as with the official SDK.
 *
 * @throws RangeError (from `BigInt`) when the delay is infinite.
 */
export function sendDelayMillis(delay: Duration): number | undefined {
  const ms = truncatedMillis(delay);
  if (!(ms > 0)) return undefined;
  BigInt(ms);
  return ms;
}
