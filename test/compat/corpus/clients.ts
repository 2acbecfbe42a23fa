// SPDX-License-Identifier: MIT
// Calling Restate from outside with the ingress client: typed clients from type-only imports,
// sends, workflows, awakeables, raw calls, every connection and call option, and its errors.
import * as clients from "@restatedev/restate-sdk-clients";
import {
  connect,
  defaultShouldRetry,
  HttpCallError,
  Opts,
  rpc,
  SendOpts,
  serde,
  type ConnectionOpts,
  type Duration,
  type InferArgType,
  type Ingress,
  type IngressCallOptions,
  type IngressClient,
  type IngressClientFromDescriptors,
  type IngressSendClient,
  type IngressSendClientFromDescriptors,
  type IngressSendOptions,
  type IngressWorkflowClient,
  type JournalValueCodec,
  type Output,
  type RetryFailure,
  type RetryPolicy,
  type ScopedIngress,
  type Send,
  type Serde,
  type Service,
  type ServiceDefinition,
  type ServiceDefinitionFrom,
  type VirtualObject,
  type VirtualObjectDefinition,
  type VirtualObjectDefinitionFrom,
  type Workflow,
  type WorkflowDefinition,
  type WorkflowDefinitionFrom,
  type WorkflowSubmission,
} from "@restatedev/restate-sdk-clients";
import type { counterApi, greeterApi } from "./interfaces.js";
import type { counter, greeter, signup } from "./services.js";

const codec: JournalValueCodec = { encode: (b) => b, decode: async (b) => b };

const retry: RetryPolicy = {
  maxAttempts: 5,
  maxDuration: { seconds: 30 },
  initialInterval: 100,
  maxInterval: { seconds: 2 },
  exponentiationFactor: 2,
  respectRetryAfter: true,
  shouldRetry: (failure: RetryFailure, attempt: number) => {
    if (failure.kind === "network") return attempt < 3 && failure.error !== undefined;
    return failure.status >= 500 || failure.headers.has("retry-after") || failure.body === "busy"
      ? defaultShouldRetry(failure)
      : false;
  },
};

const options: ConnectionOpts = {
  url: "http://localhost:8080",
  headers: { authorization: "Bearer token" },
  retry,
  serde: serde.json,
  journalValueCodec: codec,
  fetch: globalThis.fetch,
};

export async function typedCalls(): Promise<void> {
  const ingress: Ingress = connect(options);
  clients.connect({ url: "http://localhost:8080", retry: true });
  connect({ url: "http://localhost:8080", retry: false });

  const greeterClient: IngressClient<Service<typeof greeter>> =
    ingress.serviceClient(greeterStub());
  const greeting: string = await greeterClient.greet({ name: "Till" });
  const callOptions: IngressCallOptions<{ name: string }, string> = {
    idempotencyKey: "greet-1",
    limitKey: "tenant/user",
    headers: { "x-trace": "1" },
    input: serde.json,
    output: serde.json,
    timeout: 5_000,
  };
  await greeterClient.greet({ name: "Till" }, rpc.opts(callOptions));
  await greeterClient.greet({ name: "Till" }, Opts.from({ signal: AbortSignal.timeout(1000) }));
  await greeterClient.ping(rpc.opts({ idempotencyKey: "ping-1" }));
  await greeterClient.ping(new Opts({ timeout: 10 }));
  const pinged: string = await greeterClient.ping();

  const counterClient: IngressClient<VirtualObject<typeof counter>> = ingress.objectClient(
    counterStub(),
    "c1",
  );
  const count: number = await counterClient.add(1);

  const sender: IngressSendClient<Service<typeof greeter>> =
    ingress.serviceSendClient(greeterStub());
  const sendOptions: IngressSendOptions<{ name: string }> = {
    delay: { seconds: 10 },
    idempotencyKey: "send-1",
    headers: {},
  };
  const send: Send<string> = await sender.greet({ name: "Till" }, rpc.sendOpts(sendOptions));
  const delayedMs: Send = await sender.ping(rpc.sendOpts({ delay: 10_000 }));
  const fromClass = SendOpts.from({ delay: { minutes: 1 } });
  const delay: number | undefined = fromClass.delay();
  const readBack: IngressSendOptions<unknown> = fromClass.opts;
  const readCall: IngressCallOptions<unknown, unknown> = Opts.from({}).opts;
  await ingress.objectSendClient(counterStub(), "c1").add(1, new SendOpts({ delay: 1 }));
  const result: string = await ingress.result(send);
  const resultBinary = await ingress.result(send as Send<Uint8Array>, serde.binary);
  console.log(
    greeting,
    pinged,
    count,
    send.invocationId,
    send.status,
    send.attachable,
    delayedMs.attachable,
    delay,
    readBack,
    readCall,
    result,
    resultBinary,
  );
}

