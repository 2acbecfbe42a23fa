// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import {
  type Context,
  type ObjectContext,
  type ObjectSharedContext,
  TerminalError,
  handlers,
  object,
  service,
} from "../index.js";
import { TestEnvironment } from "./index.js";

const cart = object({
  name: "Cart",
  handlers: {
    add: async (ctx: ObjectContext, item: string) => {
      const items = (await ctx.get<string[]>("items")) ?? [];
      items.push(item);
      ctx.set("items", items);
      return items;
    },
    /** Holds the key's lock for an hour of virtual time. */
    slowAdd: async (ctx: ObjectContext, item: string) => {
      await ctx.sleep({ hours: 1 });
      const items = (await ctx.get<string[]>("items")) ?? [];
      ctx.set("items", [...items, item]);
      return items.length + 1;
    },
    count: handlers.object.shared(
      async (ctx: ObjectSharedContext) => ((await ctx.get<string[]>("items")) ?? []).length,
    ),
    clear: async (ctx: ObjectContext) => {
      const keys = await ctx.stateKeys();
      ctx.clearAll();
      return keys;
    },
  },
});

const lazyCart = object({
  name: "LazyCart",
  options: { enableLazyState: true },
  handlers: {
    summary: async (ctx: ObjectContext) => ({
      items: await ctx.get<string[]>("items"),
      keys: await ctx.stateKeys(),
    }),
  },
});

let flakyCalls = 0;
const flaky = service({
  name: "Flaky",
  handlers: {
    once: async (_ctx: Context) => {
      if (++flakyCalls === 1) throw new Error("database unavailable");
      return "recovered";
    },
    always: async (_ctx: Context) => {
      throw new Error("still down");
    },
    terminal: async (_ctx: Context) => {
      throw new TerminalError("bad request", { errorCode: 400 });
    },
  },
  options: { retryPolicy: { initialInterval: 100, maxAttempts: 3 } },
});

describe("virtual objects", () => {
  it("seeds state before and inspects it after an invocation", async () => {
    const env = await TestEnvironment.start({ services: [cart] });
    env.state(cart, "Mary").set("items", ["apple"]);
    expect(await env.objectClient(cart, "Mary").add("pear")).toEqual(["apple", "pear"]);
    expect(env.state(cart, "Mary").get("items")).toEqual(["apple", "pear"]);
    expect(env.state(cart, "Mary").keys()).toEqual(["items"]);
    expect(env.state(cart, "Bob").get("items")).toBeNull();

    expect(await env.objectClient(cart, "Mary").clear()).toEqual(["items"]);
    expect(env.state(cart, "Mary").all()).toEqual({});
  });

  it("serves lazy state through GetLazyState commands", async () => {
    const env = await TestEnvironment.start({ services: [lazyCart] });
    env.state(lazyCart, "k").set("items", ["a"]);
    const handle = env.objectSendClient(lazyCart, "k").summary();
    expect(await handle.result()).toEqual({ items: ["a"], keys: ["items"] });
    expect(env.journal(handle).map((e) => [e.type, e.args])).toEqual([
      ["Input", undefined],
      ["GetState", { key: "items", lazy: true }],
      ["GetStateKeys", { lazy: true }],
      ["Output", undefined],
    ]);
  });

  it("serves lazy state when replaying every step too", async () => {
    const env = await TestEnvironment.start({ services: [lazyCart, cart], replayEveryStep: true });
    env.state(lazyCart, "k").set("items", ["a", "b"]);
    expect(await env.objectClient(lazyCart, "k").summary()).toEqual({
      items: ["a", "b"],
      keys: ["items"],
    });
    expect(await env.objectClient(cart, "k").add("x")).toEqual(["x"]);
    expect(await env.objectClient(cart, "k").add("y")).toEqual(["x", "y"]);
  });

  it("runs exclusive handlers of one key one at a time, in arrival order", async () => {
    const env = await TestEnvironment.start({ services: [cart] });
    const mary = env.objectSendClient(cart, "Mary");
    const first = mary.slowAdd("a");
    const second = mary.slowAdd("b");
    const other = env.objectSendClient(cart, "Bob").slowAdd("c");
    await env.idle();
    expect(env.invocation(first).status).toBe("suspended");
    expect(env.invocation(second).status).toBe("inboxed");
    expect(env.invocation(other).status).toBe("suspended");

    // Shared handlers do not wait for the lock.
    expect(await env.objectClient(cart, "Mary").count()).toBe(0);

    await env.advance("1h");
    expect(await first.result()).toBe(1);
    expect(await other.result()).toBe(1);
    expect(env.invocation(second).status).toBe("suspended");
    await env.advance("1h");
    expect(await second.result()).toBe(2);
    expect(env.state(cart, "Mary").get("items")).toEqual(["a", "b"]);
  });

  it("deduplicates requests with the same idempotency key and keeps the result", async () => {
    const env = await TestEnvironment.start({ services: [cart] });
    const client = env.objectClient(cart, "Mary");
    expect(await client.add("apple", { idempotencyKey: "req-1" })).toEqual(["apple"]);
    expect(await client.add("apple", { idempotencyKey: "req-1" })).toEqual(["apple"]);
    expect(await client.add("apple", { idempotencyKey: "req-2" })).toEqual(["apple", "apple"]);
    expect(env.invocations({ service: cart })).toHaveLength(2);
  });
});

describe("retries", () => {
  it("retries a transient failure on the virtual clock, then succeeds", async () => {
    const env = await TestEnvironment.start({ services: [flaky] });
    const handle = env.serviceSendClient(flaky).once();
    await env.idle();
    expect(env.invocation(handle)).toMatchObject({ status: "backing-off", attempts: 1 });
    expect(env.invocation(handle).failures[0]).toMatchObject({
      code: 500,
      message: "database unavailable",
    });

    await env.advance("100ms");
    expect(await handle.result()).toBe("recovered");
    expect(env.invocation(handle).attempts).toBe(2);
  });

  it("pauses an invocation that exhausts its retry policy", async () => {
    const env = await TestEnvironment.start({ services: [flaky] });
    const handle = env.serviceSendClient(flaky).always();
    const outcome = handle.result().catch((e: unknown) => e);
    await env.advance("1s");
    expect(await outcome).toMatchObject({ name: "InvocationPausedError" });
    expect(env.invocation(handle)).toMatchObject({ status: "paused", attempts: 3 });
  });

  it("does not retry terminal errors", async () => {
    const env = await TestEnvironment.start({ services: [flaky] });
    await expect(env.serviceClient(flaky).terminal()).rejects.toMatchObject({
      code: 400,
      message: "bad request",
    });
  });
});
