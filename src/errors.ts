// SPDX-License-Identifier: MIT

import type { Duration } from "./definitions/duration.js";

/**
 * Options for {@link RestateError} and {@link PauseError}.
 *
 * @example
 * ```ts
 * const options: RestateErrorOptions = { errorCode: 503, cause: new Error("upstream") };
 * ```
 */
export interface RestateErrorOptions {
  /** The failure code; 500 when omitted. */
  readonly errorCode?: number;
  /** The underlying error, kept locally for debugging; it is not sent over the wire. */
  readonly cause?: unknown;
}

/**
 * Options for {@link TerminalError}.
 *
 * @example
 * ```ts
 * const options: TerminalErrorOptions = { errorCode: 404, metadata: { sku: "a-1" } };
 * ```
 */
export interface TerminalErrorOptions extends RestateErrorOptions {
  /** String key/value pairs carried with the failure (Restate 1.6+ records them). */
  readonly metadata?: Record<string, string>;
}

/**
 * The retry option of {@link RetryableError}, as the official SDK names it.
 *
 * @example
 * ```ts
 * const options: RetryableErrorOptions = { retryAfter: { seconds: 10 } };
 * ```
 */
export interface RetryableErrorOptions {
  /** How long to wait before the next attempt: milliseconds, or a duration object. */
  readonly retryAfter?: Duration;
}

/**
 * Base class of every error this SDK throws on purpose.
 *
 * @example
 * ```ts
 * if (err instanceof RestateError) console.log("raised by restate-hono:", err.code, err.message);
 * ```
 */
export class RestateError extends Error {
  // Declared before `name`, as in the official SDK, so both list (and serialize) the fields in
  // the same order.
  /** The failure code; 500 unless the constructor was given `errorCode`. */
  readonly code: number;
  override name = "RestateError";

  constructor(message: string, options?: RestateErrorOptions) {
    // Always an own `cause` (undefined when none was given), as the official errors have.
    super(message, { cause: options?.cause });
    this.code = options?.errorCode ?? 500;
  }
}

/**
 * A failure that ends the invocation: Restate does not retry it and hands it to the caller.
 *
 * @example
 * ```ts
 * throw new TerminalError("unknown product", { errorCode: 404 });
 * ```
 * @see https://docs.restate.dev/develop/ts/error-handling
 */
export class TerminalError extends RestateError {
  override name = "TerminalError";
  /** String key/value pairs carried with the failure; `{}` when none were given. */
  readonly metadata?: Record<string, string>;

  constructor(message: string, options?: TerminalErrorOptions) {
    super(message, options);
    this.metadata = options?.metadata ?? {};
  }
}

/**
 * The terminal failure of an operation that did not finish in time (code 408).
 *
 * @example
 * ```ts
 * try {
 *   await ctx.sleep(1000).orTimeout(10);
 * } catch (e) {
 *   if (e instanceof TimeoutError) console.log(e.code); // 408
 * }
 * ```
 */
export class TimeoutError extends TerminalError {
  override name = "TimeoutError";

  constructor() {
    super("Timeout occurred", { errorCode: 408 });
  }
}

/**
 * The terminal failure of an invocation that was cancelled (code 409).
 *
 * @example
 * ```ts
 * if (e instanceof CancelledError) await undoReservation();
 * ```
 */
export class CancelledError extends TerminalError {
  override name = "CancelledError";

  constructor() {
    super("Cancelled", { errorCode: 409 });
  }
}

/**
 * A failure that should be retried, optionally after a given delay.
 *
 * Thrown from a `ctx.run` closure, `retryAfter` replaces the run's retry policy delay for the
 * next attempt; thrown from a handler, it asks the runtime to retry the invocation after it.
 *
 * @example
 * ```ts
 * throw new RetryableError("rate limited", { retryAfter: { seconds: 30 } });
 * ```
 */
export class RetryableError extends RestateError {
  override name = "RetryableError";
  /** The requested delay before the next attempt, as given: milliseconds or a duration object. */
  readonly retryAfter?: Duration;