export async function workflows(ingress: Ingress): Promise<boolean> {
  const wf: IngressWorkflowClient<Workflow<typeof signup>> = ingress.workflowClient(
    signupStub(),
    "wf-1",
  );
  const submission: WorkflowSubmission<boolean> = await wf.workflowSubmit("a@b.c");
  await wf.workflowSubmit("a@b.c", rpc.sendOpts({ idempotencyKey: "x" }));
  const id: string = submission.invocationId;
  const status: "Accepted" | "PreviouslyAccepted" = submission.status;
  const attachable: true = submission.attachable;
  const output: Output<boolean> = await wf.workflowOutput();
  if (output.ready) return output.result;
  await wf.click("secret");
  await wf.workflowOutput(rpc.opts({ timeout: 1000 }));
  console.log(id, status, attachable);
  const fromSubmission: boolean = await ingress.result(submission);
  return fromSubmission && (await wf.workflowAttach(rpc.opts({ timeout: 60_000 })));
}

export async function descriptors(ingress: Ingress): Promise<void> {
  const greeterApiClient: IngressClientFromDescriptors<(typeof greeterApi)["_handlers"]> =
    ingress.client(greeterApiStub());
  await greeterApiClient.greet("Till");
  await greeterApiClient.ping();
  await ingress.client(counterApiStub(), "k").add(1);
  const sendClient: IngressSendClientFromDescriptors<(typeof greeterApi)["_handlers"]> =
    ingress.sendClient(greeterApiStub());
  await sendClient.greet("Till");
  await ingress.sendClient(counterApiStub(), "k").add(2);
}

export async function rawAndScoped(ingress: Ingress): Promise<void> {
  const raw: Uint8Array = await ingress.call({
    service: "Greeter",
    handler: "greet",
    parameter: new TextEncoder().encode('{"name":"Till"}'),
  });
  const json = await ingress.call<{ name: string }, string>({
    service: "Counter",
    handler: "add",
    key: "c1",
    scope: "tenant-1",
    parameter: { name: "Till" },
    opts: rpc.opts({ input: serde.json, output: serde.json }),
  });
  const sent: Send = await ingress.send({
    service: "Greeter",
    handler: "greet",
    parameter: { name: "Till" },
    key: undefined,
    scope: "tenant-1",
    opts: rpc.sendOpts({ input: serde.json, delay: 1_000 }),
  });
  const scoped: ScopedIngress = ingress.scope("tenant-1");
  await scoped.serviceClient(greeterStub()).ping();
  await scoped.serviceSendClient(greeterStub()).ping();
  await scoped.objectClient(counterStub(), "k").add(1);
  await scoped.objectSendClient(counterStub(), "k").add(1);
  await scoped.workflowClient(signupStub(), "w").workflowSubmit("a");
  await scoped.client(greeterApiStub()).ping();
  await scoped.sendClient(counterApiStub(), "k").add(1);
  await ingress.resolveAwakeable("awk_1", { ok: true });
  await ingress.resolveAwakeable<Uint8Array>("awk_2", new Uint8Array(), serde.binary);
  await ingress.resolveAwakeable("awk_3");
  await ingress.rejectAwakeable("awk_4", "no longer needed");
  console.log(raw.length, json, sent.invocationId);
}

export function describe(error: unknown): string {
  if (error instanceof HttpCallError) {
    return `${error.status} ${error.responseText} ${error.message}`;
  }
  return String(error);
}

export const made = new HttpCallError(500, "oops", "request failed");

// Definitions without the code: stubs and definition types from the client package.
const greeterStub = (): typeof greeter => ({ name: "Greeter" });
const counterStub = (): typeof counter => ({ name: "Counter" });
const signupStub = (): typeof signup => ({ name: "Signup" });
const greeterApiStub = () => null as unknown as typeof greeterApi;
const counterApiStub = () => null as unknown as typeof counterApi;

type Greeter = { greet: (ctx: unknown, name: string) => Promise<string> };
export const asDefinition: ServiceDefinition<"Greeter", Greeter> = { name: "Greeter" };
export const objectDefinition: VirtualObjectDefinition<"Counter", VirtualObject<typeof counter>> = {
  name: "Counter",
};
export const workflowDefinition: WorkflowDefinition<"Signup", Workflow<typeof signup>> = {
  name: "Signup",
};
export type Froms = [
  ServiceDefinitionFrom<Greeter>,
  VirtualObjectDefinitionFrom<typeof counter>,
  WorkflowDefinitionFrom<typeof signup>,
];
export type FirstArg = InferArgType<[string, number]>;
export const timeout: Duration = { seconds: 1 };
export const bytes: Serde<Uint8Array> = serde.binary;
export const stringly: Serde<string> = clients.serde.json;
