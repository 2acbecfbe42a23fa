// SPDX-License-Identifier: MIT
// Durations as tests like to write them: `"15m"`, `"1d"`, `"2h30m"`, `"500ms"`, or the SDK's own
// `Duration` (milliseconds or `{ minutes: 15 }`).
import { type Duration, durationToMs } from "../definitions/duration.js";

/**
 * A span of virtual time: the SDK's {@link Duration}, or a string of `<number><unit>` parts with
 * units `ms`, `s`, `m`, `h`, `d` (e.g. `"1d"`, `"2h30m"`, `"1.5s"`).
 *
 * @example
 * await env.advance("2h30m");
 */
export type TestDuration = Duration | string;

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/**
 * Converts a {@link TestDuration} to whole milliseconds.
 *
 * @throws RangeError for negative, non-finite or unparsable durations.
 * @example
 * toMs("1h30m"); // 5_400_000
 */
export function toMs(duration: TestDuration): number {
  if (typeof duration !== "string") return durationToMs(duration);
  const text = duration.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return durationToMs(Number(text));
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (match === null) break;
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ""] ?? Number.NaN);
  }
  if (text === "" || PART.lastIndex !== text.length) {
    throw new RangeError(
      `Invalid duration "${duration}": use parts like "500ms", "30s", "15m", "2h", "1d"`,
    );
  }
  return durationToMs(total);
}
