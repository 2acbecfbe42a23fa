// SPDX-License-Identifier: MIT
/* eslint-disable @typescript-eslint/no-unused-vars -- functions declared for their types only */
// Type-level tests: the implementation cannot drift from the public context types, and the
// official SDK's typing patterns type-check.
import { describe, expectTypeOf, it } from "vitest";
import type { InvocationContext } from "./invocation-context.js";
import type {
  Context,
  InvocationHandle,
  InvocationPromise,
  ObjectContext,
  ObjectSharedContext,
  RestatePromise,
  WorkflowContext,
  WorkflowSharedContext,
} from "./types.js";
import { handlers, object, service, workflow } from "../definitions/service.js";
import type { ServiceDefinition, VirtualObjectDefinition } from "../definitions/types.js";
import { iface } from "../definitions/descriptors.js";
import * as rpc from "./rpc.js";

const greeter = service({
  name: "Greeter",
  handlers: {
    greet: async (_ctx: Context, name: string) => `Hello ${name}`,
    ping: async (_ctx: Context) => 1,
  },
});

const counter = object({
  name: "Counter",
  handlers: {
    add: handlers.object.exclusive(async (ctx: ObjectContext<{ count: number }>, n: number) => {
      const count = ((await ctx.get("count")) ?? 0) + n;
      ctx.set("count", count);
      return count;
    }),
    get: handlers.object.shared(async (ctx: ObjectSharedContext<{ count: number }>) =>
      ctx.get("count"),
    ),
  },
});

const signup = workflow({
  name: "Signup",
  handlers: {
    run: handlers.workflow.workflow(
      async (ctx: WorkflowContext<{ step: string }>, email: string) => {
        ctx.set("step", "started");
        return email;
      },
    ),
    step: handlers.workflow.shared(async (ctx: WorkflowSharedContext<{ step: string }>) =>
      ctx.get("step"),
    ),
  },
});

describe("InvocationContext", () => {
  it("implements every public context", () => {
    expectTypeOf<InvocationContext>().toMatchTypeOf<Context>();
    expectTypeOf<InvocationContext>().toMatchTypeOf<ObjectContext>();
    expectTypeOf<InvocationContext>().toMatchTypeOf<ObjectSharedContext>();
    expectTypeOf<InvocationContext>().toMatchTypeOf<WorkflowContext>();
    expectTypeOf<InvocationContext>().toMatchTypeOf<WorkflowSharedContext>();
  });

  it("returns typed clients, never `never`", () => {
    const greet = (ctx: InvocationContext) => ctx.serviceClient(greeter).greet("Till");
    expectTypeOf(greet).returns.toEqualTypeOf<InvocationPromise<string>>();
  });
});

describe("definitions", () => {
  it("a { name } stand-in typed as the definition works with the clients", () => {
    const api: typeof greeter = { name: "Greeter" };
    const byName: ServiceDefinition<
      "Greeter",
      { greet: (ctx: Context, n: string) => Promise<string> }
    > = { name: "Greeter" };
    const call = (ctx: Context) => ({
      a: ctx.serviceClient(api).greet("Till"),
      b: ctx.serviceClient(byName).greet("Ada"),
      c: ctx.serviceClient(api).ping(rpc.opts({ idempotencyKey: "k" })),
      d: ctx.serviceSendClient(api).ping(rpc.sendOpts({ delay: { seconds: 1 } })),
    });
    expectTypeOf<ReturnType<typeof call>["a"]>().toEqualTypeOf<InvocationPromise<string>>();
    expectTypeOf<ReturnType<typeof call>["b"]>().toEqualTypeOf<InvocationPromise<string>>();
    expectTypeOf<ReturnType<typeof call>["c"]>().toEqualTypeOf<InvocationPromise<number>>();
    expectTypeOf<ReturnType<typeof call>["d"]>().toEqualTypeOf<InvocationHandle>();
  });

  it("typed state flows through handlers.object.* and handlers.workflow.*", () => {
    const call = (ctx: Context) => ({
      add: ctx.objectClient(counter, "c").add(1),
      get: ctx.objectClient(counter, "c").get(),
      run: ctx.workflowClient(signup, "w").run("a@b.c"),
      step: ctx.workflowClient(signup, "w").step(),
    });
    type R = ReturnType<typeof call>;
    expectTypeOf<R["add"]>().toEqualTypeOf<InvocationPromise<number>>();
    expectTypeOf<R["get"]>().toEqualTypeOf<InvocationPromise<number | null>>();
    expectTypeOf<R["run"]>().toEqualTypeOf<InvocationPromise<string>>();
    expectTypeOf<R["step"]>().toEqualTypeOf<InvocationPromise<string | null>>();
    expectTypeOf(counter).toMatchTypeOf<VirtualObjectDefinition<"Counter", unknown>>();
  });

  it("handlers and rpc are modules (usable as namespaces; the compat corpus imports from them)", () => {
    expectTypeOf(handlers.object.shared).toBeFunction();
    expectTypeOf(rpc.opts).toBeFunction();
  });

  it("iface descriptions give typed clients", () => {
    const api = iface.object("Cart", {
      add: iface.json<string, number>(),
      count: iface.shared.json<void, number>(),
    });
    const call = (ctx: Context) => ({
      add: ctx.client(api, "k").add("apple"),
      count: ctx.client(api, "k").count(),
      send: ctx.sendClient(api, "k").add("pear"),
    });
    type R = ReturnType<typeof call>;
    expectTypeOf<R["add"]>().toEqualTypeOf<InvocationPromise<number>>();
    expectTypeOf<R["count"]>().toEqualTypeOf<InvocationPromise<number>>();
    expectTypeOf<R["send"]>().toEqualTypeOf<InvocationHandle>();
  });

  it("RestatePromise is a type and map's failure is a TerminalError", () => {
    const f = (p: RestatePromise<number>) => p.map((v, failure) => (failure ? failure.code : v));
    expectTypeOf<ReturnType<typeof f>>().toEqualTypeOf<RestatePromise<number | undefined>>();
  });
});
