// SPDX-License-Identifier: MIT
// AWS Lambda events ⇄ what the endpoint core reads. Three shapes reach a function:
// - restate-server's own invocation of a Lambda deployment: `{ path, httpMethod, headers, body,
//   isBase64Encoded: true }` (the API Gateway REST shape; see `lambda.rs` in the restate repo);
// - API Gateway REST APIs (payload format 1.0): the same fields plus `multiValueHeaders` etc.;
// - API Gateway HTTP APIs (payload format 2.0) and Lambda function URLs: `{ version: "2.0",
//   rawPath, requestContext: { http: { method } }, headers, body, isBase64Encoded }`.
// The server reads the answer's `statusCode`, `headers` (not `multiValueHeaders`) and `body`.
// Node-only (Lambda runs Node): base64 through `Buffer`.
import { Buffer } from "node:buffer";
import type { HeaderReader } from "./endpoint-core.js";

/**
 * An event delivered to the Lambda function: any of the shapes above. Every field is optional so
 * each shape fits; {@link toLambdaRequest} says what is missing.
 */
export interface LambdaEvent {
  /** Payload format 2.0 (HTTP APIs, function URLs). */
  readonly version?: string;
  /** Format 2.0: the path, without the query. */
  readonly rawPath?: string;
  /** Format 1.0 and restate-server: the path. */
  readonly path?: string | null;
  /** Format 1.0 and restate-server: the method. */
  readonly httpMethod?: string;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
  readonly multiValueHeaders?: Readonly<Record<string, readonly string[] | undefined>> | null;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

/** The function's answer, in the shape API Gateway, function URLs and restate-server all read. */
export interface LambdaResult {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
}

/** An HTTP request rebuilt from an event. */
export interface LambdaRequest {
  readonly method: string;
  readonly path: string;
  /** Header names in lower case. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
}

/** Lower-cased headers from the event (format 1.0 keeps the sender's case). */
function headersOf(event: LambdaEvent): Map<string, string> {
  const headers = new Map<string, string>();
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values !== undefined && values.length > 0)
      headers.set(name.toLowerCase(), values.join(", "));
  }
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers.set(name.toLowerCase(), value);
  }
  return headers;
}

/**
 * Rebuilds the HTTP request an event carries.
 *
 * @returns the request, or what is wrong with the event as a string.
 * @example
 * const request = toLambdaRequest({ path: "/discover", httpMethod: "GET", headers: {} });
 */
export function toLambdaRequest(value: unknown): LambdaRequest | string {
  if (typeof value !== "object" || value === null) return "the event is not an object";
  const event = value as LambdaEvent;
  const isV2 = event.version === "2.0" || typeof event.rawPath === "string";
  const method = isV2 ? event.requestContext?.http?.method : event.httpMethod;
  const path = isV2 ? event.rawPath : event.path;
  if (typeof method !== "string") return "the event names no HTTP method";
  if (typeof path !== "string") return "the event names no path";
  const text = event.body ?? "";
  const body = event.isBase64Encoded === true ? fromBase64(text) : new TextEncoder().encode(text);
  return { method: method.toUpperCase(), path, headers: headersOf(event), body };
}

/** `get(name)` over lower-cased headers. */
export function mapReader(headers: ReadonlyMap<string, string>): HeaderReader {
  return { get: (name) => headers.get(name.toLowerCase()) ?? null };
}

/** Standard base64 (not base64url), as Lambda payloads carry it. */
export function fromBase64(text: string): Uint8Array {
  const buffer = Buffer.from(text, "base64");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Standard base64 of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}
