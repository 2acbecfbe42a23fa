// SPDX-License-Identifier: MIT
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CancelledError, TerminalError } from "../errors.js";
import { CommandType, MessageType } from "../journal/message-types.js";
import { completion, result, signal } from "../journal/testing/journal-case.js";
import { harness } from "./__fixtures__/harness.js";

/** Runs the scheduler's deferred re-check (a macrotask) and every continuation it releases. */
async function tick(): Promise<void> {
  await vi.runOnlyPendingTimersAsync();
}

const types = (h: ReturnType<typeof harness>) => h.output().map((f) => f.type);

/** The completion ids a Suspension message names. */
function suspendedOn(h: ReturnType<typeof harness>): readonly number[] {
  const suspension = h.output().find((f) => f.type === MessageType.Suspension);
  expect(suspension).toBeDefined();
  return (suspension!.message as unknown as { waitingCompletions: number[] }).waitingCompletions;
}

describe("Scheduler", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("settles an await the journal already decides, without waiting for a tick", async () => {
    const h = harness();
    const sleep = h.ctx.sleep(1000);
    h.send(completion(CommandType.Sleep, 1, result.void()));
    let isDone = false;
    void sleep.then(() => (isDone = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(isDone).toBe(true);
  });

  it("keeps waiting while the input is open, and suspends on what is awaited once it closes", async () => {
    const h = harness();
    const first = h.ctx.sleep(1000);
    const second = h.ctx.sleep(2000);
    void first.then(() => undefined);
    void second.then(() => undefined);
    await tick();
    expect(types(h)).not.toContain(MessageType.Suspension);
    h.closeInput();
    await tick();
    expect([...suspendedOn(h)].sort()).toEqual([1, 2]);
    expect(h.vm.isClosed).toBe(true);
  });

  it("does not suspend on a promise nobody awaits", async () => {
    const h = harness();
    void h.ctx.sleep(1000);
    h.closeInput();
    await tick();
    expect(types(h)).not.toContain(MessageType.Suspension);
  });

  it("settles waiters in the order the runtime delivered their notifications", async () => {
    const h = harness();
    const a = h.ctx.awakeable<string>();
    const b = h.ctx.awakeable<string>();
    const order: string[] = [];
    void a.promise.then((v) => order.push(v));
    void b.promise.then((v) => order.push(v));
    // Awakeable signal ids start at 17; b's result arrives first, in the same input chunk.
    h.send(signal(18, result.value('"b"')), signal(17, result.value('"a"')));
    await tick();
    expect(order).toEqual(["b", "a"]);
  });

  it("rejects an await with the decoded failure", async () => {
    const h = harness();
    const a = h.ctx.awakeable<string>();
    const settled = a.promise.then(
      () => "fulfilled",
      (e: unknown) => e,
    );
    h.send(signal(17, result.failure(409, "no")));
    const error = await settled;
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as TerminalError).code).toBe(409);
  });

  it("waits for a running ctx.run closure before suspending", async () => {
    const h = harness();
    h.scheduler.closureStarted();
    void h.ctx.sleep(1000).then(() => undefined);
    h.closeInput();
    await tick();
    expect(types(h)).not.toContain(MessageType.Suspension);
    h.scheduler.closureFinished();
    await tick();
    expect(suspendedOn(h)).toEqual([1]);
  });

  it("rejects what is awaited with CancelledError when the cancel signal arrives", async () => {
    const h = harness();
    const settled = h.ctx.sleep(60_000).then(
      () => "fulfilled",
      (e: unknown) => e,
    );
    h.send(signal(1, result.void()));
    expect(await settled).toBeInstanceOf(CancelledError);
  });
});
