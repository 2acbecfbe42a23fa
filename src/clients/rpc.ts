// SPDX-License-Identifier: MIT
// Per-call options of the ingress client, in the official client's shape: `Opts`/`SendOpts`
// instances (made by `rpc.opts`/`rpc.sendOpts` or `.from`) that may also stand in for the input of
// a handler that takes none. A separate implementation from the in-handler `rpc`: ingress calls
// also take a timeout and an abort signal, and a send may name the serde its result is read with.
import type { Duration } from "../definitions/duration.js";
import type { Serde } from "../serde/serde.js";

/** Marks `Opts`/`SendOpts` instances, so they are recognised across copies of this package. */
export const RPC_OPTIONS: unique symbol = Symbol.for("restate-hono.clients.rpc-options");

/**
 * Options of one request/response call through the ingress.
 *
 * @example
 * await client.serviceClient(greeter).greet("Till", rpc.opts({ idempotencyKey: "req-1" }));
 */
export interface IngressCallOptions<I = unknown, O = unknown> {
  /** Makes the call idempotent: repeats attach to the first invocation (and may be retried). */
  readonly idempotencyKey?: string;
  /** Concurrency limit key within a scope (`x-restate-limit-key`; needs a V7 server). */
  readonly limitKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** How the input is written; the connection's serde (JSON) by default. */
  readonly input?: Serde<I>;
  /** How the output is read; the connection's serde (JSON) by default. */
  readonly output?: Serde<O>;
  /** Milliseconds for the whole call, retries included; then it fails with status 0. */
  readonly timeout?: number;
  readonly signal?: AbortSignal;
}

/**
 * Options of one send (a one-way call) through the ingress.
 *
 * @example
 * await client.serviceSendClient(greeter).greet("Till", rpc.sendOpts({ delay: { seconds: 10 } }));
 */
export interface IngressSendOptions<I = unknown, O = unknown> extends IngressCallOptions<I, O> {
  /**
   * Run it later: milliseconds, a {@link Duration}, or a duration string the server understands
   * (`"10s"`, `"PT1M"`).
   */
  readonly delay?: number | Duration | string;
}

/**
 * Call options, as made by `rpc.opts(…)` or `Opts.from(…)`.
 *
 * @example
 * await ingress.serviceClient(clock).now(Opts.from({ timeout: 1_000 })); // in place of no input
 */
export class Opts<I = unknown, O = unknown> {
  readonly [RPC_OPTIONS] = "call" as const;
  readonly opts: IngressCallOptions<I, O>;

  /** Same as `new Opts(opts)`. */
  static from<I = unknown, O = unknown>(opts: IngressCallOptions<I, O>): Opts<I, O> {
    return new Opts(opts);
  }

  constructor(opts: IngressCallOptions<I, O>) {
    this.opts = Object.freeze({ ...opts });
  }
}

/**
 * The former name of {@link Opts}.
 *
 * @example
 * const opts: CallOpts<void, string> = rpc.opts({ timeout: 1_000 });
 */
export type CallOpts<I = unknown, O = unknown> = Opts<I, O>;

/**
 * Send options, as made by `rpc.sendOpts(…)` or `SendOpts.from(…)`.
 *
 * @example
 * await ingress.objectSendClient(cart, "Mary").expire(SendOpts.from({ delay: { hours: 1 } }));
 */
export class SendOpts<I = unknown, O = unknown> {
  readonly [RPC_OPTIONS] = "send" as const;
  readonly opts: IngressSendOptions<I, O>;

  /** Same as `new SendOpts(opts)`. */
  static from<I = unknown, O = unknown>(opts: IngressSendOptions<I, O>): SendOpts<I, O> {
    return new SendOpts(opts);
  }

  constructor(opts: IngressSendOptions<I, O>) {
    this.opts = Object.freeze({ ...opts });
  }

  /**
   * The delay in milliseconds; `undefined` without one, or when it is a server duration string.
   *
   * @throws RangeError for a negative or non-finite delay.
   */
  delay(): number | undefined {
    const { delay } = this.opts;
    return delay === undefined || typeof delay === "string" ? undefined : delayMillis(delay);
  }
}

/**
 * A delay in milliseconds.
 *
 * @throws RangeError for a negative or non-finite value.
 */
export function delayMillis(delay: number | Duration): number {
  const ms =
    typeof delay === "number"
      ? delay
      : (delay.days ?? 0) * 86_400_000 +
        (delay.hours ?? 0) * 3_600_000 +
        (delay.minutes ?? 0) * 60_000 +
        (delay.seconds ?? 0) * 1_000 +
        (delay.milliseconds ?? 0);
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`Invalid delay ${JSON.stringify(delay)}`);
  return ms;
}

/** Tells whether an argument is an `Opts` or `SendOpts` (also from another copy of this package). */
export function isRpcOptions(value: unknown): value is Opts | SendOpts {
  return typeof value === "object" && value !== null && RPC_OPTIONS in value;
}

/**
 * Builds call options, as in the official client: `rpc.opts(…)` for calls.
 *
 * @example
 * await ingress.objectClient(cart, "Mary").add(item, rpc.opts({ idempotencyKey: "req-1" }));
 */
export function opts<I = unknown, O = unknown>(options: IngressCallOptions<I, O>): Opts<I, O> {
  return new Opts(options);
}

/**
 * Builds send options, as in the official client: `rpc.sendOpts(…)` for sends.
 *
 * @example
 * await ingress.serviceSendClient(mailer).remind(rpc.sendOpts({ delay: { days: 1 } }));
 */
export function sendOpts<I = unknown, O = unknown>(
  options: IngressSendOptions<I, O>,
): SendOpts<I, O> {
  return new SendOpts(options);
}