  constructor(message: string, options?: RetryableErrorOptions & RestateErrorOptions) {
    super(message, options);
    if (options?.retryAfter !== undefined) this.retryAfter = options.retryAfter;
  }

  /**
   * Wraps any thrown value in a `RetryableError`, keeping its message and the value as `cause`.
   *
   * @example
   * ```ts
   * catch (e) { throw RetryableError.from(e, { retryAfter: 5_000 }); }
   * ```
   */
  static from(
    cause: unknown,
    options?: RetryableErrorOptions & Pick<RestateErrorOptions, "errorCode">,
  ): RetryableError {
    const errorCode = options?.errorCode ?? errorCodeOf(cause);
    return new RetryableError(messageOf(cause), {
      ...options,
      ...(errorCode !== undefined ? { errorCode } : {}),
      cause,
    });
  }
}

/**
 * Asks Restate to pause the invocation instead of retrying it: it stays paused until an operator
 * resumes it (for example after fixing the data it choked on).
 *
 * Throw it from a `ctx.run` closure; thrown anywhere else it is an ordinary retryable failure.
 * On a runtime that cannot pause invocations it is retried like any other failure.
 *
 * @example
 * ```ts
 * await ctx.run("charge", () => {
 *   if (card.expired) throw new PauseError("card expired, waiting for an operator");
 *   return charge(card);
 * });
 * ```
 */
export class PauseError extends RestateError {
  override name = "PauseError";

  constructor(message: string, options?: RestateErrorOptions) {
    super(message, options);
  }

  /**
   * Wraps any thrown value in a {@link RetryableError}, keeping its message, its `errorCode` and
   * the value as `cause`: the same result as `RetryableError.from(cause)`.
   *
   * This matches the official SDK, whose `PauseError.from` is declared and built that way. The
   * result does not pause: a run retries it under its retry policy. To pause, throw a new
   * `PauseError` with the value as its `cause`.
   *
   * @example
   * ```ts
   * catch (e) { throw new PauseError("card expired", { cause: e }); } // pauses
   * catch (e) { throw PauseError.from(e); } // retries, as with the official SDK
   * ```
   */
  static from(cause: unknown): RetryableError {
    return RetryableError.from(cause);
  }
}

/**
 * Tells whether a value is a {@link TerminalError} (including `TimeoutError` and `CancelledError`).
 *
 * Also recognises errors from another copy of this package, or from the official SDK, by name.
 *
 * @example
 * ```ts
 * if (isTerminalError(e)) return { failed: e.code };
 * ```
 */
export function isTerminalError(e: unknown): e is TerminalError {
  if (e instanceof TerminalError) return true;
  if (isTimeoutError(e) || isCancelledError(e)) return true;
  const like = nameAndCode(e);
  return like?.name === "TerminalError" && typeof like.code === "number";
}

/**
 * Tells whether a value is a {@link TimeoutError}, from this or another copy of the package.
 *
 * @example
 * ```ts
 * if (isTimeoutError(e)) console.log("gave up waiting");
 * ```
 */
export function isTimeoutError(e: unknown): e is TimeoutError {
  if (e instanceof TimeoutError) return true;
  // The code check matters: DOMException (AbortSignal.timeout) and several libraries also
  // name their errors "TimeoutError", and those must stay retryable.
  const like = nameAndCode(e);
  return like?.name === "TimeoutError" && like.code === 408;
}

/**
 * Tells whether a value is a {@link CancelledError}, from this or another copy of the package.
 *
 * @example
 * ```ts
 * if (isCancelledError(e)) await compensate();
 * ```
 */
export function isCancelledError(e: unknown): e is CancelledError {
  if (e instanceof CancelledError) return true;
  const like = nameAndCode(e);
  return like?.name === "CancelledError" && like.code === 409;
}

/**
 * Tells whether a value is a {@link RetryableError}, from this or another copy of the package.
 *
 * @example
 * ```ts
 * const delay = isRetryableError(e) ? e.retryAfter : undefined;
 * ```
 */
