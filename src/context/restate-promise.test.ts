// SPDX-License-Identifier: MIT
import { describe, expect, it, vi } from "vitest";
import { TerminalError, TimeoutError } from "../errors.js";
import { CommandType } from "../journal/message-types.js";
import { completion, result, signal } from "../journal/testing/journal-case.js";
import { RestatePromise } from "./combinators.js";
import { harness } from "./__fixtures__/harness.js";

const commands = (h: ReturnType<typeof harness>) => h.output().map((f) => f.type);

describe("FuturePromise", () => {
  it("map transforms the value once the notification arrives", async () => {
    const h = harness();
    const { promise } = h.ctx.awakeable<number>();
    const mapped = promise.map((v) => (v ?? 0) * 2);
    h.send(signal(17, result.value("21")));
    await expect(mapped).resolves.toBe(42);
  });

  it("map sees a terminal failure as its second argument and may recover", async () => {
    const h = harness();
    const mapper = vi.fn((v?: number, f?: TerminalError) => (f ? `failed: ${f.message}` : v));
    const mapped = h.ctx.awakeable<number>().promise.map(mapper);
    h.send(signal(17, result.failure(418, "teapot")));
    await expect(mapped).resolves.toBe("failed: teapot");
    expect(mapper.mock.calls[0]![1]).toBeInstanceOf(TerminalError);
    expect(mapper.mock.calls[0]![1]!.code).toBe(418);
  });

  it("a mapper that throws rejects the mapped promise", async () => {
    const h = harness();
    const mapped = h.ctx.sleep(5).map(() => {
      throw new TerminalError("mapper failed");
    });
    h.send(completion(CommandType.Sleep, 1, result.void()));
    await expect(mapped).rejects.toThrow("mapper failed");
  });

  it("orTimeout journals a sleep and fails with TimeoutError when it fires first", async () => {
    const h = harness({ now: 1000 });
    const guarded = h.ctx.awakeable<string>().promise.orTimeout({ seconds: 2 });
    expect(commands(h)).toEqual([CommandType.Sleep]);
    h.send(completion(CommandType.Sleep, 1, result.void()));
    await expect(guarded).rejects.toBeInstanceOf(TimeoutError);
  });

  it("orTimeout yields the value when it arrives before the timer", async () => {
    const h = harness();
    const guarded = h.ctx.awakeable<string>().promise.orTimeout(100);
    h.send(signal(17, result.value('"in time"')));
    await expect(guarded).resolves.toBe("in time");
  });

  it("orTimeout on a combinator, then map", async () => {
    const h = harness();
    const both = RestatePromise.all([h.ctx.sleep(1), h.ctx.sleep(2)])
      .orTimeout(10)
      .map((v, f) => (f ? f.code : v?.length));
    h.send(completion(CommandType.Sleep, 3, result.void()));
    await expect(both).resolves.toBe(408);
  });

  it("catch and finally behave as on a native promise", async () => {
    const h = harness();
    const onFinally = vi.fn();
    const caught = h.ctx
      .awakeable<string>()
      .promise.catch((e: unknown) => `caught ${(e as Error).message}`)
      .finally(onFinally);
    h.send(signal(17, result.failure(500, "nope")));
    await expect(caught).resolves.toBe("caught nope");
    expect(onFinally).toHaveBeenCalledOnce();
  });

  it("is awaited once however often then is called", async () => {
    const h = harness();
    const p = h.ctx.sleep(1).map(() => Math.random());
    h.send(completion(CommandType.Sleep, 1, result.void()));
    expect(await p).toBe(await p);
  });
});

describe("SettledPromise", () => {
  it("resolve/reject settle without journaling anything", async () => {
    await expect(RestatePromise.resolve(3)).resolves.toBe(3);
    const e = new TerminalError("no");
    await expect(RestatePromise.reject(e)).rejects.toBe(e);
  });

  it("map over settled values", async () => {
    await expect(RestatePromise.resolve(2).map((v) => (v ?? 0) + 1)).resolves.toBe(3);
    await expect(
      RestatePromise.reject<number>(new TerminalError("x")).map((_v, f) => f?.message),
    ).resolves.toBe("x");
  });

  it("orTimeout keeps a settled value", async () => {
    await expect(RestatePromise.resolve("now").orTimeout(0)).resolves.toBe("now");
  });
});
