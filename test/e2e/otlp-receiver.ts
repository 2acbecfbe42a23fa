// SPDX-License-Identifier: MIT
// A tiny OTLP/HTTP JSON trace receiver for e2e tests: restate-server 1.7 exports its service spans
// to `RESTATE_TRACING_ENDPOINT`, and the scheme picks the transport (`http://` is OTLP/gRPC,
// `otlp+http://` OTLP/HTTP protobuf, `otlp+json+http://` OTLP/HTTP JSON). Its
// `--tracing-json-path` feeds only the runtime's own tracing layer, which 1.7 leaves disabled, so
// it writes nothing; exporting to a receiver is the way to see the server's spans.
import http from "node:http";
import type { AddressInfo } from "node:net";

/** One exported span, reduced to what parentage assertions need. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** "" for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** String, int and bool attributes, as strings. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** A listening receiver and the spans it got so far. */
export interface OtlpReceiver {
  /** The value for `RESTATE_TRACING_ENDPOINT`. */
  readonly endpoint: string;
  readonly spans: readonly ReceivedSpan[];
  close(): Promise<void>;
}

// The OTLP/JSON shapes (opentelemetry-proto ExportTraceServiceRequest), as far as read here. Ids
// are lowercase hex strings in OTLP/JSON, unlike the base64 of protobuf's own JSON mapping.
interface JsonAnyValue {
  readonly stringValue?: string;
  readonly intValue?: string | number;
  readonly boolValue?: boolean;
}
interface JsonSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly attributes?: ReadonlyArray<{ readonly key: string; readonly value: JsonAnyValue }>;
}
interface JsonExportRequest {
  readonly resourceSpans?: ReadonlyArray<{
    readonly scopeSpans?: ReadonlyArray<{ readonly spans?: readonly JsonSpan[] }>;
  }>;
}

function scalar(value: JsonAnyValue): string | undefined {
  const v = value.stringValue ?? value.intValue ?? value.boolValue;
  return v === undefined ? undefined : String(v);
}

/** The spans of one export request body. */
export function spansOf(body: JsonExportRequest): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resource of body.resourceSpans ?? []) {
    for (const scope of resource.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        const attributes: Record<string, string> = {};
        for (const { key, value } of span.attributes ?? []) {
          const v = scalar(value);
          if (v !== undefined) attributes[key] = v;
        }
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId ?? "",
          name: span.name,
          attributes,
        });
      }
    }
  }
  return spans;
}

/** Starts a receiver on a free loopback port. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      try {
        spans.push(...spansOf(JSON.parse(Buffer.concat(chunks).toString()) as JsonExportRequest));
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      } catch (e) {
        res.writeHead(400).end(String(e));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `otlp+json+http://127.0.0.1:${port}/v1/traces`,
    spans,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
