// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { type Context, TerminalError, service } from "../index.js";
import { TestEnvironment } from "./index.js";

const executions: string[] = [];

const orders = service({
  name: "Orders",
  handlers: {
    place: async (ctx: Context, id: string) => {
      const reserved = await ctx.run("reserve", () => {
        executions.push(`reserve ${id}`);
        return `stock for ${id}`;
      });
      ctx.console.info("reserved", reserved);
      const charged = await ctx.run("charge", () => {
        executions.push(`charge ${id}`);
        return `payment for ${id}`;
      });
      try {
        await ctx.sleep({ minutes: 5 });
      } catch (e) {
        if (e instanceof TerminalError) {
          await ctx.run("refund", () => executions.push(`refund ${id}`));
        }
        throw e;
      }
      return [reserved, charged];
    },
  },
  options: { retryPolicy: { initialInterval: 10, exponentiationFactor: 1 } },
});

const bounded = service({
  name: "Bounded",
  handlers: {
    call: async (ctx: Context) => {
      try {
        return await ctx.run("flaky", () => "ran", {
          maxRetryAttempts: 2,
          initialRetryInterval: 1,
        });
      } catch (e) {
        if (!(e instanceof TerminalError)) throw e;
        return `terminal ${e.code}: ${e.message}`;
      }
    },
  },
  options: { retryPolicy: { initialInterval: 10, exponentiationFactor: 1 } },
});

async function start() {
  executions.length = 0;
  return TestEnvironment.start({ services: [orders] });
}

describe("failure injection", () => {
  it("failRun: fails a named run N times (closure not run), then the invocation recovers", async () => {
    const env = await start();
    env.failRun("charge", 2);
    const handle = env.serviceSendClient(orders).place("o1");
    await env.advance("20ms");
    await env.advance("5m");
    expect(await handle.result()).toEqual(["stock for o1", "payment for o1"]);
    // The injected failures replace the closure: it runs once, on the attempt that succeeds.
    expect(executions).toEqual(["reserve o1", "charge o1"]);
    expect(env.invocation(handle).failures.map((f) => f.message)).toEqual([
      'Injected failure of run "charge"',
      'Injected failure of run "charge"',
    ]);
  });

  it("failRun: the run's own retry policy applies (exhausted retries become terminal)", async () => {
    const env = await TestEnvironment.start({ services: [bounded] });
    env.failRun("flaky", 5);
    const handle = env.serviceSendClient(bounded).call();
    await env.advance("1s");
    expect(await handle.result()).toBe('terminal 500: Injected failure of run "flaky"');
    // Attempt 1 failed (retry 1 of 2); attempt 2 exhausted the run's policy and recorded it.
    expect(env.invocation(handle).failures).toHaveLength(1);
  });

  it("crashAfter: crashes the attempt after a command; the retry replays the journal", async () => {
    const env = await start();
    env.crashAfter(2, { service: "Orders" });
    const handle = env.serviceSendClient(orders).place("o2");
    await env.advance("10ms");
    await env.advance("5m");
    expect(await handle.result()).toEqual(["stock for o2", "payment for o2"]);
    // The reserve step was journaled before the crash, so it ran once.
    expect(executions.filter((e) => e.startsWith("reserve"))).toHaveLength(1);
    expect(env.invocation(handle).failures).toEqual([
      expect.objectContaining({ message: "Injected crash after command #2" }),
    ]);
  });

  it("cancelAfter: delivers a cancellation at a chosen point", async () => {
    const env = await start();
    env.cancelAfter(3);
    const handle = env.serviceSendClient(orders).place("o3");
    await expect(handle.result()).rejects.toMatchObject({ code: 409 });
    expect(executions).toEqual(["reserve o3", "charge o3", "refund o3"]);
    expect(env.journal(handle).map((e) => e.name ?? e.type)).toEqual([
      "Input",
      "reserve",
      "charge",
      "Sleep",
      "refund",
      "Output",
    ]);
  });
});
