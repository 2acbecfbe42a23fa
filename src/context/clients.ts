// SPDX-License-Identifier: MIT
// The typed clients of `ctx.serviceClient(…)` and friends: proxies whose methods are handler names.
import { json } from "../serde/json.js";
import type { InvocationHandle, InvocationPromise, SendOptions } from "./types.js";
import type { CallOptions, GenericCall, GenericSend } from "./types.js";

/** The subset of the context the clients use. */
export interface ClientHost {
  genericCall<I, O>(call: GenericCall<I, O>): InvocationPromise<O>;
  genericSend<I>(send: GenericSend<I>): InvocationHandle;
}

const OPTIONS = Symbol.for("restate-hono.rpc-options");

/**
 * Per-call options for handler clients, as in the official SDK (`rpc.opts`, `rpc.sendOpts`).
 *
 * @example
 * ctx.objectClient(cart, "Mary").add(item, rpc.opts({ idempotencyKey: "req-1" }));
 */
export const rpc = Object.freeze({
  opts<I = unknown, O = unknown>(options: CallOptions<I, O>): CallOptions<I, O> {
    return Object.freeze({ ...options, [OPTIONS]: "call" });
  },
  sendOpts<I = unknown>(options: SendOptions<I>): SendOptions<I> {
    return Object.freeze({ ...options, [OPTIONS]: "send" });
  },
});

function proxy<T>(method: (handler: string) => T): Record<string, T> {
  return new Proxy(
    {},
    {
      get(_target, property) {
        return typeof property === "string" ? method(property) : undefined;
      },
    },
  );
}

/** A request/response client for one service (and key, for objects and workflows). */
export function makeClient(host: ClientHost, service: string, key: string | undefined): never {
  return proxy(
    (handler) => (input?: unknown, options?: CallOptions) =>
      host.genericCall({
        service,
        method: handler,
        parameter: input,
        inputSerde: options?.input ?? json,
        outputSerde: options?.output ?? json,
        ...(key !== undefined ? { key } : {}),
        ...(options?.headers !== undefined ? { headers: options.headers } : {}),
        ...(options?.idempotencyKey !== undefined
          ? { idempotencyKey: options.idempotencyKey }
          : {}),
        ...(options?.name !== undefined ? { name: options.name } : {}),
      }),
  ) as never;
}

/** A one-way client; per-call options override the client's defaults. */
export function makeSendClient(
  host: ClientHost,
  service: string,
  key: string | undefined,
  defaults: SendOptions | undefined,
): never {
  return proxy((handler) => (input?: unknown, callOptions?: SendOptions) => {
    const options = { ...defaults, ...callOptions };
    return host.genericSend({
      service,
      method: handler,
      parameter: input,
      inputSerde: options.input ?? json,
      ...(key !== undefined ? { key } : {}),
      ...(options.headers !== undefined ? { headers: options.headers } : {}),
      ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
      ...(options.delay !== undefined ? { delay: options.delay } : {}),
      ...(options.name !== undefined ? { name: options.name } : {}),
    });
  }) as never;
}
