// SPDX-License-Identifier: MIT
// Services, virtual objects and workflows as the official documentation writes them: every way of
// defining a handler, and every service- and handler-level option.
import * as restate from "@restatedev/restate-sdk";
import {
  createObjectHandler,
  createObjectSharedHandler,
  createServiceHandler,
  createWorkflowHandler,
  createWorkflowSharedHandler,
  handlers,
  object,
  serde,
  service,
  TerminalError,
  workflow,
  type Context,
  type ObjectContext,
  type ObjectSharedContext,
  type WorkflowContext,
  type WorkflowSharedContext,
} from "@restatedev/restate-sdk";

import shared = handlers.object.shared;
import exclusive = handlers.object.exclusive;

type Greeting = { name: string; greeting?: string };

const retryPolicy: restate.RetryPolicy = {
  maxAttempts: 10,
  onMaxAttempts: "pause",
  initialInterval: { milliseconds: 100 },
  maxInterval: 10_000,
  exponentiationFactor: 2,
};

const toTerminal = (error: unknown): TerminalError | undefined =>
  error instanceof RangeError ? new TerminalError(error.message, { errorCode: 400 }) : undefined;

const auditHook: restate.HooksProvider = ({ request }) => ({
  interceptor: {
    handler: async (next) => {
      console.log("handler", request.target.service);
      await next();
    },
    run: async (name, next) => {
      console.log("run", name);
      await next();
    },
  },
});

export const serviceOptions: restate.ServiceOptions = {
  idempotencyRetention: { days: 1 },
  journalRetention: { hours: 12 },
  inactivityTimeout: { minutes: 1 },
  abortTimeout: 30_000,
  ingressPrivate: false,
  retryPolicy,
  asTerminalError: toTerminal,
  serde: serde.json,
  hooks: [auditHook],
  explicitCancellation: false,
  onJournalMismatchErrors: "pause",
};

export const greeter = service({
  name: "Greeter",
  description: "Says hello",
  metadata: { team: "hello" },
  options: serviceOptions,
  handlers: {
    greet: async (ctx: Context, req: Greeting) => {
      return `${req.greeting ?? "Hello"} ${req.name}`;
    },
    ping: async (_ctx: Context) => "pong",
    withOptions: handlers.handler(
      {
        accept: "application/json",
        input: serde.json,
        output: serde.json,
        setOutputContentTypeIfEmpty: true,
        description: "a handler with every option",
        metadata: { owner: "docs" },
        idempotencyRetention: { days: 2 },
        journalRetention: 60_000,
        inactivityTimeout: { seconds: 30 },
        abortTimeout: { minutes: 2 },
        ingressPrivate: true,
        retryPolicy: { maxAttempts: 3, onMaxAttempts: "kill" },
        asTerminalError: toTerminal,
        serde: serde.json,
        hooks: [auditHook],
        explicitCancellation: true,
        onJournalMismatchErrors: "fail",
      },
      async (ctx: Context, count: number) => count + 1,
    ),
    noInput: handlers.handler({ description: "no input" }, async (ctx: Context) => "done"),
    binary: createServiceHandler(
      { input: serde.binary, output: serde.binary },
      async (_ctx: Context, data: Uint8Array) => data,
    ),
    empty: handlers.handler({ input: serde.empty, output: serde.empty }, async () => {}),
  },
});

type CounterState = { count: number; label: string };

export const counter = object({
  name: "Counter",
  options: { ...serviceOptions, enableLazyState: true },
  handlers: {
    add: async (ctx: ObjectContext, delta: number) => {
      const current = (await ctx.get<number>("count")) ?? 0;
      ctx.set("count", current + delta);
      return current + delta;
    },
    typed: exclusive(async (ctx: ObjectContext<CounterState>, delta: number) => {
      const current = (await ctx.get("count")) ?? 0;
      ctx.set("count", current + delta);
      ctx.set("label", `n=${current + delta}`);
      ctx.clear("label");
      return current + delta;
    }),
    typedWithOptions: exclusive(
      { enableLazyState: true, journalRetention: { days: 1 } },
      async (ctx: ObjectContext<CounterState>) => ctx.get("label"),
    ),
    current: shared(
      async (ctx: ObjectSharedContext<CounterState>) => (await ctx.get("count")) ?? 0,
    ),
    sharedWithOptions: shared(
      { ingressPrivate: true, enableLazyState: false },
      async (ctx: ObjectSharedContext, prefix: string) => `${prefix}${ctx.key}`,
    ),
    reset: createObjectHandler({ description: "clears" }, async (ctx: ObjectContext) => {
      ctx.clearAll();
    }),
    keys: createObjectSharedHandler(async (ctx: ObjectSharedContext) => ctx.stateKeys()),
    plainShared: handlers.object.shared(async (ctx: ObjectSharedContext) => ctx.key),
  },
});

type SignupState = { email: string; status: "pending" | "done" };

export const signup = workflow({
  name: "Signup",
  description: "A sign-up flow",
  metadata: { area: "accounts" },
  options: {
    ...serviceOptions,
    workflowRetention: { days: 7 },
    enableLazyState: true,
  },
  handlers: {
    run: async (ctx: WorkflowContext, email: string) => {
      ctx.set("email", email);
      const secret = await ctx.promise<string>("email-link").get();
      return secret === "ok";
    },
    click: async (ctx: WorkflowSharedContext, secret: string) => {
      await ctx.promise<string>("email-link").resolve(secret);
    },
    status: handlers.workflow.shared(async (ctx: WorkflowSharedContext<SignupState>) =>
      ctx.get("status"),
    ),
    statusWithOptions: handlers.workflow.shared(
      { description: "status, with options" },
      async (ctx: WorkflowSharedContext<SignupState>) => ctx.get("email"),
    ),
  },
});

export const typedSignup = workflow({
  name: "TypedSignup",
  handlers: {
    run: handlers.workflow.workflow(async (ctx: WorkflowContext<SignupState>, email: string) => {
      ctx.set("email", email);
      ctx.set("status", "done");
      return email;
    }),
    cancel: createWorkflowSharedHandler(async (ctx: WorkflowSharedContext) => {
      await ctx.promise<string>("cancel").reject("cancelled by the user");
    }),
  },
});

export const optionsSignup = workflow({
  name: "OptionsSignup",
  handlers: {
    run: createWorkflowHandler(
      { enableLazyState: true, inactivityTimeout: 5_000 },
      async (ctx: WorkflowContext<SignupState>) => (await ctx.get("status")) ?? "pending",
    ),
    peek: handlers.workflow.shared({ ingressPrivate: false }, async (ctx: WorkflowSharedContext) =>
      ctx.promise<string>("email-link").peek(),
    ),
  },
});

// Handlers use `this` typed as the handler map (ThisType), as in the official examples.
export const chained = service({
  name: "Chained",
  handlers: {
    async first(ctx: Context, n: number): Promise<number> {
      return this.second(ctx, n);
    },
    async second(_ctx: Context, n: number): Promise<number> {
      return n * 2;
    },
  },
});

// @ts-expect-error a workflow needs a `run` handler taking a WorkflowContext
export const missingRun = workflow({ name: "NoRun", handlers: { other: async () => 1 } });

// @ts-expect-error handlers must return a promise
export const notAsync = service({ name: "Sync", handlers: { sync: (_ctx: Context) => 1 } });
