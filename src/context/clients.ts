// SPDX-License-Identifier: MIT
// The typed clients of `ctx.serviceClient(…)` and friends: proxies whose methods are handler names.
import type { Serde } from "../serde/serde.js";
import type { HandlerDescriptor } from "../definitions/descriptors.js";
import { splitArguments } from "./call-options.js";
import type { ClientSendOptions } from "./call-options.js";
import type { GenericCall, GenericSend, InvocationHandle, InvocationPromise } from "./types.js";

/** The subset of the context the clients use. */
export interface ClientHost {
  genericCall<I, O>(call: GenericCall<I, O>): InvocationPromise<O>;
  genericSend<I>(send: GenericSend<I>): InvocationHandle;
}

/** Whom a client calls, and with which serdes when a call gives none. */
export interface ClientTarget {
  readonly service: string;
  readonly key?: string;
  /** The scope of a scoped client (`ctx.scope(…)`). */
  readonly scope?: string;
  /** Handler descriptors of an `iface` description, whose serdes come before the default. */
  readonly handlers?: Readonly<Record<string, HandlerDescriptor>>;
  readonly defaultSerde: Serde<unknown>;
}

type Method<R> = (...args: unknown[]) => R;

function proxy<R>(method: (handler: string) => Method<R>): Readonly<Record<string, Method<R>>> {
  return new Proxy(
    {},
    {
      get(_target, property) {
        return typeof property === "string" ? method(property) : undefined;
      },
    },
  );
}

function serdesOf(target: ClientTarget, handler: string) {
  const descriptor = target.handlers?.[handler];
  return {
    input: descriptor?._inputSerde ?? target.defaultSerde,
    output: descriptor?._outputSerde ?? target.defaultSerde,
  };
}

/**
 * A request/response client: `client.handler(input?, opts?)` journals a call. A single argument
 * made by `rpc.opts` is taken as the options of a handler without input.
 */
export function makeClient(
  host: ClientHost,
  target: ClientTarget,
): Readonly<Record<string, Method<InvocationPromise<unknown>>>> {
  return proxy((handler) => (...args: unknown[]) => {
    const { input, options } = splitArguments(args);
    const serdes = serdesOf(target, handler);
    return host.genericCall({
      service: target.service,
      method: handler,
      parameter: input,
      inputSerde: options?.input ?? serdes.input,
      outputSerde: options?.output ?? serdes.output,
      ...(target.key !== undefined ? { key: target.key } : {}),
      ...(target.scope !== undefined ? { scope: target.scope } : {}),
      ...(options?.headers !== undefined ? { headers: options.headers } : {}),
      ...(options?.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
      ...(options?.limitKey !== undefined ? { limitKey: options.limitKey } : {}),
      ...(options?.name !== undefined ? { name: options.name } : {}),
    });
  });
}

/**
 * A one-way client: `client.handler(input?, opts?)` journals a send; per-call options override
 * the client's defaults. A single argument made by `rpc.sendOpts` is taken as options.
 */
export function makeSendClient(
  host: ClientHost,
  target: ClientTarget,
  defaults: ClientSendOptions | undefined,
): Readonly<Record<string, Method<InvocationHandle>>> {
  return proxy((handler) => (...args: unknown[]) => {
    const split = splitArguments(args);
    const options: ClientSendOptions = { ...defaults, ...split.options };
    const serdes = serdesOf(target, handler);
    return host.genericSend({
      service: target.service,
      method: handler,
      parameter: split.input,
      inputSerde: options.input ?? serdes.input,
      ...(target.key !== undefined ? { key: target.key } : {}),
      ...(target.scope !== undefined ? { scope: target.scope } : {}),
      ...(options.headers !== undefined ? { headers: options.headers } : {}),
      ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
      ...(options.limitKey !== undefined ? { limitKey: options.limitKey } : {}),
      ...(options.delay !== undefined ? { delay: options.delay } : {}),
      ...(options.name !== undefined ? { name: options.name } : {}),
    });
  });
}
