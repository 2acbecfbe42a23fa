// SPDX-License-Identifier: MIT
import { RestateError } from "../errors.js";

/**
 * Who produced a failed reply: the invocation itself (its handler failed terminally, or the
 * runtime reports something about that invocation, e.g. "not found" on attach), or anything on
 * the way to it (network, timeouts, an unknown service, the ingress or a proxy being unavailable).
 *
 * @example
 * if (error.source === "invocation") showToUser(error.message);
 */
export type HttpCallErrorSource = "invocation" | "transport";

/**
 * Fields of an {@link HttpCallError}; `message` is the server's message.
 *
 * @example
 * new HttpCallError({ status: 503, message: "unavailable", body: "", source: "transport" });
 */
export interface HttpCallErrorInit {
  /** The HTTP status; 0 when no response arrived (network error, timeout). */
  readonly status: number;
  readonly message: string;
  /** The raw response body as text ("" when there was none). */
  readonly body: string;
  readonly source: HttpCallErrorSource;
  /** The failure metadata of a terminal error, when the server sent some. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** The admin API's `restate_code` (e.g. `META0006`), when present. */
  readonly restateCode?: string;
  /** Seconds or date from a `Retry-After` header, converted to milliseconds. */
  readonly retryAfterMs?: number;
  /** The headers of the failed reply, when one arrived. */
  readonly headers?: Headers;
  readonly cause?: unknown;
}

/**
 * A request to the Restate ingress or admin API that did not succeed.
 *
 * `source: "invocation"` means the invocation answered with its own failure (for a terminal
 * error, `status` is the error's code); such failures are final and never retried.
 *
 * @example
 * try {
 *   await client.serviceClient(greeter).greet("x");
 * } catch (e) {
 *   if (isHttpCallError(e) && e.source === "invocation") console.log(e.status, e.message);
 * }
 */
export class HttpCallError extends RestateError {
  override name = "HttpCallError";
  readonly status: number;
  readonly body: string;
  /** The response body as text, as the official client names it (same as `body`). */
  readonly responseText: string;
  readonly source: HttpCallErrorSource;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly restateCode?: string;
  readonly retryAfterMs?: number;
  readonly headers?: Headers;

  /** Builds the error from its fields. */
  constructor(init: HttpCallErrorInit);
  /** Builds the error as the official client does: a transport failure with this status. */
  constructor(status: number, responseText: string, message: string);
  constructor(init: HttpCallErrorInit | number, responseText = "", message = "") {
    const fields: HttpCallErrorInit =
      typeof init === "number"
        ? { status: init, body: responseText, message, source: "transport" }
        : init;
    // `code` (from RestateError) mirrors the HTTP status, so code-based checks read it too.
    super(fields.message, { errorCode: fields.status, cause: fields.cause });
    this.status = fields.status;
    this.body = fields.body;
    this.responseText = fields.body;
    this.source = fields.source;
    if (fields.metadata !== undefined) this.metadata = fields.metadata;
    if (fields.restateCode !== undefined) this.restateCode = fields.restateCode;
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
    if (fields.headers !== undefined) this.headers = fields.headers;
  }
}

/**
 * Tells whether a value is an {@link HttpCallError}, also from another copy of this package.
 *
 * @example
 * if (isHttpCallError(e) && e.status === 404) return undefined;
 */
export function isHttpCallError(e: unknown): e is HttpCallError {
  if (e instanceof HttpCallError) return true;
  return (
    e instanceof Error &&
    e.name === "HttpCallError" &&
    "status" in e &&
    typeof e.status === "number" &&
    "source" in e &&
    (e.source === "invocation" || e.source === "transport")
  );
}

const ERROR_SOURCE_HEADER = "x-restate-error-source";

/**
 * Builds the error for a non-2xx reply. The ingress (1.7) labels every error it sends with
 * `x-restate-error-source: invocation | ingress` and a `source` field in the JSON body; a reply
 * without that label came from something else (a proxy, a load balancer) and counts as transport.
 */
export function errorFromResponse(response: Response, body: Uint8Array): HttpCallError {
  const text = new TextDecoder().decode(body);
  const parsed = parseErrorBody(text);
  const label = response.headers.get(ERROR_SOURCE_HEADER) ?? parsed.source;
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
  return new HttpCallError({
    status: response.status,
    message: parsed.message ?? (text.trim() || `HTTP ${response.status} ${response.statusText}`),
    body: text,
    source: label === "invocation" ? "invocation" : "transport",
    ...(parsed.metadata !== undefined ? { metadata: parsed.metadata } : {}),
    ...(parsed.restateCode !== undefined ? { restateCode: parsed.restateCode } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    headers: response.headers,
  });
}

interface ErrorBody {
  readonly message?: string;
  readonly source?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly restateCode?: string;
}

/** Reads `{code, message, metadata?, source?}` (ingress) or `{message, restate_code}` (admin). */
function parseErrorBody(text: string): ErrorBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof value !== "object" || value === null) return {};
  const v = value as Record<string, unknown>;
  return {
    ...(typeof v["message"] === "string" ? { message: v["message"] } : {}),
    ...(typeof v["source"] === "string" ? { source: v["source"] } : {}),
    ...(isStringRecord(v["metadata"]) ? { metadata: v["metadata"] } : {}),
    ...(typeof v["restate_code"] === "string" ? { restateCode: v["restate_code"] } : {}),
  };
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return (
    typeof v === "object" && v !== null && Object.values(v).every((x) => typeof x === "string")
  );
}

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP date, as milliseconds from `now`.
 *
 * @example
 * parseRetryAfter("2", Date.now()); // 2000
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
