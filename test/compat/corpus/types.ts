// SPDX-License-Identifier: MIT
// The type-level API: definition types, the service-stub pattern (calling a service without
// importing its code), client types, handler types and inference helpers.
import type * as restate from "@restatedev/restate-sdk";
import {
  rpc,
  serde,
  type Client,
  type ClientCallOptions,
  type ClientSendOptions,
  type Context,
  type InferArg,
  type ObjectHandler,
  type ObjectOpts,
  type ObjectHandlerOpts,
  type ObjectOptions,
  type Opts,
  type RemoveVoidArgument,
  type RestateContext,
  type RestateObjectContext,
  type RestateObjectSharedContext,
  type RestateWorkflowContext,
  type RestateWorkflowSharedContext,
  type SendClient,
  type SendOpts,
  type Serde,
  type Service,
  type ServiceDefinition,
  type ServiceDefinitionFrom,
  type ServiceHandler,
  type ServiceHandlerOpts,
  type ServiceOpts,
  type VirtualObject,
  type VirtualObjectDefinition,
  type VirtualObjectDefinitionFrom,
  type Workflow,
  type WorkflowDefinition,
  type WorkflowDefinitionFrom,
  type WorkflowHandler,
  type WorkflowHandlerOpts,
  type WorkflowOptions,
  type WorkflowOpts,
  type WorkflowSharedHandler,
} from "@restatedev/restate-sdk";
import type { counter, greeter, signup } from "./services.js";

// The service-stub pattern: a definition value made from the name alone.
export const greeterStub: typeof greeter = { name: "Greeter" };
export const counterStub: typeof counter = { name: "Counter" };
export const signupStub: typeof signup = { name: "Signup" };

type GreeterHandlers = { greet: (ctx: Context, name: string) => Promise<string> };
export const byShape: ServiceDefinition<"Greeter", GreeterHandlers> = { name: "Greeter" };
export const objectByShape: VirtualObjectDefinition<"Counter", Service<typeof counter>> = {
  name: "Counter",
};
export const workflowByShape: WorkflowDefinition<"Signup", Workflow<typeof signup>> = {
  name: "Signup",
};

export async function callStubs(ctx: Context): Promise<number> {
  const greeting: string = await ctx.serviceClient(greeterStub).greet({ name: "Till" });
  const other: string = await ctx.serviceClient(byShape).greet("Till");
  const fromShape = await ctx.serviceClient<GreeterHandlers>({ name: "Greeter" }).greet("x");
  const n: number = await ctx.objectClient(counterStub, "k").add(1);
  const done: boolean = await ctx.workflowClient(signupStub, "w").run("a@b.c");
  return greeting.length + other.length + fromShape.length + n + Number(done);
}

type GreeterClient = Client<Service<typeof greeter>>;
type CounterSend = SendClient<VirtualObject<typeof counter>>;
export type Clients = [GreeterClient, CounterSend, Client<Workflow<typeof signup>>];
export type From = [
  ServiceDefinitionFrom<typeof greeter>,
  VirtualObjectDefinitionFrom<typeof counter>,
  WorkflowDefinitionFrom<typeof signup>,
];

export const callOptions: ClientCallOptions<string, string> = {
  input: serde.json,
  output: serde.json,
  idempotencyKey: "k",
  limitKey: "tenant/user",
  headers: { a: "b" },
  name: "a call",
};
export const sendOptions: ClientSendOptions<number> = {
  delay: { hours: 1 },
  input: serde.json,
  idempotencyKey: "k",
  limitKey: "tenant",
  headers: {},
  name: "a send",
};
export const opts: Opts<string, string> = rpc.opts(callOptions);
export const sendOpts: SendOpts<number> = rpc.sendOpts(sendOptions);
export const fromOpts: Opts<string, string> = restateOpts();
export const readBack: [ClientCallOptions<string, string>, ClientSendOptions<number>] = [
  opts.getOpts(),
  sendOpts.getOpts(),
];

function restateOpts(): restate.Opts<string, string> {
  return (null as unknown as typeof restate).Opts.from({ idempotencyKey: "x" });
}

export const classes = (sdk: typeof restate) => [
  sdk.Opts.from({ headers: {} }),
  sdk.SendOpts.from({ delay: 10 }),
];

export async function callWithOptions(ctx: Context, client: GreeterClient): Promise<void> {
  await client.greet({ name: "Till" }, rpc.opts({ idempotencyKey: "once" }));
  await client.ping(rpc.opts({ headers: { "x-a": "b" } }));
  ctx
    .objectSendClient<typeof counter>({ name: "Counter" }, "k")
    .add(1, rpc.sendOpts({ delay: 100 }));
}

export type Arg = InferArg<[string, number]>;
export type NoVoid = RemoveVoidArgument<(ctx: Context, input: void) => Promise<void>>;
export type Handlers = [
  ServiceHandler<(ctx: RestateContext, input: string) => Promise<string>>,
  ObjectHandler<(ctx: RestateObjectContext) => Promise<void>>,
  ObjectHandler<(ctx: RestateObjectSharedContext) => Promise<void>, RestateObjectSharedContext>,
  WorkflowHandler<(ctx: RestateWorkflowContext, input: number) => Promise<number>>,
  WorkflowSharedHandler<(ctx: RestateWorkflowSharedContext) => Promise<void>>,
];
export type HandlerOptionTypes = [
  ServiceHandlerOpts<string, string>,
  ObjectHandlerOpts<void, number>,
  WorkflowHandlerOpts<string, boolean>,
  ObjectOptions,
  WorkflowOptions,
];
export type HandlerMaps = [
  ServiceOpts<GreeterHandlers>,
  ObjectOpts<Service<typeof counter>>,
  WorkflowOpts<Workflow<typeof signup>>,
];

export class UpperCaseSerde implements Serde<string> {
  contentType = "text/plain";
  jsonSchema = { type: "string" };
  preview = {
    toJsonString: (value: string) => JSON.stringify(value),
    fromJsonString: (json: string) => JSON.parse(json) as string,
  };
  serialize(value: string): Uint8Array {
    return new TextEncoder().encode(value.toUpperCase());
  }
  deserialize(data: Uint8Array): string {
    return new TextDecoder().decode(data);
  }
}

export const jsonSerde: Serde<{ a: number }> = new serde.JsonSerde<{ a: number }>({
  type: "object",
});
export const withSchema: Serde<{ b: string }> = serde.json.schema<{ b: string }>({
  type: "object",
});
export const jsonContentType: string = serde.json.contentType;
export const jsonSchema: object | undefined = serde.json.jsonSchema;
export const roundTrip: string = new UpperCaseSerde().deserialize(serde.json.serialize("x"));
export const decoded: unknown = serde.json.deserialize(new Uint8Array());

export function useSerde<T>(s: Serde<T>, value: T): T {
  const bytes = s.serialize(value);
  const preview = s.preview?.toJsonString(value);
  return s.contentType === undefined && s.jsonSchema === undefined && preview === undefined
    ? s.deserialize(bytes)
    : value;
}

export const duration: restate.Duration = {
  days: 1,
  hours: 2,
  minutes: 3,
  seconds: 4,
  milliseconds: 5,
};
