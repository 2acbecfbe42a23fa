// SPDX-License-Identifier: MIT
// Every member of Context, ObjectContext, WorkflowContext and their shared variants, each used as
// a handler would use it.
import * as restate from "@restatedev/restate-sdk";
import {
  InvocationIdParser,
  RestatePromise,
  rpc,
  serde,
  TerminalError,
  TimeoutError,
  type Context,
  type ContextDate,
  type DurablePromise,
  type GenericCall,
  type GenericSend,
  type InvocationHandle,
  type InvocationId,
  type InvocationPromise,
  type InvocationReference,
  type KeyValueStore,
  type ObjectContext,
  type ObjectSharedContext,
  type Rand,
  type Request,
  type RunAction,
  type RunOptions,
  type ScopedContext,
  type SignalReference,
  type Target,
  type TypedState,
  type UntypedState,
  type WorkflowContext,
  type WorkflowSharedContext,
} from "@restatedev/restate-sdk";
import { counter, greeter, signup } from "./services.js";

export async function everyContextMember(ctx: Context): Promise<string> {
  // Determinism helpers.
  const rand: Rand = ctx.rand;
  const id: string = rand.uuidv4();
  const roll: number = rand.random();
  const date: ContextDate = ctx.date;
  const now: number = await date.now();
  const json: string = await date.toJSON();
  ctx.console.log("now", now, json);
  ctx.console.info("info");
  ctx.console.warn("warn");
  ctx.console.error("error");
  ctx.console.debug("debug");
  ctx.console.trace("trace");
  ctx.console.table([{ a: 1 }]);
  ctx.console.group("group");
  ctx.console.groupEnd();
  ctx.console.time("t");
  ctx.console.timeEnd("t");
  ctx.console.count("c");
  ctx.console.assert(roll >= 0, "in range");
  ctx.console.dir({ nested: { value: 1 } });

  // Side effects, with and without a name and options.
  const action: RunAction<number> = () => 42;
  const anonymous: number = await ctx.run(action);
  const named: string = await ctx.run("create id", async () => crypto.randomUUID());
  const runOptions: RunOptions<{ id: string }> = {
    serde: serde.json,
    maxRetryAttempts: 3,
    maxRetryDuration: { seconds: 30 },
    initialRetryInterval: 100,
    maxRetryInterval: { seconds: 5 },
    retryIntervalFactor: 1.5,
  };
  const withOptions = await ctx.run("with options", () => ({ id }), runOptions);

  // Timers: a duration object, milliseconds, a named sleep.
  await ctx.sleep({ seconds: 1 });
  await ctx.sleep(500, "half a second");

  // Awakeables.
  const { id: awakeableId, promise } = ctx.awakeable<string>();
  const typedAwakeable = ctx.awakeable(serde.binary);
  ctx.resolveAwakeable(awakeableId, "done");
  ctx.resolveAwakeable(typedAwakeable.id, new Uint8Array([1]), serde.binary);
  ctx.resolveAwakeable(awakeableId);
  ctx.rejectAwakeable(awakeableId, "no");
  ctx.rejectAwakeable(awakeableId, new TerminalError("no", { errorCode: 400 }));
  const awoken: string = await promise;

  // Typed clients built from the definitions.
  const greeting: string = await ctx.serviceClient(greeter).greet({ name: "Till" });
  const added: number = await ctx.objectClient(counter, "c1").add(1);
  const signedUp: boolean = await ctx.workflowClient(signup, "wf-1").run("a@b.c");
  ctx.serviceSendClient(greeter).greet({ name: "Till" });
  ctx.objectSendClient(counter, "c1").add(1, rpc.sendOpts({ delay: { seconds: 10 } }));
  ctx.workflowSendClient(signup, "wf-2").run("a@b.c");
  const handle: InvocationHandle = ctx.serviceSendClient(greeter).ping();
  const invocationId: InvocationId = await handle.invocationId;
  const call: InvocationPromise<string> = ctx.serviceClient(greeter).ping();
  const callId: InvocationId = await call.invocationId;

  // Scoped routing.
  const scoped: ScopedContext = ctx.scope("tenant-1");
  await scoped.serviceClient(greeter).ping();
  scoped.serviceSendClient(greeter).ping();
  await scoped.objectClient(counter, "k").add(1);
  scoped.objectSendClient(counter, "k").add(1);
  await scoped.workflowClient(signup, "w").run("x");
  scoped.workflowSendClient(signup, "w").run("x");

  // Untyped calls.
  const genericCall: GenericCall<Uint8Array, Uint8Array> = {
    service: "Greeter",
    method: "greet",
    parameter: new TextEncoder().encode(JSON.stringify({ name: "Till" })),
    key: undefined,
    headers: { "x-trace": "1" },
    inputSerde: serde.binary,
    outputSerde: serde.binary,
    idempotencyKey: "call-1",
    scope: "tenant-1",
    limitKey: "tenant-1/user",
    name: "generic call",
  };
  const raw: Uint8Array = await ctx.genericCall(genericCall);
  const jsonCall = ctx.genericCall<{ name: string }, string>({
    service: "Greeter",
    method: "greet",
    parameter: { name: "Till" },
    inputSerde: serde.json,
    outputSerde: serde.json,
  });
  const genericSend: GenericSend<string> = {
    service: "Counter",
    method: "add",
    key: "c1",
    parameter: "1",
    headers: {},
    inputSerde: serde.json,
    delay: { minutes: 1 },
    idempotencyKey: "send-1",
    scope: "tenant-1",
    limitKey: "tenant-1",
    name: "generic send",
  };
  const sent: InvocationHandle = ctx.genericSend(genericSend);

  // The request.
  const request: Request = ctx.request();
  const target: Target = request.target;
  const described = `${target.service}/${target.handler}/${target.key ?? ""} ${target.toString()}`;
  const requestId: InvocationId = request.id;
  const header: string | undefined = request.headers.get("x-trace");
  const attemptHeader = request.attemptHeaders.get("x-attempt");
  const body: Uint8Array = request.body;
  const extraArgs: unknown[] = request.extraArgs;
  const idempotencyKey: string | undefined = request.idempotencyKey;
  const scope: string | undefined = request.scope;
  const limitKey: string | undefined = request.limitKey;
  const attemptDone: AbortSignal = request.attemptCompletedSignal;

  // Other invocations.
  const other: InvocationId = InvocationIdParser.fromString("inv_1asdf");
  ctx.cancel(other);
  const attached: string = await ctx.attach<string>(other);
  const attachedBinary: Uint8Array = await ctx.attach(other, serde.binary);
  const reference: InvocationReference = ctx.invocation(other);
  const signalRef: SignalReference<string> = reference.signal<string>("approve");
  signalRef.resolve("yes");
  signalRef.reject("no");
  signalRef.reject(new TerminalError("no"));
  reference.signal("binary", serde.binary).resolve(new Uint8Array());
  reference.cancel();
  const output: number = await reference.attach<number>();
  const outputBinary: Uint8Array = await reference.attach(serde.binary);

  // Named signals sent to this invocation.
  const approval: string = await ctx.signal<string>("approve");
  const binarySignal: Uint8Array = await ctx.signal("payload", serde.binary);

  return [
    id,
    roll,
    anonymous,
    named,
    withOptions.id,
    awoken,
    greeting,
    added,
    signedUp,
    invocationId,
    callId,
    raw.length,
    await jsonCall,
    await sent.invocationId,
    described,
    requestId,
    header,
    attemptHeader,
    body.length,
    extraArgs.length,
    idempotencyKey,
    scope,
    limitKey,
    attemptDone.aborted,
    attached,
    attachedBinary.length,
    output,
    outputBinary.length,
    approval,
    binarySignal.length,
  ].join(",");
}

