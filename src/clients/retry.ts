// SPDX-License-Identifier: MIT
// When the ingress client retries a request, and how long it waits in between.
//
// The rule, in full:
//  1. Only requests that are safe to send twice are retried: calls and sends that carry an
//     idempotency key (the runtime deduplicates them), workflow submissions (the workflow id is
//     the key), attach/output reads, and awakeable resolve/reject (completing an awakeable twice
//     is a no-op; 1.7.12 answers 202 both times). A call without a key is never retried: the
//     first attempt may have started the handler.
//  2. Only transport failures are retried: no response at all (connection refused or reset), or a
//     408/425/429/5xx reply that the invocation did not produce. The 1.7 ingress labels its own
//     error replies `x-restate-error-source: ingress` and the invocation's failures `invocation`
//     (also as `source` in the JSON body); an unlabelled reply comes from a proxy in between and
//     counts as transport. A failure labelled `invocation` is final, whatever its code: a handler
//     that throws `TerminalError("…", { errorCode: 503 })` answered, and asking again gives the
//     same answer (see http-call-error.ts).
//  3. A `Retry-After` header on the failed reply delays the next attempt to at least that long
//     (unless `respectRetryAfter: false`); otherwise the delay grows exponentially.
//  4. A per-call timeout or abort signal bounds the whole call, retries included, and is never
//     itself retried.
// `retry` takes either this package's shape (`retries`, `minTimeout`, `maxTimeout`, `factor`) or the
// official client's `RetryPolicy` (`maxAttempts`, `maxDuration`, `initialInterval`, `maxInterval`,
// `exponentiationFactor`, `respectRetryAfter`, `shouldRetry`), or `true` for the latter's defaults.
// Older servers that send no `source` label make an invocation's own 5xx look like a transport
// failure; with an idempotency key the retry then only re-reads the same stored failure.
import type { Duration } from "../definitions/duration.js";
import { type HttpCallError, isHttpCallError } from "./http-call-error.js";
import { delayMillis } from "./rpc.js";

/**
 * Retry settings of the ingress client (retries are off unless `retry` is given to `connect`).
 *
 * @example
 * connect({ url, retry: { retries: 10, minTimeout: 200, maxTimeout: 5_000 } });
 */
export interface RetryOptions {
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Delay before the first retry, in milliseconds. */
  readonly minTimeout: number;
  /** Longest delay between two attempts, in milliseconds (a `Retry-After` may ask for more). */
  readonly maxTimeout: number;
  /** Growth of the delay from one retry to the next. */
  readonly factor: number;
}

/**
 * What `retry: {}` means: 5 retries, 100 ms growing ×2 up to 5 s.
 *
 * @example
 * connect({ url, retry: { ...RETRY_DEFAULTS, retries: 10 } });
 */
export const RETRY_DEFAULTS: Readonly<RetryOptions> = Object.freeze({
  retries: 5,
  minTimeout: 100,
  maxTimeout: 5_000,
  factor: 2,
});

/**
 * A failed attempt, as a custom {@link RetryPolicy.shouldRetry} sees it.
 *
 * @example
 * const failure: RetryFailure = { kind: "response", status: 503, headers: new Headers() };
 */
export type RetryFailure =
  | { readonly kind: "network"; readonly error: unknown }
  | {
      readonly kind: "response";
      readonly status: number;
      readonly headers: Headers;
      /** The reply body as text, when it had one. */
      readonly body?: string;
    };

/**
 * Retry settings in the official client's shape; every field has a default.
 *
 * @example
 * connect({ url, retry: { maxAttempts: 10, maxDuration: { minutes: 1 }, initialInterval: 100 } });
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 6); `false` for no bound. */
  readonly maxAttempts?: number | false;
  /** Time from the first attempt after which no new attempt starts (default 60 s); `false` for none. */
  readonly maxDuration?: Duration | number | false;
  /** Delay before the first retry (default 250 ms). */
  readonly initialInterval?: Duration | number;
  /** Longest delay between two attempts (default 3 s). */
  readonly maxInterval?: Duration | number;
  /** Growth of the delay from one retry to the next (default 2). */
  readonly exponentiationFactor?: number;
  /** Waits as long as a `Retry-After` header asks (default `true`). */
  readonly respectRetryAfter?: boolean;
  /** Replaces the built-in decision ({@link defaultShouldRetry}); `attempt` counts from 0. */
  readonly shouldRetry?: (failure: RetryFailure, attempt: number) => boolean;
}

