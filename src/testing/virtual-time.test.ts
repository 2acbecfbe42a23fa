// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { type Context, TerminalError, service } from "../index.js";
import { TestEnvironment } from "./index.js";

const START = Date.parse("2026-01-01T00:00:00Z");

const timers = service({
  name: "Timers",
  handlers: {
    napDay: async (ctx: Context) => {
      const before = await ctx.date.now();
      await ctx.sleep({ days: 1 });
      const after = await ctx.date.now();
      return { before, after };
    },
    hourly: async (ctx: Context, hours: number) => {
      for (let i = 0; i < hours; i++) await ctx.sleep({ hours: 1 });
      return ctx.date.now();
    },
    waitWithTimeout: async (ctx: Context, seconds: number) => {
      const { promise } = ctx.awakeable<string>();
      try {
        return await promise.orTimeout({ seconds });
      } catch (e) {
        if (e instanceof TerminalError && e.code === 408) return "timed out";
        throw e;
      }
    },
    remindLater: async (ctx: Context, name: string) => {
      ctx.serviceSendClient(timers).remind(name, { delay: { minutes: 10 } });
      return "scheduled";
    },
    remind: async (ctx: Context, name: string) => `reminded ${name} at ${await ctx.date.now()}`,
  },
});

async function start() {
  return TestEnvironment.start({ services: [timers], now: START });
}

describe("virtual time", () => {
  it("finishes a one-day sleep only once a day of virtual time has passed", async () => {
    const env = await start();
    const handle = env.serviceSendClient(timers).napDay();
    let isDone = false;
    void handle.result().then(() => (isDone = true));

    await env.advance("23h59m");
    expect(isDone).toBe(false);
    expect(env.invocation(handle).status).toBe("suspended");

    await env.advance("1m");
    expect(await handle.result()).toEqual({ before: START, after: START + 86_400_000 });
    expect(env.now()).toBe(START + 86_400_000);
  });

  it("fires timers in order within one advance, so sleeps in a loop all complete", async () => {
    const env = await start();
    const handle = env.serviceSendClient(timers).hourly(24);
    await env.advance({ days: 1 });
    expect(await handle.result()).toBe(START + 86_400_000);
  });

  it("rejects with a TimeoutError when orTimeout elapses first", async () => {
    const env = await start();
    const handle = env.serviceSendClient(timers).waitWithTimeout(30);
    await env.advance("30s");
    expect(await handle.result()).toBe("timed out");
  });

  it("resolves orTimeout with the value when it arrives in time", async () => {
    const env = await start();
    const handle = env.serviceSendClient(timers).waitWithTimeout(30);
    await env.advance("10s");
    env.resolveAwakeable(env.awakeableId(handle), "on time");
    expect(await handle.result()).toBe("on time");
  });

  it("starts delayed sends from a handler when their time comes", async () => {
    const env = await start();
    expect(await env.serviceClient(timers).remindLater("Till")).toBe("scheduled");
    const [reminder] = env.invocations({ handler: "remind" });
    expect(reminder?.status).toBe("scheduled");

    await env.advance("9m");
    expect(env.invocation(reminder!.id).status).toBe("scheduled");
    await env.advance("1m");
    expect(await env.result(reminder!.id)).toBe(`reminded Till at ${START + 600_000}`);
  });

  it("delays sends from the test and deduplicates them by idempotency key", async () => {
    const env = await start();
    const send = env.serviceSendClient(timers);
    const first = send.remind("x", { delay: "10m", idempotencyKey: "k" });
    const second = send.remind("x", { delay: "10m", idempotencyKey: "k" });
    expect(second.invocationId).toBe(first.invocationId);

    await env.advance("15m");
    expect(await env.result(first)).toBe(`reminded x at ${START + 600_000}`);
    expect(env.invocations({ handler: "remind" })).toHaveLength(1);
  });
});
