// SPDX-License-Identifier: MIT
// One HTTP exchange with the ingress or the admin API: headers, timeout, retries, error mapping.
import { HttpCallError, errorFromResponse } from "./http-call-error.js";
import type { Duration } from "../definitions/duration.js";
import { type RetryPlan, withRetry } from "./retry.js";
import { delayMillis } from "./rpc.js";

/**
 * The `fetch` the clients call; any WHATWG-compatible implementation works.
 *
 * @example
 * const logging: FetchFn = (url, init) => (console.log(url), fetch(url, init));
 */
export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

/** One request, before the base URL and default headers are applied. */
export interface HttpRequest {
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path and query, already percent-encoded, starting with `/`. */
  readonly path: string;
  /** The request's headers: they replace the connection's headers spelled alike. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Headers the connection's headers replace when spelled alike (the request's defaults). */
  readonly defaultHeaders?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  /** True when sending it twice has the effect of sending it once (see retry.ts, rule 1). */
  readonly isIdempotent: boolean;
  /**
   * Number the attempts in the {@link ATTEMPT_HEADER} header (1, 2, …), as the official ingress
   * client does for invocations, attaches and workflow reads.
   */
  readonly isCounted?: boolean;
  /** Milliseconds for the whole call, retries included. */
  readonly timeout?: number;
  readonly signal?: AbortSignal;
}

/** A 2xx reply with its body read. */
export interface HttpReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

/** Where and how to send requests. */
export interface TransportOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: FetchFn | undefined;
  /** Retries of idempotent requests; `undefined` turns them off. */
  readonly retry: RetryPlan | undefined;
}

/** The header that carries the attempt number of a counted request. */
export const ATTEMPT_HEADER = "x-restateclient-retry-attempt";

/** Sends one request and returns its 2xx reply; throws {@link HttpCallError} otherwise. */
export type Transport = (request: HttpRequest) => Promise<HttpReply>;

/**
 * Makes the request function shared by the ingress and admin clients.
 *
 * @throws HttpCallError for non-2xx replies, network failures and timeouts; the abort reason when
 * the caller's own signal fires.
 */
export function makeTransport(options: TransportOptions): Transport {
  const base = options.url.replace(/\/+$/, "");
  // Looked up per call, so that a `fetch` replaced after connect() (test mocks) is used.
  const fetchFn: FetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  return async (request) => {
    const timeout = request.timeout !== undefined ? deadline(request.timeout) : undefined;
    const timeoutSignal = timeout?.signal;
    const signals = [request.signal, timeoutSignal].filter((s) => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    // Merged as plain objects, as the official client merges them: a name spelled alike replaces
    // the earlier value; one spelled in another case is sent too, and fetch joins the values.
    const headers = new Headers({
      ...request.defaultHeaders,
      ...options.headers,
      ...request.headers,
    });
    const init: RequestInit = {
      method: request.method,
      headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(signal !== undefined ? { signal } : {}),
    };
    let attempts = 0;
    const attempt = (): Promise<HttpReply> => {
      attempts += 1;
      if (request.isCounted === true) headers.set(ATTEMPT_HEADER, String(attempts));
      return exchange(fetchFn, base + request.path, init);
    };
    try {
      return options.retry !== undefined && request.isIdempotent
        ? await withRetry(attempt, options.retry, signal)
        : await attempt();
    } catch (error) {
      if (timeoutSignal?.aborted === true && request.signal?.aborted !== true) {
        throw new HttpCallError({
          status: 0,
          message: `${request.method} ${request.path} timed out after ${request.timeout} ms`,
          body: "",
          source: "transport",
          cause: error,
        });
      }
      throw error;
    } finally {
      timeout?.clear();
    }
  };
}

/**
 * A signal that aborts after `ms`. On the global timers rather than `AbortSignal.timeout`, so that
 * fake timers drive it in tests; `clear()` stops the timer once the call is over.
 */
function deadline(ms: number): { readonly signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException("The call timed out", "TimeoutError")),
    ms,
  );
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

async function exchange(fetchFn: FetchFn, url: string, init: RequestInit): Promise<HttpReply> {
  let response: Response;
  let body: Uint8Array;
  try {
    response = await fetchFn(url, init);
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    // An abort is the caller's decision (or the timeout's), not a network failure.
    if (init.signal?.aborted === true) throw init.signal.reason;
    throw networkError(error, init.method ?? "GET", url);
  }
  if (response.ok) return { status: response.status, headers: response.headers, body };
  throw errorFromResponse(response, body);
}

function networkError(error: unknown, method: string, url: string): HttpCallError {
  const cause = error instanceof Error ? error.cause : undefined;
  const detail =
    cause instanceof Error
      ? `: ${cause.message}`
      : error instanceof Error
        ? `: ${error.message}`
        : "";
  return new HttpCallError({
    status: 0,
    message: `${method} ${url} failed${detail}`,
    body: "",
    source: "transport",
    cause: error,
  });
}

/**
 * A duration for the server: milliseconds (or a {@link Duration}) become `"…ms"`; strings (`"10s"`,
 * `"PT1M"`, `"5 hours"`) go as written, in the friendly or ISO 8601 formats the server parses.
 *
 * @throws RangeError for a negative or non-finite duration.
 */
export function durationParam(value: number | Duration | string): string {
  if (typeof value === "string") return value;
  return `${Math.round(delayMillis(value))}ms`;
}
