// SPDX-License-Identifier: MIT
// What a handler does to other invocations: calls and sends (typed clients and generic), attach,
// output, cancel and signals by id. Each journals one command; call interceptors see calls and
// sends before they are journaled.
import type { JournalVm } from "../journal/vm.js";
import type { Leaf } from "../journal/futures.js";
import type { Target as JournalTarget } from "../journal/values.js";
import { CommandType } from "../journal/message-types.js";
import { sendDelayMillis } from "./sleep-duration.js";
import { SettledPromise } from "./settled-promise.js";
import type { Serde } from "../serde/serde.js";
import { binary } from "../serde/binary.js";
import type { FuturePromise, PromiseHost } from "./restate-promise.js";
import { type RejectReason, failureFromReason, payloadOf } from "./failures.js";
import { type ClientHost, type ClientTarget, makeClient, makeSendClient } from "./clients.js";
import type { ClientSendOptions } from "./call-options.js";
import type { AttemptHooks } from "./attempt-hooks.js";
import type { OutgoingCall } from "./hooks.js";
import type {
  GenericCall,
  GenericSend,
  InvocationHandle,
  InvocationPromise,
  InvocationReference,
  InvocationTarget,
  OutputResult,
  RestatePromise,
} from "./types.js";

/** What the calls need from their attempt. */
export interface OutgoingCallsInit {
  readonly vm: JournalVm;
  readonly promises: PromiseHost;
  /** The wall clock, for the invoke time of delayed sends. */
  readonly now: () => number;
  /** The serde of client calls that give none (the handler's, else the service's, else JSON). */
  readonly defaultSerde: Serde<unknown>;
  /** Told the invocation-id leaf of every call journaled (for `cancelPreviousCalls()`). */
  readonly onCall?: (invocationId: Leaf) => void;
}

/** A typed client as the proxies build it; the context casts it to the public client type. */
type AnyClient = ReturnType<typeof makeClient>;
type AnySendClient = ReturnType<typeof makeSendClient>;

/** Calls, sends and operations on other invocations for one attempt. */
export class OutgoingCalls implements ClientHost {
  readonly #vm: JournalVm;
  readonly #promises: PromiseHost;
  readonly #now: () => number;
  readonly #defaultSerde: Serde<unknown>;
  readonly #onCall: ((invocationId: Leaf) => void) | undefined;
  /** The attempt's interceptors; undefined unless the handler has call interceptors. */
  #hooks: AttemptHooks | undefined;

  constructor(init: OutgoingCallsInit) {
    this.#vm = init.vm;
    this.#promises = init.promises;
    this.#now = init.now;
    this.#defaultSerde = init.defaultSerde;
    this.#onCall = init.onCall;
  }

  /** Installs the attempt's interceptors (before the handler runs). */
  useHooks(hooks: AttemptHooks): void {
    if (hooks.hasCallInterceptors) this.#hooks = hooks;
  }

