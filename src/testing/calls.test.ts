// SPDX-License-Identifier: MIT
import { describe, expect, it, vi } from "vitest";
import {
  type Context,
  RestatePromise,
  RetryableError,
  TerminalError,
  rpc,
  service,
} from "../index.js";
import { TestEnvironment } from "./index.js";

const worker = service({
  name: "Worker",
  handlers: {
    slow: async (ctx: Context, label: string) => {
      await ctx.sleep({ minutes: 10 });
      return `${label} done`;
    },
  },
});

let rateLimited = 0;
const boss = service({
  name: "Boss",
  handlers: {
    delegate: async (ctx: Context, label: string) => {
      const result = ctx.serviceClient(worker).slow(label, rpc.opts({ name: "work" }));
      return { id: await result.invocationId, result: await result };
    },
    delegateTwice: async (ctx: Context) => {
      const send = ctx.serviceSendClient(worker);
      const a = await send.slow("x", rpc.sendOpts({ idempotencyKey: "job" })).invocationId;
      const b = await send.slow("x", rpc.sendOpts({ idempotencyKey: "job" })).invocationId;
      return {
        same: a === b,
        output: await ctx.attach<string>({
          service: "Worker",
          handler: "slow",
          idempotencyKey: "job",
        }),
      };
    },
    race: async (ctx: Context) => {
      const { promise } = ctx.awakeable<string>();
      return RestatePromise.race([promise, ctx.sleep({ seconds: 5 }).map(() => "timer")]);
    },
    /** A closure doing real asynchronous work (timers, I/O) while the caller waits on it. */
    slowClosure: async (ctx: Context) => {
      const value = await ctx.run("io", async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return "fetched";
      });
      return `${value} then ${await ctx.run("next", () => "more")}`;
    },
    rateLimited: async (ctx: Context) =>
      ctx.run("call api", () => {
        if (++rateLimited === 1) throw new RetryableError("429", { retryAfter: { seconds: 30 } });
        return "ok";
      }),
  },
});

describe("calls between handlers", () => {
  it("suspends the caller while the callee sleeps, then completes both", async () => {
    const env = await TestEnvironment.start({ services: [boss, worker] });
    const handle = env.serviceSendClient(boss).delegate("report");
    await env.idle();
    expect(env.invocation(handle).status).toBe("suspended");

    await env.advance("10m");
    const { id, result } = await handle.result();
    expect(result).toBe("report done");
    expect(env.invocation(id)).toMatchObject({ service: "Worker", status: "completed" });
    expect(env.journal(handle)[1]).toEqual({
      index: 1,
      type: "Call",
      name: "work",
      args: { service: "Worker", handler: "slow", input: "report", invocationId: id },
      result: "report done",
      completed: true,
    });
  });

  it("propagates a cancellation to the calls the invocation waits for", async () => {
    const env = await TestEnvironment.start({ services: [boss, worker] });
    const handle = env.serviceSendClient(boss).delegate("report");
    await env.idle();
    const [callee] = env.invocations({ service: worker });
    expect(env.cancel(handle)).toBe(true);
    await expect(handle.result()).rejects.toMatchObject({ code: 409 });
    await expect(env.result(callee!.id)).rejects.toMatchObject({ code: 409 });
    // Like the admin API's 409 for a completed invocation.
    expect(env.cancel(handle)).toBe(false);
  });

  it("kills the call tree", async () => {
    const env = await TestEnvironment.start({ services: [boss, worker] });
    const handle = env.serviceSendClient(boss).delegate("report");
    await env.idle();
    const [callee] = env.invocations({ service: worker });
    expect(env.kill(handle)).toBe(true);
    expect(env.invocation(callee!.id)).toMatchObject({ status: "completed" });
    expect(env.kill(handle)).toBe(false);
    await expect(env.result(callee!.id)).rejects.toMatchObject({ message: "killed" });
  });

  it("answers a repeated idempotent send with PreviouslyAccepted and the same id", async () => {
    const env = await TestEnvironment.start({ services: [boss, worker] });
    const first = env.serviceSendClient(worker).slow("y", { idempotencyKey: "once" });
    const again = env.serviceSendClient(worker).slow("y", { idempotencyKey: "once" });
    const other = env.serviceSendClient(worker).slow("y", { idempotencyKey: "twice" });
    expect(first.status).toBe("Accepted");
    expect(again).toMatchObject({ status: "PreviouslyAccepted", invocationId: first.invocationId });
    expect(other.status).toBe("Accepted");
    expect(other.invocationId).not.toBe(first.invocationId);
  });

  it("deduplicates sends by idempotency key and attaches to them", async () => {
    const env = await TestEnvironment.start({ services: [boss, worker] });
    const handle = env.serviceSendClient(boss).delegateTwice();
    await env.advance("10m");
    expect(await handle.result()).toEqual({ same: true, output: "x done" });
    expect(env.invocations({ service: worker })).toHaveLength(1);
  });

  it("resolves races in arrival order, also when replaying every step", async () => {
    for (const replayEveryStep of [false, true]) {
      const env = await TestEnvironment.start({ services: [boss], replayEveryStep });
      const timer = env.serviceSendClient(boss).race();
      const awakeable = env.serviceSendClient(boss).race();
      await env.advance("1s");
      env.resolveAwakeable(env.awakeableId(awakeable), "signal");
      await env.advance("5s");
      expect(await timer.result()).toBe("timer");
      expect(await awakeable.result()).toBe("signal");
    }
  });

  it("waits for closures doing real asynchronous work", async () => {
    for (const replayEveryStep of [false, true]) {
      const env = await TestEnvironment.start({ services: [boss], replayEveryStep });
      // Only the closure's timer is fake; the runtime's macrotasks stay real.
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      try {
        let isSettled = false;
        const result = env
          .serviceClient(boss)
          .slowClosure()
          .finally(() => (isSettled = true));
        for (let i = 0; i < 100 && !isSettled; i++) await vi.advanceTimersByTimeAsync(5);
        expect(await result).toBe("fetched then more");
      } finally {
        vi.useRealTimers();
      }
    }
  });

  it("honours a run's RetryableError retryAfter as the next retry delay", async () => {
    rateLimited = 0;
    const env = await TestEnvironment.start({ services: [boss] });
    const handle = env.serviceSendClient(boss).rateLimited();
    await env.advance("29s");
    expect(env.invocation(handle)).toMatchObject({ status: "backing-off", attempts: 1 });
    expect(env.invocation(handle).failures[0]).toMatchObject({
      message: "429",
      nextRetryDelay: 30_000,
      relatedCommand: { index: 1, name: "call api" },
    });
    await env.advance("1s");
    expect(await handle.result()).toBe("ok");
  });

  it.each([5, 6, 7] as const)("behaves the same on protocol V%i", async (protocolVersion) => {
    const env = await TestEnvironment.start({ services: [boss, worker], protocolVersion });
    const handle = env.serviceSendClient(boss).delegate("v");
    await env.advance("10m");
    expect((await handle.result()).result).toBe("v done");
    const failing = service({
      name: "Failing",
      handlers: {
        fail: async (ctx: Context) => {
          await ctx.run("step", () => 1);
          throw new TerminalError("nope", { errorCode: 418 });
        },
      },
    });
    const env2 = await TestEnvironment.start({ services: [failing], protocolVersion });
    await expect(env2.serviceClient(failing).fail()).rejects.toMatchObject({ code: 418 });
  });
});
