// SPDX-License-Identifier: MIT
// `ctx`: one object per attempt implementing every context flavour. Each method serializes, calls
// one engine operation, and wraps the resulting future in a durable promise.
// Over 500 lines on purpose for now: it is the one class that `implements` every public context
// (Context, ObjectContext, WorkflowContext and their shared forms), so the compiler checks them
// together; splitting the state and client methods into helpers is the next step (issue 9).
import type { JournalVm } from "../journal/vm.js";
import type { Future, Leaf, Outcome } from "../journal/futures.js";
import type { Target as JournalTarget } from "../journal/values.js";
import { DeterministicRandom, v5Seed } from "../journal/rand.js";
import { type Duration, durationToMs } from "../definitions/duration.js";
import type { Serde } from "../serde/serde.js";
import { json } from "../serde/json.js";
import { binary } from "../serde/binary.js";
import type { Scheduler } from "./scheduler.js";
import { FuturePromise, type TimerSource } from "./restate-promise.js";
import { payloadOf } from "./failures.js";
import { executeRun } from "./run.js";
import type { RunOptions } from "./run-options.js";
import { type ClientTarget, makeClient, makeSendClient } from "./clients.js";
import type {
  Client,
  ClientFromDescriptors,
  SendClient,
  SendClientFromDescriptors,
} from "./client-types.js";
import type {
  Service,
  ServiceDefinitionFrom,
  VirtualObject,
  VirtualObjectDefinitionFrom,
  Workflow,
  WorkflowDefinitionFrom,
} from "../definitions/types.js";
import type { Descriptor, HandlerDescriptor } from "../definitions/descriptors.js";
import { WorkflowPromise } from "./workflow-promise.js";
import { ReplayAwareConsole } from "./console.js";
import { LogSource, LoggerContext, invocationLogger, transportOf } from "./log-transport.js";
import type {
  Context,
  ObjectContext,
  ObjectSharedContext,
  WorkflowContext,
  WorkflowSharedContext,
  Awakeable,
  ContextDate,
  GenericCall,
  GenericSend,
  InvocationHandle,
  InvocationPromise,
  InvocationReference,
  InvocationTarget,
  OutputResult,
  Rand,
  Request,
  RestatePromise,
  Target,
  RunAction,
  SendOptions,
} from "./types.js";
import type { Logger } from "./logger.js";
import type { HandlerEntry } from "../definitions/registry.js";
import type { AttemptSignals } from "./attempt-signals.js";
import type { AttemptHooks } from "./attempt-hooks.js";
import type { OutgoingCall } from "./hooks.js";

const EMPTY = new Uint8Array(0);
const NOT_REPLAYING = Object.freeze({ isReplaying: false });

/** What the context needs besides the engine. */
export interface ContextInit {
  readonly vm: JournalVm;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly handler: HandlerEntry;
  readonly input: {
    readonly headers: ReadonlyArray<readonly [string, string]>;
    readonly value: Uint8Array;
  };
  readonly attemptHeaders: ReadonlyMap<string, string>;
  readonly signals: AttemptSignals;
  /** The wall clock (ms since epoch); the in-memory test runtime passes a virtual one. */
  readonly now: () => number;
  /** The runtime's extra handler arguments (a Worker's `env`, the Lambda context…). */
  readonly extraArgs?: readonly unknown[];
  /** Test-only failure injection for run closures (see `InvocationParams.runFault`). */
  readonly runFault?: (name: string) => Error | undefined;
}

/**
 * The implementation of `Context`, `ObjectContext`, `WorkflowContext` and their shared forms.
 * What most handlers never touch (`request()`, `rand`, `console`) is built on first use.
 */
