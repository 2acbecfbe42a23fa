// SPDX-License-Identifier: MIT
import { describe, expect, it, vi } from "vitest";
import {
  type Context,
  type ObjectContext,
  TerminalError,
  object,
  rpc,
  serde,
  service,
} from "../index.js";
import { TestEnvironment } from "./index.js";

/** Not registered in the environments below: only its type and name are used. */
const payments = service({
  name: "Payments",
  handlers: {
    charge: async (_ctx: Context, req: { amount: number }) => ({ ok: req.amount > 0 }),
  },
});

const shop = service({
  name: "Shop",
  handlers: {
    checkout: async (ctx: Context, amount: number) => {
      const receipt = await ctx
        .serviceClient(payments)
        .charge(
          { amount },
          rpc.opts({ idempotencyKey: `order-${amount}`, headers: { "x-tenant": "acme" } }),
        );
      ctx.objectSendClient(ledger, "acme").record(amount, rpc.sendOpts({ delay: 5_000 }));
      return receipt.ok ? "paid" : "declined";
    },
    refund: async (ctx: Context, amount: number) => {
      try {
        await ctx.genericCall({
          service: "Bank",
          method: "refund",
          parameter: amount,
          inputSerde: serde.json,
          outputSerde: serde.json,
        });
        return "refunded";
      } catch (e) {
        return e instanceof TerminalError ? `failed: ${e.code} ${e.message}` : "?";
      }
    },
  },
});

const ledger = object({
  name: "Ledger",
  handlers: { record: async (_ctx: ObjectContext, _amount: number) => undefined },
});

describe("mocks", () => {
  it("answers calls to unregistered services and records what the caller sent", async () => {
    const env = await TestEnvironment.start({ services: [shop] });
    const charge = env.mock(payments).handler("charge", ({ amount }) => ({ ok: amount < 100 }));
    const record = env.mock(ledger).handler("record");

    expect(await env.serviceClient(shop).checkout(42)).toBe("paid");
    expect(charge.calls).toEqual([
      expect.objectContaining({
        input: { amount: 42 },
        headers: { "x-tenant": "acme" },
        idempotencyKey: "order-42",
        delay: undefined,
        attempt: 1,
      }),
    ]);
    await env.advance("5s");
    expect(record.calls).toEqual([
      expect.objectContaining({ input: 42, key: "acme", delay: 5000 }),
    ]);
  });

  it("works with vi.fn() implementations", async () => {
    const env = await TestEnvironment.start({ services: [shop] });
    const impl = vi.fn(() => ({ ok: false }));
    env.mock(payments).handler("charge", impl);
    env.mock(ledger).handler("record");

    expect(await env.serviceClient(shop).checkout(7)).toBe("declined");
    expect(impl).toHaveBeenCalledWith(
      { amount: 7 },
      expect.objectContaining({ idempotencyKey: "order-7" }),
    );
  });

  it("propagates a TerminalError thrown by a mock to the caller", async () => {
    const env = await TestEnvironment.start({ services: [shop] });
    env.mock("Bank").handler("refund", () => {
      throw new TerminalError("account closed", { errorCode: 410 });
    });
    expect(await env.serviceClient(shop).refund(5)).toBe("failed: 410 account closed");
  });

  it("retries a mock that fails transiently, on the virtual clock", async () => {
    const env = await TestEnvironment.start({ services: [shop] });
    let attempts = 0;
    const charge = env.mock(payments).handler("charge", () => {
      if (++attempts < 3) throw new Error("connection reset");
      return { ok: true };
    });
    env.mock(ledger).handler("record");
    const handle = env.serviceSendClient(shop).checkout(1);
    await env.idle();
    expect(charge.calls).toHaveLength(1);

    await env.advance("500ms");
    expect(charge.calls.map((c) => c.attempt)).toEqual([1, 2]);
    await env.advance("1s");
    expect(await handle.result()).toBe("paid");
    expect(env.invocation(charge.calls[0]!.invocationId).failures).toHaveLength(2);
  });

  it("fails calls to services that are neither registered nor mocked", async () => {
    const env = await TestEnvironment.start({ services: [shop] });
    expect(await env.serviceClient(shop).refund(5)).toMatch(/failed: 404 No service "Bank"/);
  });
});
