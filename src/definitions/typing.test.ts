// SPDX-License-Identifier: MIT
import { describe, expectTypeOf, it } from "vitest";
import { handlers, object, service, workflow } from "./service.js";
import type { ServiceRef } from "./clients.js";
import type { Client as C0, SendClient as S0 } from "../context/client-types.js";
import type { Service } from "./types.js";
import type {
  InvocationHandle,
  InvocationPromise,
  ObjectContext,
  WorkflowContext,
} from "../context/types.js";

const greeter = service({
  name: "greeter",
  handlers: {
    greet: async (ctx, name: string) => `Hello ${name} ${ctx.request().id}`,
    ping: async () => {},
    count: async (_ctx, n: number) => ({ n }),
  },
});

const counter = object({
  name: "counter",
  handlers: {
    add: async (ctx: ObjectContext<{ count: number }>, n: number) => {
      const c = (await ctx.get("count")) ?? 0;
      ctx.set("count", c + n);
      return c + n;
    },
    get: handlers.object.shared(async (ctx) => ctx.get<number>("count")),
  },
});

const signup = workflow({
  name: "signup",
  handlers: {
    run: async (ctx: WorkflowContext, email: string) => {
      await ctx.promise<string>("confirmed");
      return email;
    },
    confirm: handlers.workflow.shared(async (ctx, code: string) => {
      await ctx.promise<string>("confirmed").resolve(code);
    }),
  },
});

/** Clients of a definition, as `ctx.serviceClient(def)` types them. */
type Client<D> = C0<Service<D>>;
type SendClient<D> = S0<Service<D>>;

describe("definition typing", () => {
  it("infers handler inputs and outputs for clients", () => {
    type G = Client<typeof greeter>;
    expectTypeOf<Parameters<G["greet"]>[0]>().toEqualTypeOf<string>();
    expectTypeOf<Awaited<ReturnType<G["greet"]>>>().toEqualTypeOf<string>();
    expectTypeOf<Awaited<ReturnType<G["ping"]>>>().toEqualTypeOf<void>();
    expectTypeOf<Awaited<ReturnType<G["count"]>>>().toEqualTypeOf<{ n: number }>();
    expectTypeOf<
      ReturnType<SendClient<typeof greeter>["greet"]>
    >().toEqualTypeOf<InvocationHandle>();
    expectTypeOf<ReturnType<G["greet"]>>().toMatchTypeOf<InvocationPromise<string>>();
  });

  it("keeps typed state and workflow clients", () => {
    expectTypeOf<Awaited<ReturnType<Client<typeof counter>["add"]>>>().toEqualTypeOf<number>();
    expectTypeOf<Awaited<ReturnType<Client<typeof counter>["get"]>>>().toEqualTypeOf<
      number | null
    >();
    expectTypeOf<Parameters<Client<typeof signup>["confirm"]>[0]>().toEqualTypeOf<string>();
    expectTypeOf<Awaited<ReturnType<Client<typeof signup>["run"]>>>().toEqualTypeOf<string>();
  });

  it("accepts a name-only reference for type-only imports", () => {
    type Ref = Parameters<typeof acceptRef<typeof greeter>>[0];
    expectTypeOf<{ name: "greeter" }>().toMatchTypeOf<Ref>();
  });
});

function acceptRef<D>(ref: ServiceRef<D>): void {
  void ref;
}

// The definitions are real values; referencing them keeps them from being type-only.
void [greeter, counter, signup, acceptRef];