export class InvocationContext
  implements
    Context,
    ObjectContext,
    ObjectSharedContext,
    WorkflowContext,
    WorkflowSharedContext,
    TimerSource
{
  readonly key: string;
  private readonly init: ContextInit;
  private readonly vm: JournalVm;
  private readonly scheduler: Scheduler;
  private readonly now: () => number;
  private requestValue: Request | undefined;
  private randValue: Rand | undefined;
  private consoleValue: ReplayAwareConsole | undefined;
  private loggerContextValue: LoggerContext | undefined;
  /** The attempt's interceptors; undefined unless the handler has hooks. */
  private hooks: AttemptHooks | undefined;

  constructor(init: ContextInit) {
    this.init = init;
    this.vm = init.vm;
    this.scheduler = init.scheduler;
    this.now = init.now;
    this.key = init.vm.start.key;
  }

  /** Installs the attempt's interceptors (before the handler runs). */
  useHooks(hooks: AttemptHooks): void {
    this.hooks = hooks;
  }

  get rand(): Rand {
    if (this.randValue === undefined) {
      const { start, version } = this.vm;
      this.randValue = new DeterministicRandom(version === 5 ? v5Seed(start.id) : start.randomSeed);
    }
    return this.randValue;
  }

  get console(): ReplayAwareConsole {
    if (this.consoleValue !== undefined) return this.consoleValue;
    const { handler, logger } = this.init;
    const transport = transportOf(logger);
    this.consoleValue =
      transport === undefined
        ? new ReplayAwareConsole(
            logger,
            [`[${handler.service}/${handler.name}][${this.vm.start.debugId}]`],
            this.vm,
          )
        : new ReplayAwareConsole(
            invocationLogger(transport, LogSource.USER, this.loggerContext(), this.vm),
            [],
            undefined,
          );
    return this.consoleValue;
  }

  /** Where the SDK logs about this invocation: with its context when the logger is a transport. */
  systemLogger(): Logger {
    const transport = transportOf(this.init.logger);
    if (transport === undefined) return this.init.logger;
    return invocationLogger(transport, LogSource.SYSTEM, this.loggerContext(), NOT_REPLAYING);
  }

  private loggerContext(): LoggerContext {
    const { handler } = this.init;
    const { start } = this.vm;
    return (this.loggerContextValue ??= new LoggerContext(
      start.debugId,
      handler.service,
      handler.name,
      handler.serviceKind === "service" ? undefined : start.key,
      this.request(),
      undefined,
      start.retryCount + 1,
    ));
  }

  request(): Request {
    const { input, attemptHeaders, signals, handler } = this.init;
    return (this.requestValue ??= {
      target: targetOf(
        handler.service,
        handler.name,
        handler.serviceKind === "service" ? undefined : this.key,
      ),
      id: this.vm.start.debugId,
      headers: new Map(input.headers),
      attemptHeaders,
      body: input.value,
      extraArgs: [...(this.init.extraArgs ?? [])],
      attemptCompletedSignal: signals.attempt,
    });
  }

  /** Wraps a future in a durable promise. */
  wrap<T>(future: Future, decode: (outcome: Outcome) => T): FuturePromise<T> {
    return new FuturePromise(this.scheduler, this, future, decode);
  }

  /** A promise of a single notification's payload, deserialized. */
  valuePromise<T>(leaf: Leaf, serde: Serde<T>): FuturePromise<T> {
    return this.wrap(leaf, (o) => serde.deserialize(payloadOf(o) ?? EMPTY));
  }

  sleepFuture(duration: Duration, name?: string): Future {
    return this.vm.sysSleep(this.now() + durationToMs(duration), name);
  }

  get date(): ContextDate {
    return {
      now: () => this.run("now", () => this.now()),
      toJSON: () => this.run("toJSON", () => new Date(this.now()).toJSON()),
    };
  }

  run<T>(
    nameOrAction: string | RunAction<T>,
    maybeAction?: RunAction<T>,
    options?: RunOptions<T>,
  ): RestatePromise<T> {
    const [name, action] =
      typeof nameOrAction === "string" ? [nameOrAction, maybeAction] : ["", nameOrAction];
    if (typeof action !== "function") throw new TypeError("ctx.run: missing the action to run");
    const serde = (options?.serde ?? json) as Serde<T>;
    const commandIndex = this.vm.nextCommand(0).index;
    // The engine decides when the closure may start (never while replayed commands remain).
    const leaf = this.vm.sysRun(name, (completionId) => {
      void executeRun({
        vm: this.vm,
        scheduler: this.scheduler,
        completionId,
        commandIndex,
        name,
        action,
        serde,
        options,
        signals: this.init.signals,
        ...(this.init.runFault !== undefined ? { fault: this.init.runFault } : {}),
        ...(this.hooks?.hasRunInterceptors === true ? { hooks: this.hooks } : {}),
      });
    });
    return this.valuePromise(leaf, serde);
  }

  sleep(duration: Duration, name?: string): RestatePromise<void> {
    return this.wrap(this.sleepFuture(duration, name), () => undefined);
  }

  awakeable<T = unknown>(serde?: Serde<T>): Awakeable<T> {
    const { id, leaf } = this.vm.sysAwakeable();
    return { id, promise: this.valuePromise(leaf, serde ?? (json as Serde<T>)) };
  }

  resolveAwakeable<T>(id: string, value?: T, serde?: Serde<T>): void {
    const bytes = serde !== undefined ? serde.serialize(value as T) : json.serialize(value);
    this.vm.sysCompleteAwakeable(id, { value: bytes });
  }

  rejectAwakeable(id: string, reason: string | { message: string; code?: number }): void {
    this.vm.sysCompleteAwakeable(id, { failure: failureFromReason(reason) });
  }

  /** The serde of client calls that give none: the handler's, else the service's, else JSON. */
  private get defaultSerde(): Serde<unknown> {
    return this.init.handler.defaultSerde ?? json;
  }

  private target(definition: { readonly name: string }, key?: string): ClientTarget {
    const handlers = (definition as { readonly _handlers?: ClientTarget["handlers"] })._handlers;
    return {
      service: definition.name,
      defaultSerde: this.defaultSerde,
      ...(key !== undefined ? { key } : {}),
      ...(handlers !== undefined ? { handlers } : {}),
    };
  }

  serviceClient<D>(service: ServiceDefinitionFrom<D>): Client<Service<D>> {
    return makeClient(this, this.target(service)) as Client<Service<D>>;
  }
  objectClient<D>(object: VirtualObjectDefinitionFrom<D>, key: string): Client<VirtualObject<D>> {
    return makeClient(this, this.target(object, key)) as Client<VirtualObject<D>>;
  }
  workflowClient<D>(workflow: WorkflowDefinitionFrom<D>, key: string): Client<Workflow<D>> {
    return makeClient(this, this.target(workflow, key)) as Client<Workflow<D>>;
  }
  serviceSendClient<D>(
    service: ServiceDefinitionFrom<D>,
    options?: SendOptions,
  ): SendClient<Service<D>> {
    return makeSendClient(this, this.target(service), options) as SendClient<Service<D>>;
  }
  objectSendClient<D>(
    object: VirtualObjectDefinitionFrom<D>,
    key: string,
    options?: SendOptions,
  ): SendClient<VirtualObject<D>> {
    return makeSendClient(this, this.target(object, key), options) as SendClient<VirtualObject<D>>;
  }
  workflowSendClient<D>(
    workflow: WorkflowDefinitionFrom<D>,
    key: string,
    options?: SendOptions,
  ): SendClient<Workflow<D>> {
    return makeSendClient(this, this.target(workflow, key), options) as SendClient<Workflow<D>>;
  }
  client<P extends string, H extends Record<string, HandlerDescriptor>>(
    description: Descriptor<P, H>,
    key?: string,
  ): ClientFromDescriptors<H> {
    return makeClient(this, this.target(description, key)) as ClientFromDescriptors<H>;
  }
  sendClient<P extends string, H extends Record<string, HandlerDescriptor>>(
    description: Descriptor<P, H>,
    key?: string,
  ): SendClientFromDescriptors<H> {
    return makeSendClient(
      this,
      this.target(description, key),
      undefined,
    ) as SendClientFromDescriptors<H>;
  }

  genericCall<I = Uint8Array, O = Uint8Array>(call: GenericCall<I, O>): InvocationPromise<O> {
    if (this.hooks?.hasCallInterceptors === true) {
      call = this.intercepted("call", call);
    }
    const inputSerde = (call.inputSerde ?? binary) as Serde<I>;
    const outputSerde = (call.outputSerde ?? binary) as Serde<O>;
    const { invocationId, result } = this.vm.sysCall({
      service: call.service,
      handler: call.method,
      parameter: inputSerde.serialize(call.parameter),
      ...(call.key !== undefined ? { key: call.key } : {}),
      ...(call.headers !== undefined ? { headers: Object.entries(call.headers) } : {}),
      ...(call.idempotencyKey !== undefined ? { idempotencyKey: call.idempotencyKey } : {}),
      ...(call.name !== undefined ? { name: call.name } : {}),
    });
    const promise = this.valuePromise(result, outputSerde) as FuturePromise<O> & {
      invocationId: Promise<string>;
    };
    Object.defineProperty(promise, "invocationId", {
      value: this.invocationIdPromise(invocationId),
    });
    return promise;
  }

  genericSend<I = Uint8Array>(send: GenericSend<I>): InvocationHandle {
    if (this.hooks?.hasCallInterceptors === true) {
      send = this.intercepted("send", send);
    }
    const inputSerde = (send.inputSerde ?? binary) as Serde<I>;
    const leaf = this.vm.sysSend({
      service: send.service,
      handler: send.method,
      parameter: inputSerde.serialize(send.parameter),
      ...(send.key !== undefined ? { key: send.key } : {}),
      ...(send.headers !== undefined ? { headers: Object.entries(send.headers) } : {}),
      ...(send.idempotencyKey !== undefined ? { idempotencyKey: send.idempotencyKey } : {}),
      ...(send.name !== undefined ? { name: send.name } : {}),
      ...(send.delay !== undefined ? { invokeTime: this.now() + durationToMs(send.delay) } : {}),
    });
    return { invocationId: this.invocationIdPromise(leaf) };
  }

  /**
   * Runs the call interceptors over a call or send; returns it with the headers they settled on.
   * On replay they start from the journaled headers, so what they added then is kept.
   */
  private intercepted<C extends CallShape>(kind: OutgoingCall["kind"], call: C): C {
    const headers: Record<string, string> = { ...call.headers };
    for (const [name, value] of this.vm.replayedCallHeaders() ?? []) {
      if (!(name in headers)) headers[name] = value;
    }
    const request: OutgoingCall = {
      kind,
      service: call.service,
      handler: call.method,
      key: call.key,
      idempotencyKey: call.idempotencyKey,
      headers,
      isReplaying: this.vm.isReplaying,
    };
    let result = call;
    this.hooks!.aroundCall(request, () => {
      result = { ...call, headers: request.headers };
    });
    return result;
  }

  private invocationIdPromise(leaf: Leaf): RestatePromise<string> {
    return this.wrap(leaf, (o) => {
      if (o.kind === "leaf" && o.result.kind === "invocationId") return o.result.invocationId;
      payloadOf(o);
      throw new TypeError("expected an invocation id");
    });
  }

  attach<T = unknown>(target: InvocationTarget, serde?: Serde<T>): RestatePromise<T> {
    return this.valuePromise(this.vm.sysAttach(toTarget(target)), serde ?? (json as Serde<T>));
  }

  output<T = unknown>(target: InvocationTarget, serde?: Serde<T>): RestatePromise<OutputResult<T>> {
    return this.wrap(this.vm.sysGetOutput(toTarget(target)), (o): OutputResult<T> => {
      const payload = payloadOf(o);
      return payload === undefined
        ? { ready: false }
        : {
            ready: true,
            value: serde !== undefined ? serde.deserialize(payload) : json.deserialize<T>(payload),
          };
    });
  }

  cancel(invocationId: string): void {
    this.vm.sysCancel(invocationId);
  }

  invocation(invocationId: string): InvocationReference {
    return {
      id: invocationId,
      attach: <T>(serde?: Serde<T>) => this.attach<T>(invocationId, serde),
      output: <T>(serde?: Serde<T>) => this.output<T>(invocationId, serde),
      cancel: () => this.cancel(invocationId),
      signal: <T>(name: string, serde?: Serde<T>) => ({
        resolve: (value: T) =>
          this.vm.sysSendSignal(invocationId, name, {
            value: (serde ?? json).serialize(value),
          }),
        reject: (reason: string | { message: string; code?: number }) =>
          this.vm.sysSendSignal(invocationId, name, { failure: failureFromReason(reason) }),
      }),
    };
  }

  signal<T = unknown>(name: string, serde?: Serde<T>): RestatePromise<T> {
    return this.valuePromise(this.vm.sysNamedSignal(name), serde ?? (json as Serde<T>));
  }

  // ---- state (objects and workflows) ----

  get<T>(name: string, serde?: Serde<T>): RestatePromise<T | null> {
    const s = serde ?? json;
    return this.wrap(this.vm.sysGetState(name), (o) => {
      const payload = payloadOf(o);
      return payload === undefined ? null : s.deserialize(payload);
    });
  }

  stateKeys(): RestatePromise<string[]> {
    return this.wrap(this.vm.sysGetStateKeys(), (o) => {
      if (o.kind === "leaf" && o.result.kind === "stateKeys") return [...o.result.keys];
      payloadOf(o);
      throw new TypeError("expected state keys");
    });
  }

  set<T>(name: string, value: T, serde?: Serde<T>): void {
    this.vm.sysSetState(name, (serde ?? json).serialize(value));
  }

  clear(name: string): void {
    this.vm.sysClearState(name);
  }

  clearAll(): void {
    this.vm.sysClearAllState();
  }

  // ---- workflows ----

  promise<T>(name: string, serde?: Serde<T>): WorkflowPromise<T> {
    return new WorkflowPromise<T>(this, this.vm, name, serde ?? json);
  }
}

/** The fields of a call or send that call interceptors see. */
interface CallShape {
  readonly service: string;
  readonly method: string;
  readonly key?: string;
  readonly idempotencyKey?: string;
  readonly headers?: Record<string, string>;
}

/** The `ctx.request().target` of a handler. */
function targetOf(service: string, handler: string, key: string | undefined): Target {
  return {
    service,
    handler,
    ...(key !== undefined ? { key } : {}),
    toString: () => (key !== undefined ? `${service}/${key}/${handler}` : `${service}/${handler}`),
  };
}

function failureFromReason(reason: string | { message: string; code?: number }) {
  return typeof reason === "string"
    ? { code: 500, message: reason }
    : { code: reason.code ?? 500, message: reason.message };
}

function toTarget(target: InvocationTarget): JournalTarget {
  if (typeof target === "string") return { kind: "invocation", invocationId: target };
  if ("workflow" in target) return { kind: "workflow", name: target.workflow, key: target.key };
  return {
    kind: "idempotent",
    service: target.service,
    handler: target.handler,
    idempotencyKey: target.idempotencyKey,
    ...(target.key !== undefined ? { key: target.key } : {}),
  };
}
