// SPDX-License-Identifier: MIT
// The quick-start examples: a stateless service, a virtual object with state, and a workflow.
import {
  type Context,
  type ObjectContext,
  type ObjectSharedContext,
  type WorkflowContext,
  type WorkflowSharedContext,
  TerminalError,
  handlers,
  object,
  service,
  workflow,
} from "restate-hono";

/** A service: durable steps, a durable timer, and a call to a virtual object. */
export const greeter = service({
  name: "Greeter",
  handlers: {
    greet: async (ctx: Context, name: string) => {
      if (name.trim() === "") throw new TerminalError("name must not be empty", { errorCode: 400 });
      // Journaled: a retry or replay sees the same greeting id instead of drawing a new one.
      const greetingId = ctx.rand.uuidv4();
      const count = await ctx.objectClient(visits, name).visit();
      return `Hello ${name}! (visit #${count}, greeting ${greetingId.slice(0, 8)})`;
    },
    greetLater: async (ctx: Context, req: { name: string; seconds: number }) => {
      await ctx.sleep({ seconds: req.seconds });
      return ctx.run("compose", () => `Hello ${req.name}, ${req.seconds}s later!`);
    },
  },
});

/** A virtual object: one counter per key, updated by exclusive handlers. */
export const visits = object({
  name: "Visits",
  handlers: {
    visit: async (ctx: ObjectContext) => {
      const count = ((await ctx.get<number>("count")) ?? 0) + 1;
      ctx.set("count", count);
      return count;
    },
    count: handlers.object.shared(
      async (ctx: ObjectSharedContext) => (await ctx.get<number>("count")) ?? 0,
    ),
  },
});

/** A workflow: runs once per id and waits for a durable promise completed by another handler. */
export const signup = workflow({
  name: "Signup",
  handlers: {
    run: async (ctx: WorkflowContext, email: string) => {
      const secret = ctx.rand.uuidv4();
      ctx.set("secret", secret);
      await ctx.run("send-email", () => {
        ctx.console.info(`(pretend) sending ${email} the link with secret ${secret}`);
      });
      const clicked = await ctx.promise<string>("email-link");
      if (clicked !== secret) throw new TerminalError("wrong secret", { errorCode: 403 });
      return `${email} verified`;
    },
    click: handlers.workflow.shared(async (ctx: WorkflowSharedContext, secret: string) => {
      await ctx.promise<string>("email-link").resolve(secret);
    }),
    secret: handlers.workflow.shared(async (ctx: WorkflowSharedContext) =>
      ctx.get<string>("secret"),
    ),
  },
});
