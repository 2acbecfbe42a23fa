// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { type Context, type ObjectContext, type WorkflowContext, serde } from "../index.js";
import { mockContext } from "./index.js";

/** Handler functions as an application would export them, tested without a service definition. */
async function addItem(ctx: ObjectContext, item: string): Promise<string[]> {
  const items = (await ctx.get<string[]>("items")) ?? [];
  ctx.set("items", [...items, item]);
  return [...items, item];
}

async function quote(ctx: Context, amount: number): Promise<string> {
  const { ok } = await ctx.genericCall<number, { ok: boolean }>({
    service: "Risk",
    method: "check",
    parameter: amount,
    inputSerde: serde.json,
    outputSerde: serde.json,
  });
  await ctx.sleep({ hours: 1 });
  return ok ? `approved ${amount}` : "rejected";
}

async function approve(ctx: WorkflowContext): Promise<string> {
  return ctx.promise<string>("decision");
}

describe("mockContext", () => {
  it("passes an object ctx backed by seeded state into a handler function", async () => {
    const mc = await mockContext({ flavour: "object", key: "Mary", state: { items: ["apple"] } });
    expect(await mc.run((ctx) => addItem(ctx, "pear"))).toEqual(["apple", "pear"]);
    expect(mc.state.get("items")).toEqual(["apple", "pear"]);
    expect(mc.journal().map((e) => e.type)).toEqual(["Input", "GetState", "SetState", "Output"]);
  });

  it("answers calls with mocks and sleeps on virtual time", async () => {
    const mc = await mockContext();
    const check = mc.env.mock("Risk").handler("check", (amount) => ({ ok: Number(amount) < 100 }));
    const result = mc.run((ctx) => quote(ctx, 42));
    await mc.env.advance("1h");
    expect(await result).toBe("approved 42");
    expect(check.inputs).toEqual([42]);
  });

  it("gives workflow contexts durable promises", async () => {
    const mc = await mockContext({ flavour: "workflow", key: "wf-1" });
    const result = mc.run((ctx) => approve(ctx));
    await mc.env.idle();
    mc.env.workflow({ name: "mockContext" }, "wf-1").promise("decision").resolve("yes");
    expect(await result).toBe("yes");
  });
});
