// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { EXPONENTIAL_DEFAULTS, fixedDelayPolicy, makeRetryPolicy } from "./retry-policy.js";

describe("makeRetryPolicy", () => {
  it("retries forever without a delay when no retry option is set", () => {
    for (const policy of [makeRetryPolicy(undefined), makeRetryPolicy({})]) {
      expect(policy.next(1, 0)).toEqual({ kind: "retry" });
      expect(policy.next(10_000, 1e12)).toEqual({ kind: "retry" });
    }
  });

  it("switches to the exponential defaults once any retry option is set", () => {
    const policy = makeRetryPolicy({ maxRetryAttempts: 100 });
    const { initialIntervalMs, factor, maxIntervalMs } = EXPONENTIAL_DEFAULTS;
    expect(policy.next(1, 0)).toEqual({ kind: "retry", delayMs: initialIntervalMs });
    expect(policy.next(2, 0)).toEqual({ kind: "retry", delayMs: initialIntervalMs * factor });
    expect(policy.next(3, 0)).toEqual({ kind: "retry", delayMs: initialIntervalMs * factor ** 2 });
    expect(policy.next(60, 0)).toEqual({ kind: "retry", delayMs: maxIntervalMs });
  });

  it("grows the delay by the factor from the initial interval, capped at the maximum", () => {
    const policy = makeRetryPolicy({
      initialRetryInterval: { seconds: 1 },
      retryIntervalFactor: 3,
      maxRetryInterval: 5000,
    });
    const delays = [1, 2, 3, 4].map((n) => policy.next(n, 0));
    expect(delays).toEqual([
      { kind: "retry", delayMs: 1000 },
      { kind: "retry", delayMs: 3000 },
      { kind: "retry", delayMs: 5000 },
      { kind: "retry", delayMs: 5000 },
    ]);
  });

  it("turns terminal once the attempt count reaches maxRetryAttempts", () => {
    const policy = makeRetryPolicy({ maxRetryAttempts: 3 });
    expect(policy.next(2, 0).kind).toBe("retry");
    expect(policy.next(3, 0)).toEqual({ kind: "terminal" });
    expect(policy.next(4, 0)).toEqual({ kind: "terminal" });
  });

  it("turns terminal once the time spent reaches maxRetryDuration", () => {
    const policy = makeRetryPolicy({ maxRetryDuration: { seconds: 2 } });
    expect(policy.next(1, 1999).kind).toBe("retry");
    expect(policy.next(1, 2000)).toEqual({ kind: "terminal" });
  });

  it("rejects an invalid duration when the policy is built", () => {
    expect(() => makeRetryPolicy({ initialRetryInterval: -1 })).toThrow(RangeError);
  });
});

describe("fixedDelayPolicy", () => {
  it("retries after the given delay whatever the attempt, without bounds", () => {
    const policy = fixedDelayPolicy(750, undefined);
    expect(policy.next(1, 0)).toEqual({ kind: "retry", delayMs: 750 });
    expect(policy.next(50, 1e9)).toEqual({ kind: "retry", delayMs: 750 });
  });

  it("keeps the run's attempt and duration bounds but ignores its interval options", () => {
    const policy = fixedDelayPolicy(200, {
      maxRetryAttempts: 4,
      maxRetryDuration: { minutes: 1 },
      initialRetryInterval: 10,
      retryIntervalFactor: 5,
    });
    expect(policy.next(3, 59_999)).toEqual({ kind: "retry", delayMs: 200 });
    expect(policy.next(4, 0)).toEqual({ kind: "terminal" });
    expect(policy.next(1, 60_000)).toEqual({ kind: "terminal" });
  });
});
