// SPDX-License-Identifier: MIT
// Per-call options of the ingress client. Same call shape as the in-handler `rpc` of the main
// entry point, but a separate implementation: ingress calls also take a timeout and an abort
// signal, and a send may name the serde its result is read with later.
import type { Serde } from "../serde/serde.js";

/** Marks objects made by `rpc.opts` / `rpc.sendOpts`, so they can stand in for the input. */
export const RPC_OPTIONS: unique symbol = Symbol.for("restate-hono.clients.rpc-options");

/**
 * Options of one request/response call through the ingress.
 *
 * @example
 * await client.serviceClient(greeter).greet("Till", { idempotencyKey: "req-1", timeout: 5_000 });
 */
export interface IngressCallOptions<I = unknown, O = unknown> {
  /** Makes the call idempotent: repeats attach to the first invocation (and may be retried). */
  readonly idempotencyKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** How the input is written; JSON by default. Sets the request's `content-type`. */
  readonly input?: Serde<I>;
  /** How the output is read; JSON by default. */
  readonly output?: Serde<O>;
  /** Milliseconds for the whole call, retries included; then it fails with status 0. */
  readonly timeout?: number;
  readonly signal?: AbortSignal;
}

/**
 * Options of one send (a one-way call) through the ingress.
 *
 * @example
 * await client.serviceSendClient(greeter).greet("Till", rpc.sendOpts({ delay: "10s" }));
 */
export interface IngressSendOptions<I = unknown, O = unknown> {
  readonly idempotencyKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly input?: Serde<I>;
  /** How `result(send)` reads the output later; JSON by default. */
  readonly output?: Serde<O>;
  /** Run it later: milliseconds, or a duration string the server understands (`"10s"`, `"PT1M"`). */
  readonly delay?: number | string;
  readonly timeout?: number;
  readonly signal?: AbortSignal;
}

/**
 * Call options made by `rpc.opts`: they may also be passed in place of a missing input.
 *
 * @example
 * const opts: CallOpts<void, string> = rpc.opts({ timeout: 1_000 });
 */
export type CallOpts<I = unknown, O = unknown> = IngressCallOptions<I, O> & {
  readonly [RPC_OPTIONS]: "call";
};

/**
 * Send options made by `rpc.sendOpts`: they may also be passed in place of a missing input.
 *
 * @example
 * const opts: SendOpts = rpc.sendOpts({ delay: "10s" });
 */
export type SendOpts<I = unknown, O = unknown> = IngressSendOptions<I, O> & {
  readonly [RPC_OPTIONS]: "send";
};

/**
 * Builds per-call options, as in the official SDK: `rpc.opts` for calls, `rpc.sendOpts` for sends.
 *
 * @example
 * await ingress.objectClient(cart, "Mary").add(item, rpc.opts({ idempotencyKey: "req-1" }));
 * await ingress.serviceClient(clock).now(rpc.opts({ timeout: 1_000 })); // handler without input
 */
export const rpc = Object.freeze({
  opts<I = unknown, O = unknown>(options: IngressCallOptions<I, O>): CallOpts<I, O> {
    return Object.freeze({ ...options, [RPC_OPTIONS]: "call" as const });
  },
  sendOpts<I = unknown, O = unknown>(options: IngressSendOptions<I, O>): SendOpts<I, O> {
    return Object.freeze({ ...options, [RPC_OPTIONS]: "send" as const });
  },
});

/** Tells whether an argument is options made by `rpc` (so it is not the handler's input). */
export function isRpcOptions(value: unknown): value is CallOpts | SendOpts {
  return typeof value === "object" && value !== null && RPC_OPTIONS in value;
}
