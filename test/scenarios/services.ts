// SPDX-License-Identifier: MIT
// The services of the shared scenarios. Both drivers run them in this process (the server driver
// serves them from an endpoint here), so module-scope counters see every real execution of a
// side effect: a scenario checks with them that retries and replays do not repeat `ctx.run`s.
import {
  type Context,
  type ObjectContext,
  type ObjectSharedContext,
  type WorkflowContext,
  type WorkflowSharedContext,
  RestatePromise,
  TerminalError,
  handlers,
  isTerminalError,
  object,
  service,
  workflow,
} from "../../src/index.js";

/** Real executions of side effects, by a test-chosen name (the e2e services count here too). */
export const executions = new Map<string, number>();

/** Counts one execution of `name`; returns how many there have been. */
export function countExecution(name: string): number {
  const n = (executions.get(name) ?? 0) + 1;
  executions.set(name, n);
  return n;
}

/** A plain service: an answer, and a terminal error with its code. */
export const greeter = service({
  name: "Greeter",
  handlers: {
    greet: async (_ctx: Context, name: string) => `Hello ${name}!`,
    fail: async (_ctx: Context, message: string) => {
      throw new TerminalError(message, { errorCode: 418 });
    },
  },
});

/** State across invocations; the `ctx.run` counts executions (deduplicated calls run once). */
export const tally = object({
  name: "Tally",
  handlers: {
    add: async (ctx: ObjectContext, n: number) => {
      await ctx.run("count", () => countExecution(`${ctx.key}/add`));
      const total = ((await ctx.get<number>("total")) ?? 0) + n;
      ctx.set("total", total);
      return total;
    },
    get: handlers.object.shared(
      async (ctx: ObjectSharedContext) => (await ctx.get<number>("total")) ?? 0,
    ),
    keys: handlers.object.shared(async (ctx: ObjectSharedContext) => ctx.stateKeys()),
    /** Clears one entry, writes another, and lists what is left. */
    swapTotal: async (ctx: ObjectContext) => {
      ctx.clear("total");
      ctx.set("other", "x");
      return ctx.stateKeys();
    },
    reset: async (ctx: ObjectContext) => {
      ctx.clearAll();
    },
  },
});

export const inventory = object({
  name: "Inventory",
  handlers: {
    take: async (ctx: ObjectContext, quantity: number) => {
      const left = ((await ctx.get<number>("stock")) ?? 10) - quantity;
      if (left < 0) throw new TerminalError(`only ${left + quantity} left`, { errorCode: 412 });
      ctx.set("stock", left);
      return left;
    },
  },
});

export const pricing = service({
  name: "Pricing",
  handlers: {
    quote: async (_ctx: Context, quantity: number) => quantity * 3,
  },
});

/** Calls between services: a service call, an object call, and a one-way send. */
export const shop = service({
  name: "Shop",
  handlers: {
    buy: async (ctx: Context, order: { item: string; quantity: number }) => {
      const price = await ctx.serviceClient(pricing).quote(order.quantity);
      const left = await ctx.objectClient(inventory, order.item).take(order.quantity);
      ctx.objectSendClient(tally, order.item).add(order.quantity);
      return { price, left };
    },
  },
});

export const timer = service({
  name: "Timer",
  handlers: {
    /** Sleeps; returns how long the sleep took as the handler saw it. */
    nap: async (ctx: Context, ms: number) => {
      const started = await ctx.date.now();
      await ctx.sleep(ms);
      return (await ctx.date.now()) - started;
    },
    /** Returns when it ran. */
    stamp: async (ctx: Context, key: string) => {
      await ctx.run("count", () => countExecution(`${key}/stamp`));
      return ctx.date.now();
    },
  },
});

/** Books a flight, then waits; a cancellation runs the compensation. */
export const trip = object({
  name: "Trip",
  handlers: {
    book: async (ctx: ObjectContext) => {
      ctx.set("invocationId", ctx.request().id);
      const flight = await ctx.run("flight", () => `flight ${countExecution(`${ctx.key}/flight`)}`);
      ctx.set("status", "waiting");
      try {
        await ctx.sleep({ minutes: 5 });
        ctx.set("status", "booked");
        return flight;
      } catch (e) {
        if (isTerminalError(e)) {
          await ctx.run("undo flight", () => countExecution(`${ctx.key}/undo`));
          ctx.set("status", "compensated");
        }
        throw e;
      }
    },
  },
});

/** Calls `Trip/book` and reports how the call ended. */
export const planner = service({
  name: "Planner",
  handlers: {
    plan: async (ctx: Context, key: string) => {
      try {
        return { booked: await ctx.objectClient(trip, key).book() };
      } catch (e) {
        if (!isTerminalError(e)) throw e;
        return { code: e.code, message: e.message };
      }
    },
  },
});

/** Waits for an awakeable whose id it publishes in its state. */
export const gate = object({
  name: "Gate",
  handlers: {
    wait: async (ctx: ObjectContext) => {
      const { id, promise } = ctx.awakeable<string>();
      ctx.set("awakeable", id);
      return `opened by ${await promise}`;
    },
  },
});

/** Resolves an awakeable from inside a handler. */
export const opener = service({
  name: "Opener",
  handlers: {
    open: async (ctx: Context, req: { id: string; value: string }) => {
      ctx.resolveAwakeable(req.id, req.value);
    },
  },
});

/** Every combinator once; the timers that lose are a minute long, so only a hang would see them. */
export const combiner = service({
  name: "Combiner",
  handlers: {
    combine: async (ctx: Context) => {
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
        timedOut = isTerminalError(e) && e.code === 408;
      }
      return { all, raced, any, settled: settled.map((s) => s.status), timedOut };
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
    status: handlers.workflow.shared(
      async (ctx: WorkflowSharedContext) => (await ctx.get<string>("status")) ?? "none",
    ),
    peek: handlers.workflow.shared(
      async (ctx: WorkflowSharedContext) =>
        (await ctx.promise<string>("decision").peek()) ?? "none",
    ),
  },
});

/**
 * Fails once after its `ctx.run`s (a transient failure), then succeeds. The failure comes after
 * the runs' results are known, so it happens once in every mode: a request/response attempt that
 * suspends on the run's completion never reaches it.
 */
export const flaky = service({
  name: "Flaky",
  handlers: {
    charge: async (ctx: Context, key: string) => {
      const receipt = await ctx.run("charge", () => `receipt ${countExecution(`${key}/charge`)}`);
      const shipped = await ctx.run("ship", () => `shipped ${countExecution(`${key}/ship`)}`);
      const mailed = await ctx.run("mail", () => `mailed ${countExecution(`${key}/mail`)}`);
      if (countExecution(`${key}/after-charge`) === 1) throw new Error("connection reset");
      return [receipt, shipped, mailed];
    },
  },
  options: { retryPolicy: { initialInterval: 100, maxInterval: 200 } },
});

/** A handler whose code changes between attempts: the retry's journal no longer matches. */
export const drift = service({
  name: "Drift",
  handlers: {
    step: async (ctx: Context, key: string) => {
      if (countExecution(`${key}/attempt`) === 1) {
        await ctx.run("first-name", () => 1);
        throw new Error("retry me");
      }
      await ctx.run("second-name", () => 2);
      return "unreachable";
    },
  },
  options: { retryPolicy: { initialInterval: 100, maxInterval: 200 } },
});

export const SCENARIO_SERVICES = [
  greeter,
  tally,
  inventory,
  pricing,
  shop,
  timer,
  trip,
  planner,
  gate,
  opener,
  combiner,
  approval,
  flaky,
  drift,
] as const;