/** The retry settings `connect` accepts. */
export type RetrySetting = RetryPolicy | Partial<RetryOptions> | boolean;

/** @internal Resolved retry settings, one shape for both inputs. */
export interface RetryPlan extends RetryOptions {
  readonly maxRetryTime: number;
  readonly respectRetryAfter: boolean;
  readonly shouldRetry: ((failure: RetryFailure, attempt: number) => boolean) | undefined;
}

const OWN_KEYS = ["retries", "minTimeout", "maxTimeout", "factor"];

/**
 * Resolves the `retry` option of `connect`; `undefined` and `false` turn retries off.
 *
 * @throws RangeError for a negative or non-finite duration.
 */
export function resolveRetry(setting: RetrySetting | undefined): RetryPlan | undefined {
  if (setting === undefined || setting === false) return undefined;
  const policy = setting === true ? {} : setting;
  const isOwn = Object.keys(policy).length === 0 || OWN_KEYS.some((key) => key in policy);
  if (isOwn) {
    return {
      ...RETRY_DEFAULTS,
      ...(policy as Partial<RetryOptions>),
      maxRetryTime: Infinity,
      respectRetryAfter: true,
      shouldRetry: undefined,
    };
  }
  const official = policy as RetryPolicy;
  const millis = (value: Duration | number | false | undefined, fallback: number) =>
    value === false ? Infinity : value === undefined ? fallback : delayMillis(value);
  const maxAttempts = official.maxAttempts === false ? Infinity : (official.maxAttempts ?? 6);
  return {
    retries: Math.max(0, maxAttempts - 1),
    minTimeout: millis(official.initialInterval, 250),
    maxTimeout: millis(official.maxInterval, 3_000),
    factor: official.exponentiationFactor ?? 2,
    maxRetryTime: millis(official.maxDuration, 60_000),
    respectRetryAfter: official.respectRetryAfter ?? true,
    shouldRetry: official.shouldRetry,
  };
}

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429]);

/**
 * Tells whether a failed attempt may be retried (rule 2 above); status 0 means no response.
 *
 * @example
 * isRetryableFailure(new HttpCallError({ status: 503, message: "", body: "", source: "transport" })); // true
 */
export function isRetryableFailure(error: unknown): boolean {
  if (!isHttpCallError(error) || error.source === "invocation") return false;
  return error.status === 0 || RETRYABLE_STATUSES.has(error.status) || error.status >= 500;
}

/**
 * The built-in decision on a {@link RetryFailure}: network failures, and 408/425/429/5xx replies
 * that the invocation did not produce (`x-restate-error-source: invocation`).
 *
 * @example
 * const shouldRetry = (f: RetryFailure, attempt: number) => attempt < 3 && defaultShouldRetry(f);
 */
export function defaultShouldRetry(failure: RetryFailure): boolean {
  if (failure.kind === "network") return true;
  if (failure.headers.get("x-restate-error-source") === "invocation") return false;
  return RETRYABLE_STATUSES.has(failure.status) || failure.status >= 500;
}

function asFailure(error: HttpCallError): RetryFailure {
  if (error.headers === undefined) return { kind: "network", error: error.cause ?? error };
  return {
    kind: "response",
    status: error.status,
    headers: error.headers,
    ...(error.body !== "" ? { body: error.body } : {}),
  };
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or retries run out.
 * `signal` ends the waiting between attempts too.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  plan: RetryPlan,
  signal: AbortSignal | undefined,
): Promise<T> {
  const startedAt = Date.now();
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (retry >= plan.retries || !shouldRetry(plan, error, retry)) throw error;
      // Rule 3: exponential backoff; a Retry-After only ever lengthens the wait.
      const backoff = Math.min(plan.maxTimeout, plan.minTimeout * plan.factor ** retry);
      const requested =
        plan.respectRetryAfter && isHttpCallError(error) ? (error.retryAfterMs ?? 0) : 0;
      const wait = Math.max(backoff, requested);
      // No new attempt starts once it would begin after the retry budget.
      if (Date.now() - startedAt + wait > plan.maxRetryTime) throw error;
      await sleep(wait, signal);
    }
  }
}

function shouldRetry(plan: RetryPlan, error: unknown, retry: number): boolean {
  if (plan.shouldRetry === undefined || !isHttpCallError(error)) return isRetryableFailure(error);
  return plan.shouldRetry(asFailure(error), retry);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's abort reason goes on unchanged, as fetch passes it on
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as above
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
