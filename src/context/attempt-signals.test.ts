// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { CancelledError } from "../errors.js";
import { AttemptSignals } from "./attempt-signals.js";

describe("AttemptSignals", () => {
  it("aborts the attempt signal when the attempt ends, whether asked for before or after", () => {
    const early = new AttemptSignals();
    const before = early.attempt;
    expect(before.aborted).toBe(false);
    early.markEnded();
    expect(before.aborted).toBe(true);
    expect((before.reason as Error).message).toMatch(/attempt ended/);

    const late = new AttemptSignals();
    late.markEnded();
    expect(late.attempt.aborted).toBe(true);
  });

  it("returns the same signal each time it is asked", () => {
    const signals = new AttemptSignals();
    expect(signals.attempt).toBe(signals.attempt);
    expect(signals.runSignal).toBe(signals.runSignal);
  });

  it("aborts the run signal with a CancelledError on cancellation, leaving the attempt signal alone", () => {
    const signals = new AttemptSignals();
    const run = signals.runSignal;
    expect(run.aborted).toBe(false);
    signals.markCancelled();
    expect(run.aborted).toBe(true);
    expect(run.reason).toBeInstanceOf(CancelledError);
    expect(signals.attempt.aborted).toBe(false);
  });

  it("gives an already-aborted run signal when cancellation came before anyone asked", () => {
    const signals = new AttemptSignals();
    signals.markCancelled();
    expect(signals.runSignal.aborted).toBe(true);
    expect(signals.runSignal.reason).toBeInstanceOf(CancelledError);
  });

  it("aborts the run signal when the attempt ends", () => {
    const signals = new AttemptSignals();
    const run = signals.runSignal;
    signals.markEnded();
    expect(run.aborted).toBe(true);
    expect(run.reason).not.toBeInstanceOf(CancelledError);
  });

  it("aborts each signal once: later marks do not change the reason or fire again", () => {
    const signals = new AttemptSignals();
    const run = signals.runSignal;
    let fired = 0;
    run.addEventListener("abort", () => fired++);
    signals.markCancelled();
    const reason: unknown = run.reason;
    signals.markCancelled();
    signals.markEnded();
    signals.markEnded();
    expect(fired).toBe(1);
    expect(run.reason).toBe(reason);
  });
});
