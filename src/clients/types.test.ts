// SPDX-License-Identifier: MIT
import { describe, expectTypeOf, it } from "vitest";
import { handlers, object, service, workflow } from "../definitions/service.js";
import type { ObjectContext, WorkflowContext } from "../context/types.js";
import { connect } from "./ingress.js";
import type { IngressCallOptions, IngressSendOptions, Opts } from "./rpc.js";
import * as rpc from "./rpc-namespace.js";
import { serde } from "../serde/index.js";
import type { IngressClient, Output, Send, WorkflowSubmission } from "./types.js";
import type {
  Service,
  ServiceDefinition,
  ServiceDefinitionFrom,
  VirtualObject,
  VirtualObjectDefinition,
  VirtualObjectDefinitionFrom,
  Workflow,
  WorkflowDefinition,
  WorkflowDefinitionFrom,
} from "./index.js";

const greeter = service({
  name: "greeter",
  handlers: {
    greet: async (_ctx, name: string) => `Hello ${name}`,
    ping: async () => {},
    count: async (_ctx, n: number) => ({ n }),
  },
});

const counter = object({
  name: "counter",
  handlers: {
    add: async (ctx: ObjectContext<{ count: number }>, n: number) => {
      const c = ((await ctx.get("count")) ?? 0) + n;
      ctx.set("count", c);
      return c;
    },
    get: handlers.object.shared(async (ctx) => ctx.get<number>("count")),
  },
});

const signup = workflow({
  name: "signup",
  handlers: {
    run: async (ctx: WorkflowContext, email: string) => {
      await ctx.promise<string>("confirmed");
      return { email, ok: true };
    },
    confirm: handlers.workflow.shared(async (ctx, code: string) => {
      await ctx.promise<string>("confirmed").resolve(code);
    }),
  },
});

type Greeter = typeof greeter;
type Signup = typeof signup;

// Never called: the closures below only exist to be type-checked.
const ingress = connect({ url: "http://127.0.0.1:1" });

describe("ingress client typing", () => {
  it("infers service inputs and outputs", () => {
    const client = ingress.serviceClient(greeter);
    expectTypeOf(client.greet).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(client.greet).returns.toEqualTypeOf<Promise<string>>();
    expectTypeOf(client.count).returns.toEqualTypeOf<Promise<{ n: number }>>();
    expectTypeOf(client.ping).returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf(client).toEqualTypeOf<IngressClient<Greeter>>();
    const typed = () => {
      void client.greet("Till", { idempotencyKey: "k", timeout: 1000 });
      void client.ping();
      void client.ping(rpc.opts({ timeout: 10 }));
      void client.ping(undefined, { headers: { a: "b" } });
      // @ts-expect-error wrong input type
      void client.greet(42);
      // @ts-expect-error input required
      void client.greet();
      // @ts-expect-error unknown handler
      void client.nope("x"); // eslint-disable-line @typescript-eslint/no-unsafe-call -- the error under test
    };
    void typed;
  });

  it("types objects, including typed state and shared handlers", () => {
    const client = ingress.objectClient(counter, "key");
    expectTypeOf(client.add).parameter(0).toEqualTypeOf<number>();
    expectTypeOf(client.add).returns.toEqualTypeOf<Promise<number>>();
    expectTypeOf(client.get).returns.toEqualTypeOf<Promise<number | null>>();
  });

  it("keeps the workflow's types from a type-only reference", () => {
    const wf = ingress.workflowClient<Signup>({ name: "signup" }, "id-1");
    expectTypeOf(wf.run).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(wf.run).returns.toEqualTypeOf<Promise<{ email: string; ok: boolean }>>();
    expectTypeOf(wf.confirm).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(wf.workflowSubmit).returns.toEqualTypeOf<
      Promise<WorkflowSubmission<{ email: string; ok: boolean }>>
    >();
    expectTypeOf(wf.workflowAttach).returns.toEqualTypeOf<
      Promise<{ email: string; ok: boolean }>
    >();
    expectTypeOf(wf.workflowOutput).returns.toEqualTypeOf<
      Promise<Output<{ email: string; ok: boolean }>>
    >();
    const typed = () => {
      void ingress.runOrAttach(signup, "id", "a@b.c");
      void ingress.workflowSubmit<Signup>({ name: "signup" }, "id", "a@b.c", { delay: "1s" });
      // @ts-expect-error the workflow's input is a string
      void ingress.workflowSubmit(signup, "id", 1);
    };
    const runOrAttach = () => ingress.runOrAttach(signup, "id", "a");
    expectTypeOf(runOrAttach).returns.toEqualTypeOf<Promise<{ email: string; ok: boolean }>>();
    void typed;
  });

  it("returns sends with the handler's output type", () => {
    const send = ingress.serviceSendClient(greeter);
    expectTypeOf(send.greet).returns.toEqualTypeOf<Promise<Send<string>>>();
    expectTypeOf(ingress.objectSendClient(counter, "k").add).returns.toEqualTypeOf<
      Promise<Send<number>>
    >();
    expectTypeOf<Send<string>["status"]>().toEqualTypeOf<"Accepted" | "PreviouslyAccepted">();
    expectTypeOf<Send<string>["invocationId"]>().toEqualTypeOf<string>();
    const result = (s: Send<string>) => ingress.result(s);
    expectTypeOf(result).returns.toEqualTypeOf<Promise<string>>();
    const typed = () => {
      void send.greet("x", rpc.sendOpts({ delay: 1000, idempotencyKey: "k" }));
      void send.ping(rpc.sendOpts({ delay: "10s" }));
    };
    void typed;
  });

  it("lets a bare name call anything, with unknown results", () => {
    const client = ingress.serviceClient({ name: "anything" });
    expectTypeOf(client.whatever).toEqualTypeOf<
      | ((
          input: unknown,
          opts?: IngressCallOptions<unknown, unknown> | Opts<unknown, unknown>,
        ) => Promise<unknown>)
      | undefined
    >();
  });

  it("types attach and output by id and by idempotency key", () => {
    const byKey = () => ingress.attach({ service: greeter, handler: "greet", idempotencyKey: "k" });
    expectTypeOf(byKey).returns.toEqualTypeOf<Promise<string>>();
    const objectOutput = () =>
      ingress.output({ service: counter, key: "a", handler: "add", idempotencyKey: "k" });
    expectTypeOf(objectOutput).returns.toEqualTypeOf<Promise<Output<number>>>();
    const byId = () => ingress.attach<Uint8Array>("inv_1", { output: serde.binary });
    expectTypeOf(byId).returns.toEqualTypeOf<Promise<Uint8Array>>();
    const typed = () => {
      // @ts-expect-error not a handler of greeter
      void ingress.attach({ service: greeter, handler: "nope", idempotencyKey: "k" });
      void ingress.resolveAwakeable("sign_1", new Uint8Array(), serde.binary);
      // @ts-expect-error the serde decides the value's type
      void ingress.resolveAwakeable("sign_1", "text", serde.binary);
    };
    void typed;
  });
});

