// SPDX-License-Identifier: MIT
// Per-call options of the typed clients: the `Opts`/`SendOpts` carriers built by `rpc.opts` and
// `rpc.sendOpts`, and how a client call tells them apart from its input.
import type { Serde } from "../serde/serde.js";
import type { Duration } from "../definitions/duration.js";

/**
 * Options of a call made through a typed client.
 *
 * @example
 * ctx.serviceClient(greeter).greet("Till", rpc.opts({ idempotencyKey: "k1" }));
 */
export interface ClientCallOptions<I = unknown, O = unknown> {
  readonly input?: Serde<I>;
  readonly output?: Serde<O>;
  readonly idempotencyKey?: string;
  /**
   * A concurrency limit key within the scope of a scoped client (`ctx.scope(…)`): one level or
   * two separated by `/`. Not part of the target's identity. Needs service protocol V7.
   * @experimental
   */
  readonly limitKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A name for the journal entry, shown by the admin API. */
  readonly name?: string;
}

/**
 * Options of a one-way send made through a typed client.
 *
 * @example
 * ctx.serviceSendClient(greeter).greet("Till", rpc.sendOpts({ delay: { minutes: 5 } }));
 */
export interface ClientSendOptions<I = unknown> {
  /** When the invocation should run: milliseconds or a duration from now. */
  readonly delay?: Duration;
  readonly input?: Serde<I>;
  readonly idempotencyKey?: string;
  /** As {@link ClientCallOptions.limitKey}. @experimental */
  readonly limitKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly name?: string;
}

const OPTS = Symbol.for("restate-hono.opts");

/**
 * Call options as a typed client recognises them, also in place of a missing input.
 *
 * @example
 * ctx.serviceClient(svc).noInput(Opts.from({ idempotencyKey: "k" }));
 */
export class Opts<I = unknown, O = unknown> {
  readonly #opts: ClientCallOptions<I, O>;

  /** Wraps call options. */
  static from<I, O>(opts: ClientCallOptions<I, O>): Opts<I, O> {
    return new Opts(opts);
  }

  private constructor(opts: ClientCallOptions<I, O>) {
    this.#opts = opts;
  }

  getOpts(): ClientCallOptions<I, O> {
    return this.#opts;
  }
}

/**
 * Send options as a typed client recognises them, also in place of a missing input.
 *
 * @example
 * ctx.objectSendClient(obj, key).expire(SendOpts.from({ delay: { hours: 1 } }));
 */
export class SendOpts<I = unknown> {
  readonly #opts: ClientSendOptions<I>;

  /** Wraps send options. */
  static from<I>(opts: ClientSendOptions<I>): SendOpts<I> {
    return new SendOpts(opts);
  }

  private constructor(opts: ClientSendOptions<I>) {
    this.#opts = opts;
  }

  getOpts(): ClientSendOptions<I> {
    return this.#opts;
  }
}

// A brand on the prototypes (not in the declared shape), so copies of this package recognise each
// other's carriers.
Object.defineProperty(Opts.prototype, OPTS, { value: "call" });
Object.defineProperty(SendOpts.prototype, OPTS, { value: "send" });

/** True for `Opts`/`SendOpts` of this or another copy of this package. */
export function isOpts(value: unknown): value is Opts | SendOpts {
  return (
    typeof value === "object" &&
    value !== null &&
    OPTS in value &&
    typeof (value as { getOpts?: unknown }).getOpts === "function"
  );
}

/** The options of a call/send however given: an `Opts` carrier or (our addition) a plain object. */
function optionsOf(value: unknown): (ClientCallOptions & ClientSendOptions) | undefined {
  if (value === undefined) return undefined;
  if (isOpts(value)) return value.getOpts();
  if (typeof value === "object" && value !== null) return value;
  throw new TypeError("The options of a client call must come from rpc.opts / rpc.sendOpts");
}

/**
 * Splits a typed client call's arguments into input and options. A single argument made by
 * `rpc.opts`/`rpc.sendOpts` is the options of a handler that takes no input.
 */
export function splitArguments(args: readonly unknown[]): {
  readonly input: unknown;
  readonly options: (ClientCallOptions & ClientSendOptions) | undefined;
} {
  if (args.length > 2) throw new TypeError("A client call takes an input and options at most");
  if (args.length === 1 && isOpts(args[0])) return { input: undefined, options: args[0].getOpts() };
  return { input: args[0], options: optionsOf(args[1]) };
}
