// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { type Context, type ObjectContext, RestatePromise, object, service } from "../index.js";
import { NonDeterminismError, TestEnvironment } from "./index.js";

let sideEffects = 0;
let attempts = 0;

const steps = service({
  name: "Steps",
  handlers: {
    /** Increments a counter outside `ctx.run`: visible once per replay. */
    careless: async (ctx: Context) => {
      sideEffects++;
      return ctx.run("step", () => "done");
    },
    /** Takes another branch on every execution: a journal mismatch on replay. */
    nonDeterministic: async (ctx: Context) => {
      const name = ++attempts === 1 ? "first" : "second";
      await ctx.run(name, () => 1);
      return name;
    },
    deterministic: async (ctx: Context, n: number) => {
      const parts = await RestatePromise.all([ctx.run("a", () => n), ctx.run("b", () => n * 2)]);
      await ctx.sleep(1000, "pause");
      const id = ctx.rand.uuidv4();
      return { sum: parts.reduce((a, b) => a + b, 0), id };
    },
  },
});

const counter = object({
  name: "Counter",
  handlers: {
    add: async (ctx: ObjectContext, n: number) => {
      const next = ((await ctx.get<number>("count")) ?? 0) + n;
      ctx.set("count", next);
      await ctx.run("log", () => next);
      return next;
    },
  },
});

let tailRuns = 0;

/** Changes what it writes after its last await: only a replay of the whole journal sees it. */
const tail = object({
  name: "Tail",
  handlers: {
    run: async (ctx: ObjectContext) => {
      await ctx.run("step", () => 1);
      if (++tailRuns === 1) ctx.set("after", true);
      else ctx.clear("after");
      return "done";
    },
  },
});

describe("replayEveryStep", () => {
  it("replays after every step: side effects outside ctx.run run again", async () => {
    sideEffects = 0;
    const env = await TestEnvironment.start({ services: [steps], replayEveryStep: true });
    expect(await env.serviceClient(steps).careless()).toBe("done");
    // The step replay, then the final replay of the finished journal.
    expect(sideEffects).toBe(3);
    expect(env.invocations()[0]?.attempts).toBe(3);
  });

  it("replays the finished journal too: catches a change after the last await", async () => {
    tailRuns = 0;
    const env = await TestEnvironment.start({ services: [tail], replayEveryStep: true });
    const error = await env
      .objectClient(tail, "t")
      .run()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonDeterminismError);
    expect((error as Error).message).toMatch(
      /journaled: SetStateCommand[\s\S]*handler: +ClearStateCommand/,
    );
  });

  it("reports non-determinism as a NonDeterminismError with both commands", async () => {
    attempts = 0;
    const env = await TestEnvironment.start({ services: [steps], replayEveryStep: true });
    const error = await env
      .serviceClient(steps)
      .nonDeterministic()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonDeterminismError);
    expect(error).toMatchObject({ code: 570, commandIndex: 1, commandType: "RunCommand" });
    expect((error as Error).message).toMatch(/journaled: .*first[\s\S]*handler: .*second/);
  });

  it("runs deterministic handlers to the same result as without replays", async () => {
    const plain = await TestEnvironment.start({ services: [steps, counter], seed: 7 });
    const replaying = await TestEnvironment.start({
      services: [steps, counter],
      seed: 7,
      replayEveryStep: true,
    });
    const results = [];
    for (const env of [plain, replaying]) {
      const handle = env.serviceSendClient(steps).deterministic(5);
      await env.advance("1s");
      results.push(await handle.result());
      expect(await env.objectClient(counter, "c").add(2)).toBe(2);
      expect(await env.objectClient(counter, "c").add(3)).toBe(5);
    }
    expect(results[0]).toEqual({ sum: 15, id: expect.any(String) as string });
    expect(results[1]).toEqual(results[0]);
  });
});

describe("journal view", () => {
  it("shows commands with their arguments and results", async () => {
    const env = await TestEnvironment.start({
      services: [steps],
      seed: 1,
      now: Date.parse("2026-01-01"),
    });
    const handle = env.serviceSendClient(steps).deterministic(2);
    await env.advance("1s");
    await handle.result();
    expect(env.journal(handle)).toMatchInlineSnapshot(`
      [
        {
          "args": {
            "input": 2,
          },
          "index": 0,
          "type": "Input",
        },
        {
          "completed": true,
          "index": 1,
          "name": "a",
          "result": 2,
          "type": "Run",
        },
        {
          "completed": true,
          "index": 2,
          "name": "b",
          "result": 4,
          "type": "Run",
        },
        {
          "args": {
            "duration": 1000,
            "wakeUpTime": 1767225601000,
          },
          "completed": true,
          "index": 3,
          "name": "pause",
          "type": "Sleep",
        },
        {
          "index": 4,
          "result": {
            "id": "ffa1a074-ca4c-4fb3-9852-040070bf3f8c",
            "sum": 6,
          },
          "type": "Output",
        },
      ]
    `);
  });
});