export function isRetryableError(e: unknown): e is RetryableError {
  if (e instanceof RetryableError) return true;
  if (!isErrorObject(e) || e.name !== "RetryableError") return false;
  const retryAfter = "retryAfter" in e ? e.retryAfter : undefined;
  return retryAfter === undefined || isDuration(retryAfter);
}

/**
 * Tells whether a value is a {@link PauseError}, from this or another copy of the package.
 *
 * @example
 * ```ts
 * if (isPauseError(e)) console.log("the invocation will wait for an operator");
 * ```
 */
export function isPauseError(e: unknown): e is PauseError {
  return e instanceof PauseError || (isErrorObject(e) && e.name === "PauseError");
}

/**
 * The delay a {@link RetryableError} asks for, in whole milliseconds; `undefined` for any other
 * value, or when the delay is absent, negative or not finite.
 *
 * @internal
 * @example
 * ```ts
 * retryDelayOf(new RetryableError("busy", { retryAfter: { seconds: 2 } })); // 2000
 * ```
 */
export function retryDelayOf(e: unknown): number | undefined {
  if (!isRetryableError(e) || e.retryAfter === undefined) return undefined;
  const ms = toMillis(e.retryAfter);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms) : undefined;
}

/**
 * Returns the value itself if it is an `Error`, otherwise an `Error` describing it.
 *
 * Use it only where foreign code hands over whatever it threw: the endpoint, `ctx.run` and the
 * client response parser. The original value is kept as `cause`.
 *
 * @example
 * ```ts
 * ensureError("boom").message; // "boom"
 * ensureError({ reason: "x" }).message; // '{"reason":"x"}'
 * ```
 */
export function ensureError(e: unknown): Error {
  if (isErrorObject(e)) return e;
  return new Error(describe(e), { cause: e });
}

/**
 * The message of an error made `from` a thrown value, worded as the official SDK words it: the
 * error's own message, or the value's JSON for anything that is neither an error nor error-like.
 */
function messageOf(cause: unknown): string {
  if (isErrorObject(cause)) return cause.message;
  if (typeof cause === "object" && cause !== null && "code" in cause && "message" in cause)
    return String(cause.message);
  let json: string | undefined;
  try {
    json = JSON.stringify(cause);
  } catch {
    json = "(no JSON representation)";
  }
  return `Non-Error value: ${String(json)}`;
}

/** The `errorCode` field a thrown error carries, if it is a number (the official `from` keeps it). */
function errorCodeOf(cause: unknown): number | undefined {
  if (typeof cause !== "object" || cause === null || !("errorCode" in cause)) return undefined;
  return typeof cause.errorCode === "number" ? cause.errorCode : undefined;
}

function toMillis(d: Duration): number {
  if (typeof d === "number") return d;
  const seconds = (d.days ?? 0) * 86_400 + (d.hours ?? 0) * 3_600 + (d.minutes ?? 0) * 60;
  return (seconds + (d.seconds ?? 0)) * 1_000 + (d.milliseconds ?? 0);
}

function isDuration(value: unknown): value is Duration {
  return typeof value === "number" || (typeof value === "object" && value !== null);
}

function isErrorObject(e: unknown): e is Error {
  // The tag check catches errors created in another realm (worker, vm context), whose
  // prototype chain does not include this realm's `Error`.
  return e instanceof Error || Object.prototype.toString.call(e) === "[object Error]";
}

function nameAndCode(e: unknown): { name: unknown; code: unknown } | undefined {
  if (!isErrorObject(e)) return undefined;
  return { name: e.name, code: "code" in e ? e.code : undefined };
}

function describe(e: unknown): string {
  if (typeof e === "string") return e;
  if (typeof e === "function") return `[function ${e.name || "anonymous"}]`;
  if (typeof e === "object" && e !== null) {
    if ("message" in e && typeof e.message === "string") return e.message;
    try {
      const text = JSON.stringify(e);
      if (text !== undefined && text !== "{}") return text;
    } catch {
      // Cycles and BigInt values cannot be stringified; the fallback below still names the type.
    }
  }
  return String(e);
}
