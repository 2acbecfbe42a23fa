// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { TerminalError } from "../errors.js";
import type { Future, Outcome } from "../journal/futures.js";
import { SettledPromise, settleFuture, settleWith } from "./settled-promise.js";

const NOT_YET = Symbol("not yet");

/** What a promise has settled with once the microtasks it could wait on have run (no timers). */
async function peek<T>(p: PromiseLike<T>): Promise<T | typeof NOT_YET> {
  let result: T | typeof NOT_YET = NOT_YET;
  p.then((v) => (result = v));
  for (let i = 0; i < 20; i++) await Promise.resolve();
  return result;
}

describe("SettledPromise", () => {
  it("resolves with its value and carries a settled, unfailed leaf", async () => {
    const p = new SettledPromise({ state: "fulfilled", value: 42 });
    expect(p.future).toEqual({ kind: "settled", failed: false });
    expect(p.decode()).toBe(42);
    await expect(p).resolves.toBe(42);
    expect(await p.then((v) => v + 1)).toBe(43);
    expect(Object.prototype.toString.call(p)).toBe("[object RestatePromise]");
  });

  it("rejects with the very reason it was given and carries a failed leaf", async () => {
    const reason = new TerminalError("no");
    const p = new SettledPromise<number>({ state: "rejected", error: reason });
    expect(p.future).toEqual({ kind: "settled", failed: true });
    expect(() => p.decode()).toThrow(reason);
    await expect(p).rejects.toBe(reason);
    expect(await p.catch((e: unknown) => e)).toBe(reason);
    let ran = false;
    await expect(p.finally(() => (ran = true))).rejects.toBe(reason);
    expect(ran).toBe(true);
  });

  it("never settles in the pending state, and refuses to decode", async () => {
    const future: Future = { kind: "race", children: [] };
    const p = new SettledPromise<number>({ state: "pending" }, future);
    expect(p.future).toBe(future);
    expect(() => p.decode()).toThrow(/never settles/);
    expect(await peek(p)).toBe(NOT_YET);
  });

  it("ignores a timeout, already being settled", () => {
    const p = new SettledPromise({ state: "fulfilled", value: "v" });
    expect(p.orTimeout({ seconds: 1 })).toBe(p);
  });

  it("maps a value, a terminal failure, and passes other failures through", async () => {
    const ok = new SettledPromise({ state: "fulfilled", value: 2 }).map((v) => (v ?? 0) * 10);
    await expect(ok).resolves.toBe(20);

    const terminal = new TerminalError("t");
    const mapped = new SettledPromise<number>({ state: "rejected", error: terminal }).map(
      (v, f) => `${String(v)}:${f?.message ?? ""}`,
    );
    await expect(mapped).resolves.toBe("undefined:t");

    const plain = new Error("plain");
    let called = false;
    const passed = new SettledPromise<number>({ state: "rejected", error: plain }).map(() => {
      called = true;
      return 1;
    });
    await expect(passed).rejects.toBe(plain);
    expect(called).toBe(false);
  });

  it("rejects a mapped promise whose mapper throws", async () => {
    const boom = new Error("boom");
    const p = new SettledPromise({ state: "fulfilled", value: 1 }).map(() => {
      throw boom;
    });
    expect(p).toBeInstanceOf(SettledPromise);
    expect((p as SettledPromise<never>).future).toEqual({ kind: "settled", failed: true });
    await expect(p).rejects.toBe(boom);
  });

  it("keeps a pending promise pending under map, with its future", async () => {
    const future: Future = { kind: "any", children: [{ kind: "completion", id: 1 }] };
    const p = new SettledPromise<number>({ state: "pending" }, future).map(() => 1);
    expect(p).toBeInstanceOf(SettledPromise);
    expect((p as SettledPromise<number>).future).toBe(future);
    expect(await peek(p)).toBe(NOT_YET);
  });
});

describe("settleWith", () => {
  it("fulfils with the thunk's value or rejects with what it throws", async () => {
    await expect(settleWith(() => "x")).resolves.toBe("x");
    const error = new Error("thrown");
    const failed = settleWith(() => {
      throw error;
    });
    expect(failed.settlement).toEqual({ state: "rejected", error });
    await expect(failed).rejects.toBe(error);
  });
});

describe("settleFuture", () => {
  const ok: Future = { kind: "settled", failed: false };
  const bad: Future = { kind: "settled", failed: true };

  it("evaluates settled leaves as the engine does and decodes the outcome", async () => {
    const seen: Outcome[] = [];
    const p = settleFuture({ kind: "any", children: [bad, ok] }, (o) => {
      seen.push(o);
      return o.kind === "combinator" ? o.winner : -2;
    });
    await expect(p).resolves.toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ kind: "combinator", failed: false, winner: 1 });
  });

  it("rejects with what the decoder throws for a failed outcome", async () => {
    const error = new TerminalError("first failure");
    const p = settleFuture({ kind: "all", children: [ok, bad] }, (o) => {
      if (o.failed) throw error;
      return "all ok";
    });
    await expect(p).rejects.toBe(error);
  });

  it("stays pending, without decoding, when the combinator can never settle", async () => {
    const future: Future = { kind: "race", children: [] };
    let decoded = false;
    const p = settleFuture(future, () => {
      decoded = true;
      return 0;
    });
    expect(p.settlement).toEqual({ state: "pending" });
    expect(p.future).toBe(future);
    expect(decoded).toBe(false);
    expect(await peek(p)).toBe(NOT_YET);
  });
});