export async function combinators(ctx: Context): Promise<number> {
  const a = ctx.sleep(100).map(() => 1);
  const b = ctx.run("b", () => 2);
  const c: RestatePromise<number> = RestatePromise.resolve(3);
  const rejected: RestatePromise<number> = RestatePromise.reject(new TerminalError("nope"));
  const [x, y, z] = await RestatePromise.all([a, b, c]);
  const first: number = await RestatePromise.race([a, b]);
  const any: number = await RestatePromise.any([rejected, b]);
  const settled = await RestatePromise.allSettled([a, rejected]);
  const timed: number = await b.orTimeout({ seconds: 5 }).orTimeout(1000);
  const mapped: string = await b.map((value, failure) =>
    failure !== undefined ? failure.message : String(value),
  );
  try {
    await ctx.awakeable<number>().promise.orTimeout(10);
  } catch (e) {
    if (e instanceof TimeoutError) return -1;
  }
  if (restate.isRestatePromise(a)) await a;
  const legacy: restate.CombineablePromise<number> = restate.CombineablePromise.all([b]).map(
    (v) => v?.[0] ?? 0,
  );
  await restate.CombineablePromise.race([b]);
  await restate.CombineablePromise.any([b]);
  await restate.CombineablePromise.allSettled([b]);
  await restate.CombineablePromise.resolve(1);
  await restate.CombineablePromise.reject(new TerminalError("x")).map(() => 0);
  return x + y + z + first + any + settled.length + timed + mapped.length + (await legacy);
}

async function countFrom<TState extends TypedState>(store: KeyValueStore<TState>): Promise<number> {
  return (await store.stateKeys()).length;
}

export async function state(ctx: ObjectContext<{ n: number; tags: string[] }>): Promise<number> {
  const key: string = ctx.key;
  const n: number | null = await ctx.get("n");
  const tags = (await ctx.get("tags")) ?? [];
  ctx.set("n", (n ?? 0) + 1);
  ctx.set("tags", [...tags, key], serde.json);
  ctx.clear("tags");
  // @ts-expect-error typed state: unknown key
  ctx.set("other", 1);
  // @ts-expect-error typed state: wrong value type
  ctx.set("n", "one");
  ctx.clearAll();
  return countFrom(ctx);
}

export async function untypedState(ctx: ObjectContext<UntypedState>): Promise<string | null> {
  const value = await ctx.get<string>("anything", serde.json);
  ctx.set<number>("other", 1);
  return value;
}

export async function sharedState(ctx: ObjectSharedContext): Promise<string[]> {
  const value = await ctx.get<number>("n");
  return [ctx.key, String(value), ...(await ctx.stateKeys())];
}

export async function workflowPromises(ctx: WorkflowContext): Promise<string> {
  const promise: DurablePromise<string> = ctx.promise<string>("approval");
  const peeked: string | undefined = await promise.peek();
  await promise.resolve("approved");
  await promise.reject("rejected");
  const value: string = await promise.get();
  const direct: string = await promise;
  const binary = ctx.promise("bytes", serde.binary);
  await binary.resolve(new Uint8Array());
  ctx.set("value", value);
  return `${peeked ?? ""}${direct}${ctx.key}`;
}

export async function workflowShared(ctx: WorkflowSharedContext): Promise<void> {
  await ctx.promise<string>("approval").resolve((await ctx.get<string>("value")) ?? "");
}
