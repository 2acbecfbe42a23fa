// SPDX-License-Identifier: MIT
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type ObjectContext, object } from "../index.js";
import { toServiceEntry } from "../definitions/registry.js";
import { TestEnvironment } from "../testing/index.js";
import { replayInvocation } from "./replay-invocation.js";

const ran: string[] = [];

const v1 = object({
  name: "Orders",
  handlers: {
    place: async (ctx: ObjectContext, item: string) => {
      const status = (await ctx.get<string>("status")) ?? "new";
      await ctx.run("reserve", () => `reserved ${item}`);
      await ctx.run("charge", () => `charged ${item}`);
      await ctx.sleep({ hours: 1 });
      return status;
    },
  },
});

const reordered = object({
  name: "Orders",
  handlers: {
    place: async (ctx: ObjectContext, item: string) => {
      const status = (await ctx.get<string>("status")) ?? "new";
      await ctx.run("charge", () => `charged ${item}`); // reordered-charge
      await ctx.run("reserve", () => `reserved ${item}`);
      await ctx.sleep({ hours: 1 });
      return status;
    },
  },
});

const extended = object({
  name: "Orders",
  handlers: {
    place: async (ctx: ObjectContext, item: string) => {
      const status = (await ctx.get<string>("status")) ?? "new";
      await ctx.run("reserve", () => `reserved ${item}`);
      await ctx.run("charge", () => `charged ${item}`);
      await ctx.sleep({ hours: 1 });
      await ctx.run("notify", () => ran.push("notify"));
      return `${status} ${String(await ctx.get<string>("note"))}`;
    },
  },
});

async function suspendedJournal() {
  const env = await TestEnvironment.start({ services: [v1] });
  const handle = env.objectSendClient(v1, "o-1").place("book");
  await env.idle();
  const recording = env.rawJournal(handle);
  return { invocationId: recording.invocationId!, key: "o-1", entries: recording.entries };
}

const handlerOf = (definition: typeof v1) => toServiceEntry(definition).handlers.get("place")!;

describe("replayInvocation", () => {
  it("replays a journal against the same code and reports the state keys it read", async () => {
    const result = await replayInvocation(handlerOf(v1), await suspendedJournal());
    expect(result).toEqual({ outcome: "replayed", end: "suspended", stateKeysRead: ["status"] });
  });

  it("names both commands and the handler line where reordered code parts", async () => {
    const result = await replayInvocation(handlerOf(reordered), await suspendedJournal());
    expect(result.outcome).toBe("diverged");
    if (result.outcome !== "diverged") return;
    const { divergence } = result;
    expect(divergence.commandIndex).toBe(2);
    expect(divergence.journaled).toMatch(/^RunCommand.*reserve/);
    expect(divergence.produced).toMatch(/^RunCommand.*charge/);
    const source = readFileSync(new URL(import.meta.url), "utf8");
    const line = source.split("\n").findIndex((l) => l.includes("// reordered-charge")) + 1;
    expect(divergence.location?.file).toBe(fileURLToPath(import.meta.url));
    expect(divergence.location?.line).toBe(line);
  });

  it("stops before the first ctx.run the new code would execute, without running it", async () => {
    const env = await TestEnvironment.start({ services: [v1] });
    const handle = env.objectSendClient(v1, "o-2").place("pen");
    await env.advance("1h");
    await handle.result();
    const { invocationId, entries } = env.rawJournal(handle);
    // The journal as it was after the sleep, before the old code wrote its output.
    const beforeOutput = entries.slice(0, -1);
    const result = await replayInvocation(handlerOf(extended), {
      invocationId: invocationId!,
      key: "o-2",
      entries: beforeOutput,
    });
    expect(result).toEqual({
      outcome: "replayed",
      end: "side-effect",
      stoppedAtRun: "notify",
      stateKeysRead: ["status"],
    });
    expect(ran).toEqual([]);
  });
});
