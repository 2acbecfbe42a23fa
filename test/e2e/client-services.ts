// SPDX-License-Identifier: MIT
// Services behind the ingress/admin client e2e tests. Module-level maps let the tests observe side
// effects: how often a step really ran, and which awakeable id a handler is waiting on.
import { z } from "zod";
import {
  type Context,
  type ObjectContext,
  type ObjectSharedContext,
  type WorkflowContext,
  type WorkflowSharedContext,
  TerminalError,
  handlers,
  object,
  serde,
  service,
  workflow,
} from "../../src/index.js";

/** Real executions of `ctx.run` steps, by a test-chosen key. */
export const executions = new Map<string, number>();
/** Awakeable ids published by handlers, by a test-chosen key. */
export const awakeableIds = new Map<string, string>();

function count(key: string): number {
  const n = (executions.get(key) ?? 0) + 1;
  executions.set(key, n);
  return n;
}

export const Order = z.object({ sku: z.string(), qty: z.number().int().positive() });

export const clientGreeter = service({
  name: "ClientGreeter",
  handlers: {
    greet: async (_ctx: Context, name: string) => `Hello ${name}!`,
    ping: async (ctx: Context) => `pong ${ctx.request().headers.get("x-test") ?? "-"}`,
    fail: async (_ctx: Context, req: { code: number; message: string }) => {
      throw new TerminalError(req.message, { errorCode: req.code, metadata: { by: "handler" } });
    },
    reverse: handlers.handler(
      { input: serde.binary, output: serde.binary },
      async (_ctx: Context, data: Uint8Array): Promise<Uint8Array> => data.slice().reverse(),
    ),
    bump: handlers.handler(
      { input: serde.msgpack, output: serde.msgpack },
      async (_ctx: Context, v: { data: Uint8Array; n: number }) => ({ data: v.data, n: v.n + 1 }),
    ),
    order: handlers.handler(
      { input: serde.schema(Order) },
      async (_ctx: Context, o: z.infer<typeof Order>) => `${o.qty} x ${o.sku}`,
    ),
    /** Counts one journaled step, then sleeps `ms`, so a restart mid-call shows re-execution. */
    counted: async (ctx: Context, req: { key: string; ms: number }) => {
      await ctx.run("count", () => count(req.key));
      if (req.ms > 0) await ctx.sleep(req.ms);
      return `done ${req.key}`;
    },
    waitForAwakeable: async (ctx: Context, key: string) => {
      const { id, promise } = ctx.awakeable<string>();
      await ctx.run("publish", () => void awakeableIds.set(key, id));
      return promise;
    },
    /** Never finishes on its own: for cancel and kill. */
    block: async (ctx: Context, _key: string) => {
      await ctx.awakeable<string>().promise;
    },
    /** Fails every attempt with a retryable error: for retry counts, pause, resume and kill. */
    flaky: async (_ctx: Context, _key: string) => {
      throw new Error("always failing");
    },
  },
});

export const clientCounter = object({
  name: "ClientCounter",
  handlers: {
    add: async (ctx: ObjectContext, n: number) => {
      const next = ((await ctx.get<number>("count")) ?? 0) + n;
      ctx.set("count", next);
      return next;
    },
    get: handlers.object.shared(
      async (ctx: ObjectSharedContext) => (await ctx.get<number>("count")) ?? 0,
    ),
    block: async (ctx: ObjectContext) => {
      await ctx.awakeable<string>().promise;
    },
  },
});

export const clientSignup = workflow({
  name: "ClientSignup",
  handlers: {
    run: async (ctx: WorkflowContext, email: string) => {
      const code = await ctx.promise<string>("code");
      return { email, code };
    },
    confirm: handlers.workflow.shared(async (ctx: WorkflowSharedContext, code: string) => {
      await ctx.promise<string>("code").resolve(code);
    }),
  },
});

export const CLIENT_SERVICES = [clientGreeter, clientCounter, clientSignup] as const;

export type ClientGreeter = typeof clientGreeter;
export type ClientCounter = typeof clientCounter;
export type ClientSignup = typeof clientSignup;
