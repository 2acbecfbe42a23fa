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
//  3. A `Retry-After` header on the failed reply delays the next attempt to at least that long;
//     otherwise the delay grows exponentially from `minTimeout` to `maxTimeout`.
//  4. A per-call timeout or abort signal bounds the whole call, retries included, and is never
//     itself retried.
// Older servers that send no `source` label make an invocation's own 5xx look like a transport
// failure; with an idempotency key the retry then only re-reads the same stored failure.
import pRetry from "p-retry";
import { isHttpCallError } from "./http-call-error.js";

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
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or retries run out.
 * `signal` ends the waiting between attempts too.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  options: RetryOptions,
  signal: AbortSignal | undefined,
): Promise<T> {
  // Rule 3: p-retry computes the exponential delay; a Retry-After only ever lengthens it, so the
  // next attempt first sleeps for whatever is left of the server's requested delay.
  let notBefore = 0;
  const once = async (): Promise<T> => {
    const wait = notBefore - Date.now();
    if (wait > 0) await sleep(wait, signal);
    try {
      return await attempt();
    } catch (error) {
      if (isHttpCallError(error) && error.retryAfterMs !== undefined) {
        notBefore = Date.now() + error.retryAfterMs;
      }
      throw error;
    }
  };
  return pRetry(once, {
    retries: options.retries,
    minTimeout: options.minTimeout,
    maxTimeout: options.maxTimeout,
    factor: options.factor,
    shouldRetry: ({ error }) => isRetryableFailure(error),
    ...(signal !== undefined ? { signal } : {}),
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the caller's abort reason goes on unchanged, as fetch passes it on
      reject(signal?.reason);
    };
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
