// SPDX-License-Identifier: MIT
// Services used by the end-to-end tests. Counters kept in module scope count real executions of
// side effects, so tests can check that replays do not re-execute them.
import {
  type Context,
  type ObjectContext,
  type ObjectSharedContext,
  type WorkflowContext,
  type WorkflowSharedContext,
  RestatePromise,
  TerminalError,
  handlers,
  object,
  service,
  workflow,
} from "../../src/index.js";

/** Executions of side effects, by a test-chosen key. */
export const executions = new Map<string, number>();
export function countExecution(key: string): number {
  const n = (executions.get(key) ?? 0) + 1;
  executions.set(key, n);
  return n;
}

export const greeter = service({
  name: "Greeter",
  handlers: {
    greet: async (_ctx: Context, name: string) => `Hello ${name}!`,
    fail: async (_ctx: Context, message: string) => {
      throw new TerminalError(message, { errorCode: 418 });
    },
    headers: async (ctx: Context) => Object.fromEntries(ctx.request().headers),
  },
});

export const steps = service({
  name: "Steps",
  handlers: {
    /** Runs `n` side effects, then fails the first attempt once so the retry replays them all. */
    runMany: async (ctx: Context, req: { key: string; n: number; failOnce?: boolean }) => {
      const results: number[] = [];
      for (let i = 0; i < req.n; i++) {
        results.push(await ctx.run(`step-${i}`, () => countExecution(`${req.key}/${i}`)));
      }
      if (req.failOnce === true && countExecution(`${req.key}/fail`) === 1) {
        throw new Error("transient failure after the steps");
      }
      return results;
    },
    sleepThenGreet: async (ctx: Context, req: { key: string; ms: number }) => {
      countExecution(`${req.key}/before`);
      const started = await ctx.date.now();
      await ctx.sleep(req.ms);
      const ended = await ctx.run("end", () => Date.now());
      return { started, ended };
    },
    callGreeter: async (ctx: Context, name: string) => ctx.serviceClient(greeter).greet(name),
    combinators: async (ctx: Context) => {
      const all = await RestatePromise.all([ctx.run(() => 1), ctx.run(() => 2)]);
      const raced = await RestatePromise.race([
        ctx.sleep(60_000).map(() => "slow"),
        ctx.run(() => "fast"),
      ]);
      const any = await RestatePromise.any([
        ctx.run("boom", async (): Promise<string> => {
          throw new TerminalError("no");
        }),
        ctx.run(() => "yes"),
      ]);
      const settled = await RestatePromise.allSettled([
        ctx.run("bad", async (): Promise<number> => {
          throw new TerminalError("bad");
        }),
        ctx.run(() => 3),
      ]);
      let timedOut = false;
      try {
        await ctx.sleep(60_000).orTimeout(100);
      } catch (e) {
        timedOut = e instanceof TerminalError && e.code === 408;
      }
      return { all, raced, any, settled: settled.map((s) => s.status), timedOut };
    },
    awakeableWait: async (ctx: Context, key: string) => {
      const { id, promise } = ctx.awakeable<string>();
      await ctx.run("publish", () => awakeableIds.set(key, id));
      return `got ${await promise}`;
    },
    resolveAwakeable: async (ctx: Context, req: { id: string; value: string }) => {
      ctx.resolveAwakeable(req.id, req.value);
    },
    random: async (ctx: Context) => [ctx.rand.random(), ctx.rand.uuidv4()],
    nonDeterministic: async (ctx: Context, key: string) => {
      const attempt = countExecution(`${key}/attempt`);
      if (attempt === 1) {
        await ctx.run("first-name", () => 1);
        throw new Error("retry me");
      }
      await ctx.run("second-name", () => 2);
      return "unreachable";
    },
  },
});

/** Awakeable ids published by handlers, for tests to resolve them from outside. */
export const awakeableIds = new Map<string, string>();

export const counter = object({
  name: "Counter",
  handlers: {
    add: async (ctx: ObjectContext, n: number) => {
      const next = ((await ctx.get<number>("count")) ?? 0) + n;
      ctx.set("count", next);
      return next;
    },
    get: handlers.object.shared(
      async (ctx: ObjectSharedContext) => (await ctx.get<number>("count")) ?? 0,
    ),
    keys: handlers.object.shared(async (ctx: ObjectSharedContext) => ctx.stateKeys()),
    reset: async (ctx: ObjectContext) => {
      ctx.clearAll();
    },
    clearCount: async (ctx: ObjectContext) => {
      ctx.clear("count");
      ctx.set("other", "x");
      return ctx.stateKeys();
    },
  },
});

export const approval = workflow({
  name: "Approval",
  handlers: {
    run: async (ctx: WorkflowContext, item: string) => {
      ctx.set("status", "waiting");
      const decision = await ctx.promise<string>("decision");
      ctx.set("status", decision);
      return `${item}: ${decision}`;
    },
    decide: handlers.workflow.shared(async (ctx: WorkflowSharedContext, decision: string) => {
      await ctx.promise<string>("decision").resolve(decision);
    }),
    status: handlers.workflow.shared(async (ctx: WorkflowSharedContext) =>
      ctx.get<string>("status"),
    ),
    peek: handlers.workflow.shared(
      async (ctx: WorkflowSharedContext) =>
        (await ctx.promise<string>("decision").peek()) ?? "none",
    ),
  },
});

export const ALL_SERVICES = [greeter, steps, counter, approval] as const;
