// SPDX-License-Identifier: MIT
// Interface-first definitions: a code-free descriptor (`iface`) that callers share, and the
// implementation bound to it (`implement`), called through `ctx.client()` / `ctx.sendClient()`.
import {
  iface,
  implement,
  serde,
  type ClientFromDescriptors,
  type Context,
  type Descriptor,
  type DescriptorOpts,
  type FnOf,
  type HandlerDescriptor,
  type ImplementedDefinition,
  type ImplementedObjectDefinition,
  type ImplementedServiceDefinition,
  type ImplementedWorkflowDefinition,
  type InferInput,
  type InferOutput,
  type ObjectContext,
  type ObjectDescriptor,
  type ObjectImplHandlers,
  type ObjectPerHandlerOpts,
  type SendClientFromDescriptors,
  type Serde,
  type ServiceDescriptor,
  type ServiceImplHandlers,
  type ServiceInterface,
  type ServicePerHandlerOpts,
  type WorkflowDescriptor,
  type WorkflowImplHandlers,
  type WorkflowPerHandlerOpts,
} from "@restatedev/restate-sdk";

const docs: DescriptorOpts = { description: "documented", metadata: { owner: "docs" } };

// A Standard Schema (what zod, valibot, arktype implement), written out by hand.
const nameSchema = {
  "~standard": {
    version: 1 as const,
    vendor: "corpus",
    validate: (value: unknown) =>
      typeof value === "string" ? { value } : { issues: [{ message: "not a string" }] },
    types: undefined as unknown as { input: string; output: string },
  },
};

const definer: ServiceInterface = iface;

export const greeterApi = iface.service(
  "GreeterApi",
  {
    greet: iface.json<string, string>(docs),
    ping: iface.json<void, string>(),
    bytes: iface.serdes({ input: serde.binary, output: serde.binary, description: "raw" }),
    validated: iface.schemas({ input: nameSchema, output: nameSchema }),
  },
  docs,
);

export const counterApi = definer.object("CounterApi", {
  add: iface.json<number, number>(),
  get: iface.shared.json<void, number>(),
  raw: iface.shared.serdes({ output: serde.binary }),
  checked: iface.shared.schemas({ input: nameSchema }),
});

export const signupApi = iface.workflow("SignupApi", {
  run: iface.json<string, boolean>(),
  click: iface.shared.json<string, void>(docs),
});

const greeterHandlers: ServiceImplHandlers<(typeof greeterApi)["_handlers"]> = {
  greet: async (_ctx, name) => `Hello ${name}`,
  ping: async () => "pong",
  bytes: async (_ctx, data) => data,
  validated: async (_ctx, name) => name,
};

const perHandler: ServicePerHandlerOpts = { ingressPrivate: true, description: "private" };
export const greeterImpl: ImplementedServiceDefinition<
  "GreeterApi",
  (typeof greeterApi)["_handlers"]
> = implement(greeterApi, {
  handlers: greeterHandlers,
  description: "implementation",
  metadata: {},
  options: { journalRetention: { days: 1 }, handlers: { ping: perHandler } },
});

const counterHandlers: ObjectImplHandlers<(typeof counterApi)["_handlers"]> = {
  add: async (ctx: ObjectContext, n) => {
    const current = (await ctx.get<number>("n")) ?? 0;
    ctx.set("n", current + n);
    return current + n;
  },
  get: async (ctx) => (await ctx.get<number>("n")) ?? 0,
  raw: async () => new Uint8Array(),
  checked: async () => undefined,
};
const objectPerHandler: ObjectPerHandlerOpts = { enableLazyState: true };
export const counterImpl: ImplementedObjectDefinition<
  "CounterApi",
  (typeof counterApi)["_handlers"]
> = implement(counterApi, {
  handlers: counterHandlers,
  options: { enableLazyState: false, handlers: { add: objectPerHandler } },
});

const workflowHandlers: WorkflowImplHandlers<(typeof signupApi)["_handlers"]> = {
  run: async (ctx, email) => {
    ctx.set("email", email);
    return true;
  },
  click: async (ctx, secret) => {
    await ctx.promise<string>("secret").resolve(secret);
  },
};
const workflowPerHandler: WorkflowPerHandlerOpts = { inactivityTimeout: { minutes: 5 } };
export const signupImpl: ImplementedWorkflowDefinition<
  "SignupApi",
  (typeof signupApi)["_handlers"]
> = implement(signupApi, {
  handlers: workflowHandlers,
  options: { workflowRetention: { days: 1 }, handlers: { run: workflowPerHandler } },
});

export const anyImpl: ImplementedDefinition<
  "GreeterApi",
  (typeof greeterApi)["_handlers"],
  "service"
> = greeterImpl;

export async function callThroughInterfaces(ctx: Context): Promise<string> {
  const greeter: ClientFromDescriptors<(typeof greeterApi)["_handlers"]> = ctx.client(greeterApi);
  const hello: string = await greeter.greet("Till");
  const pong: string = await greeter.ping();
  const count: number = await ctx.client(counterApi, "c1").add(1);
  const done: boolean = await ctx.client(signupApi, "wf").run("a@b.c");
  const sender: SendClientFromDescriptors<(typeof greeterApi)["_handlers"]> =
    ctx.sendClient(greeterApi);
  sender.greet("Till");
  sender.ping();
  ctx.sendClient(counterApi, "c1").add(1);
  await ctx.scope("tenant").client(greeterApi).ping();
  ctx.scope("tenant").sendClient(counterApi, "k").add(2);
  return `${hello}${pong}${count}${done}`;
}

type Greet = (typeof greeterApi)["_handlers"]["greet"];
export const greetIn: InferInput<Greet> = "Till";
export const greetOut: InferOutput<Greet> = "Hello Till";
export const descriptor: HandlerDescriptor<string, string> = greeterApi._handlers.greet;
export const anyDescriptor: Descriptor = greeterApi;
export const serviceDescriptor: ServiceDescriptor<"GreeterApi"> = greeterApi;
export const objectDescriptor: ObjectDescriptor<"CounterApi"> = counterApi;
export const workflowDescriptor: WorkflowDescriptor<"SignupApi"> = signupApi;
export const names: string[] = [
  anyDescriptor.name,
  greeterApi.name,
  counterApi.name,
  signupApi.name,
  serviceDescriptor.name,
  objectDescriptor.name,
  workflowDescriptor.name,
];
export const schemaSerde: Serde<string> = serde.schema(nameSchema);
export const kind: "service" | "object" | "workflow" = anyDescriptor._kind;
export const described: string | undefined = greeterApi._description ?? descriptor._description;
export const meta = [greeterApi._metadata, descriptor._metadata, descriptor._shared];
export const serdes: [Serde<string> | undefined, Serde<string> | undefined] = [
  descriptor._inputSerde,
  descriptor._outputSerde,
];
export const fn: FnOf<Context, string, number> = async (_ctx, input) => input.length;
export const noInputFn: FnOf<Context, void, number> = async () => 0;
