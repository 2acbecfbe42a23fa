// SPDX-License-Identifier: MIT
// `internal.ContextInternal` on the real context over a real engine: isProcessing(),
// cancellation() and cancelPreviousCalls(), with explicit and implicit cancellation.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CommandType } from "../journal/message-types.js";
import { completion, frame, result, signal, utf8 } from "../journal/testing/journal-case.js";
import { CancelledError } from "../errors.js";
import type { ContextInternal } from "./context-internal.js";
import { RestatePromise } from "./combinators.js";
import { harness } from "./__fixtures__/harness.js";
import { flush, observe } from "./__fixtures__/settling.js";

type Harness = ReturnType<typeof harness>;
const CANCEL = signal(1, result.void());
const explicit = () => harness({ explicitCancellation: true });
const sendSignals = (h: Harness) =>
  h
    .output()
    .filter((f) => f.type === CommandType.SendSignal)
    .map((f) => (f.message as unknown as { targetInvocationId: string }).targetInvocationId);

describe("ContextInternal", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("the context implements it", () => {
    const ctx: ContextInternal = harness().ctx;
    expect(typeof ctx.cancellation).toBe("function");
  });

  it("isProcessing(): false while journaled commands replay, true after", () => {
    const journaled = frame(CommandType.SetState, {
      key: utf8("a"),
      value: { content: utf8("1") },
    });
    const h = harness({ journal: [journaled] });
    expect(h.ctx.isProcessing()).toBe(false);
    h.ctx.set("a", 1);
    expect(h.ctx.isProcessing()).toBe(true);
    expect(harness().ctx.isProcessing()).toBe(true);
  });

  describe("cancellation() with explicit cancellation", () => {
    it("is the same promise until a cancel signal resolves it, then a fresh one", async () => {
      const h = explicit();
      const first = h.ctx.cancellation();
      expect(h.ctx.cancellation()).toBe(first);
      const seen = observe(first);
      await flush();
      expect(seen.settled).toBe(false);

      h.send(CANCEL);
      await flush();
      expect(seen).toEqual({ value: undefined, settled: true });
      const second = h.ctx.cancellation();
      expect(second).not.toBe(first);
      const next = observe(second);
      await flush();
      expect(next.settled).toBe(false);

      h.send(CANCEL);
      await flush();
      expect(next.settled).toBe(true);
      expect(h.output()).toEqual([]);
    });

    it("wins a race against a run that has not finished, and the await is not cancelled", async () => {
      const h = explicit();
      const sleep = h.ctx.sleep(1000);
      const raced = observe(
        RestatePromise.race([sleep, h.ctx.cancellation().map(() => "cancelled")]),
      );
      const slept = observe(sleep);
      h.send(CANCEL);
      await flush();
      expect(raced.value).toBe("cancelled");
      expect(slept.settled).toBe(false);
      h.send(completion(CommandType.Sleep, 1, result.void()));
      await flush();
      expect(slept).toEqual({ value: undefined, settled: true });
    });

    it("resolves at once when the signal is already in the journal", async () => {
      const h = harness({ explicitCancellation: true, journal: [CANCEL] });
      const seen = observe(h.ctx.cancellation());
      await flush();
      expect(seen.settled).toBe(true);
    });
  });

  it("cancellation() never resolves with implicit cancellation: the await is cancelled", async () => {
    const h = harness();
    const seen = observe(h.ctx.cancellation());
    h.send(CANCEL);
    await flush();
    expect(seen.error).toBeInstanceOf(CancelledError);
  });

  describe("cancelPreviousCalls()", () => {
    const call = (h: Harness, n: number) =>
      h.ctx.genericCall({ service: "Callee", method: "m", parameter: utf8(String(n)) });

    it("cancels every call made since the last time, in call order, and returns their ids", async () => {
      const h = explicit();
      void call(h, 1); // completions 1 (invocation id) and 2 (result)
      void call(h, 2); // completions 3 and 4
      const first = observe(h.ctx.cancelPreviousCalls());
      h.send(completion(CommandType.Call, 3, result.invocationId("inv_second")));
      await flush();
      expect(first.settled).toBe(false);
      h.send(completion(CommandType.Call, 1, result.invocationId("inv_first")));
      await flush();
      expect(first.value).toEqual(["inv_first", "inv_second"]);
      expect(sendSignals(h)).toEqual(["inv_first", "inv_second"]);
      const signalIds = h
        .output()
        .filter((f) => f.type === CommandType.SendSignal)
        .map((f) => (f.message as unknown as { signalId: unknown }).signalId);
      expect(signalIds).toEqual([
        { case: "idx", value: 1 },
        { case: "idx", value: 1 },
      ]);

      void call(h, 3); // completions 5 and 6
      const second = observe(h.ctx.cancelPreviousCalls());
      h.send(completion(CommandType.Call, 5, result.invocationId("inv_third")));
      await flush();
      expect(second.value).toEqual(["inv_third"]);
      expect(sendSignals(h)).toEqual(["inv_first", "inv_second", "inv_third"]);
    });

    it("sends the cancel to a call that already completed too, as the official SDK does", async () => {
      const h = explicit();
      void call(h, 1);
      h.send(
        completion(CommandType.Call, 1, result.invocationId("inv_done")),
        completion(CommandType.Call, 2, result.value('"ok"')),
      );
      const seen = observe(h.ctx.cancelPreviousCalls());
      await flush();
      expect(seen.value).toEqual(["inv_done"]);
      expect(sendSignals(h)).toEqual(["inv_done"]);
    });

    it("journals the cancels once however often it is awaited", async () => {
      const h = explicit();
      void call(h, 1);
      h.send(completion(CommandType.Call, 1, result.invocationId("inv_one")));
      const promise = h.ctx.cancelPreviousCalls();
      const both = observe(RestatePromise.all([promise, h.ctx.sleep(1)]));
      const alone = observe(promise);
      h.send(completion(CommandType.Sleep, 3, result.void()));
      await flush();
      expect(alone.value).toEqual(["inv_one"]);
      expect(both.settled).toBe(true);
      expect(sendSignals(h)).toEqual(["inv_one"]);
    });

    it("is a no-op with implicit cancellation", async () => {
      const h = harness();
      void call(h, 1);
      h.send(completion(CommandType.Call, 1, result.invocationId("inv_one")));
      const seen = observe(h.ctx.cancelPreviousCalls());
      await flush();
      expect(seen.value).toEqual([]);
      expect(sendSignals(h)).toEqual([]);
    });
  });
});