describe("definition types from restate-hono/clients (official client style)", () => {
  it("types clients of definition stubs and of handler maps", () => {
    const ingress = connect({ url: "http://restate" });
    type GreeterApi = {
      greet: (ctx: unknown, name: string) => Promise<string>;
      ping: (ctx: unknown) => Promise<void>;
    };
    const stub: ServiceDefinition<"greeter", GreeterApi> = { name: "greeter" };
    const typed: IngressClient<Service<typeof greeter>> = ingress.serviceClient(greeter);
    expectTypeOf(typed.greet).parameter(0).toEqualTypeOf<string>();
    expectTypeOf(ingress.serviceClient(stub).greet).returns.resolves.toEqualTypeOf<string>();
    const objectStub: VirtualObjectDefinition<"counter", VirtualObject<typeof counter>> = {
      name: "counter",
    };
    expectTypeOf(ingress.objectClient(objectStub, "k").add).returns.resolves.toBeNumber();
    const wfStub: WorkflowDefinition<"signup", Workflow<typeof signup>> = { name: "signup" };
    expectTypeOf(
      ingress.workflowClient(wfStub, "id").workflowAttach,
    ).returns.resolves.toEqualTypeOf<{
      email: string;
      ok: boolean;
    }>();
    expectTypeOf<ServiceDefinitionFrom<GreeterApi>>().toEqualTypeOf<
      ServiceDefinition<string, GreeterApi>
    >();
    expectTypeOf<VirtualObjectDefinitionFrom<typeof counter>>().toEqualTypeOf<typeof counter>();
    expectTypeOf<WorkflowDefinitionFrom<typeof signup>>().toEqualTypeOf<typeof signup>();
  });

  it("accepts the official SendOpts (no output type) and rpc.opts around serde.json", () => {
    const ingress = connect({ url: "http://restate" });
    const sendOptions: IngressSendOptions<string> = { delay: { seconds: 1 } };
    const send = () => ingress.serviceSendClient(greeter).greet("x", rpc.sendOpts(sendOptions));
    expectTypeOf(send).returns.resolves.toEqualTypeOf<Send<string>>();
    const call = () =>
      ingress
        .serviceClient(greeter)
        .greet("x", rpc.opts({ input: serde.json, output: serde.json }));
    expectTypeOf(call).returns.resolves.toBeString();
  });
});
