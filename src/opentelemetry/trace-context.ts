// SPDX-License-Identifier: MIT
// W3C trace context (https://www.w3.org/TR/trace-context/) read from the attempt headers the
// Restate server sends, and written into outgoing calls. Parsed here rather than through the
// global propagator so the spans join the server's trace even when the application registered
// no propagator.
import {
  type Context,
  type SpanContext,
  ROOT_CONTEXT,
  isSpanContextValid,
  trace,
} from "@opentelemetry/api";

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;

/** The remote span context in a `traceparent` header value; undefined when absent or invalid. */
export function parseTraceparent(value: string | undefined): SpanContext | undefined {
  const match = value === undefined ? null : TRACEPARENT.exec(value.trim().toLowerCase());
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (version === "ff") return undefined;
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: parseInt(flags, 16) & 1,
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : undefined;
}

/** The `traceparent` header value for a span context. */
export function formatTraceparent(spanContext: SpanContext): string {
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, "0");
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** The OpenTelemetry context whose parent is the server's span for this attempt (or the root). */
export function parentContext(
  attemptHeaders: ReadonlyMap<string, string | string[] | undefined>,
): Context {
  const header = attemptHeaders.get("traceparent");
  const spanContext = parseTraceparent(Array.isArray(header) ? header[0] : header);
  return spanContext === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, spanContext);
}