  /** A request/response client of a definition or an `iface` description (in a V7 scope). */
  client(definition: { readonly name: string }, key?: string, scope?: string): AnyClient {
    return makeClient(this, this.#target(definition, key, scope));
  }

  /** A one-way client of a definition or an `iface` description (in a V7 scope). */
  sendClient(
    definition: { readonly name: string },
    key?: string,
    options?: ClientSendOptions,
    scope?: string,
  ): AnySendClient {
    return makeSendClient(this, this.#target(definition, key, scope), options);
  }

  #target(
    definition: { readonly name: string },
    key: string | undefined,
    scope: string | undefined,
  ): ClientTarget {
    const handlers = (definition as { readonly _handlers?: ClientTarget["handlers"] })._handlers;
    return {
      service: definition.name,
      defaultSerde: this.#defaultSerde,
      ...(key !== undefined ? { key } : {}),
      ...(scope !== undefined ? { scope } : {}),
      ...(handlers !== undefined ? { handlers } : {}),
    };
  }

  genericCall<I = Uint8Array, O = Uint8Array>(call: GenericCall<I, O>): InvocationPromise<O> {
    if (this.#hooks !== undefined) call = this.#intercepted(this.#hooks, "call", call);
    const inputSerde = (call.inputSerde ?? binary) as Serde<I>;
    const outputSerde = (call.outputSerde ?? binary) as Serde<O>;
    const parameter = this.#promises.serializeFor(CommandType.Call, inputSerde, call.parameter);
    if (parameter === undefined) return neverSettles<O>();
    const { invocationId, result } = this.#vm.sysCall({
      service: call.service,
      handler: call.method,
      parameter,
      ...(call.key !== undefined ? { key: call.key } : {}),
      ...(call.headers !== undefined ? { headers: Object.entries(call.headers) } : {}),
      ...(call.idempotencyKey !== undefined ? { idempotencyKey: call.idempotencyKey } : {}),
      ...(call.scope !== undefined ? { scope: call.scope } : {}),
      ...(call.limitKey !== undefined ? { limitKey: call.limitKey } : {}),
      ...(call.name !== undefined ? { name: call.name } : {}),
    });
    this.#onCall?.(invocationId);
    const promise = this.#promises.valuePromise(
      result,
      outputSerde,
      this.#promises.lastCommand(CommandType.Call),
    ) as FuturePromise<O> & {
      invocationId: Promise<string>;
    };
    Object.defineProperty(promise, "invocationId", {
      value: this.#invocationIdPromise(invocationId),
    });
    return promise;
  }

  genericSend<I = Uint8Array>(send: GenericSend<I>): InvocationHandle {
    if (this.#hooks !== undefined) send = this.#intercepted(this.#hooks, "send", send);
    const inputSerde = (send.inputSerde ?? binary) as Serde<I>;
    const parameter = this.#promises.serializeFor(
      CommandType.OneWayCall,
      inputSerde,
      send.parameter,
    );
    if (parameter === undefined) return { invocationId: neverSettles<string>() };
    let delayMs: number | undefined;
    try {
      delayMs = send.delay !== undefined ? sendDelayMillis(send.delay) : undefined;
    } catch (e) {
      void this.#promises.endAttempt(e);
      return { invocationId: neverSettles<string>() };
    }
    const leaf = this.#vm.sysSend({
      service: send.service,
      handler: send.method,
      parameter,
      ...(send.key !== undefined ? { key: send.key } : {}),
      ...(send.headers !== undefined ? { headers: Object.entries(send.headers) } : {}),
      ...(send.idempotencyKey !== undefined ? { idempotencyKey: send.idempotencyKey } : {}),
      ...(send.scope !== undefined ? { scope: send.scope } : {}),
      ...(send.limitKey !== undefined ? { limitKey: send.limitKey } : {}),
      ...(send.name !== undefined ? { name: send.name } : {}),
      ...(delayMs !== undefined ? { invokeTime: this.#now() + delayMs } : {}),
    });
    return { invocationId: this.#invocationIdPromise(leaf) };
  }

  /**
   * Runs the call interceptors over a call or send; returns it with the headers they settled on.
   * On replay they start from the journaled headers, so what they added then is kept.
   */
  #intercepted<C extends CallShape>(hooks: AttemptHooks, kind: OutgoingCall["kind"], call: C): C {
    const headers: Record<string, string> = { ...call.headers };
    for (const [name, value] of this.#vm.replayedCallHeaders() ?? []) {
      if (!(name in headers)) headers[name] = value;
    }
    const request: OutgoingCall = {
      kind,
      service: call.service,
      handler: call.method,
      key: call.key,
      idempotencyKey: call.idempotencyKey,
      headers,
      isReplaying: this.#vm.isReplaying,
    };
    let result = call;
    hooks.aroundCall(request, () => {
      result = { ...call, headers: request.headers };
    });
    return result;
  }

  #invocationIdPromise(leaf: Leaf): RestatePromise<string> {
    return this.#promises.wrap(leaf, (o) => {
      if (o.kind === "leaf" && o.result.kind === "invocationId") return o.result.invocationId;
      payloadOf(o);
      throw new TypeError("expected an invocation id");
    });
  }

  attach<T>(target: InvocationTarget, serde?: Serde<T>): RestatePromise<T> {
    const leaf = this.#vm.sysAttach(toTarget(target));
    return this.#promises.valuePromise(
      leaf,
      serde ?? (this.#defaultSerde as Serde<T>),
      this.#promises.lastCommand(CommandType.AttachInvocation),
    );
  }

  output<T>(target: InvocationTarget, serde?: Serde<T>): RestatePromise<OutputResult<T>> {
    const read = serde ?? (this.#defaultSerde as Serde<T>);
    const leaf = this.#vm.sysGetOutput(toTarget(target));
    return this.#promises.payloadPromise<OutputResult<T>>(
      leaf,
      (bytes) => ({ ready: true, value: read.deserialize(bytes) }),
      { ready: false },
      this.#promises.lastCommand(CommandType.GetInvocationOutput),
    );
  }

  cancel(invocationId: string): void {
    this.#vm.sysCancel(invocationId);
  }

  /** Operations on one invocation by id; building the reference journals nothing. */
  invocation(invocationId: string): InvocationReference {
    return {
      id: invocationId,
      attach: <T>(serde?: Serde<T>) => this.attach<T>(invocationId, serde),
      output: <T>(serde?: Serde<T>) => this.output<T>(invocationId, serde),
      cancel: () => this.cancel(invocationId),
      signal: <T>(name: string, serde: Serde<T> = this.#defaultSerde as Serde<T>) => ({
        resolve: (value: T) => {
          const bytes = this.#promises.serializeFor(CommandType.SendSignal, serde, value);
          if (bytes !== undefined) this.#vm.sysSendSignal(invocationId, name, { value: bytes });
        },
        reject: (reason: RejectReason) =>
          this.#vm.sysSendSignal(invocationId, name, { failure: failureFromReason(reason) }),
      }),
    };
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

/** The engine's target for attach and get-output: an id, a workflow, or an idempotent call. */
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

/** What a call or send that ended the attempt returns: nothing of it ever settles. */
function neverSettles<T>(): SettledPromise<T> & { readonly invocationId: RestatePromise<string> } {
  return Object.assign(new SettledPromise<T>({ state: "pending" }), {
    invocationId: new SettledPromise<string>({ state: "pending" }),
  });
}
