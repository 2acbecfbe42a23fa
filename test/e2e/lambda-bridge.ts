// SPDX-License-Identifier: MIT
// A stand-in for AWS Lambda: an HTTP server that turns each request from restate-server into the
// event a Lambda function would receive, calls the handler in-process, and turns its result back
// into an HTTP response, reading only what restate-server and API Gateway read (`statusCode`,
// `headers`, `body`, `isBase64Encoded`). With `zstd`, it also compresses as restate-server's
// Lambda invoker does (service-client/src/lambda.rs): once the deployment's discovery answer says
// `lambdaCompression: "zstd"`, every later request gets `accept-encoding: zstd`, and a body of at
// least the threshold is zstd-compressed with `content-encoding: zstd`; an answer whose
// `content-encoding` is `zstd` is decompressed, whatever was negotiated.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type net from "node:net";
import type { ZlibZstd } from "../../src/endpoint/zstd.js";
import type { LambdaEvent, LambdaHandler, LambdaResult } from "../../src/lambda.js";

/** Which service delivers the event. */
export type EventShape =
  "restate-server" | "api-gateway-rest" | "api-gateway-http" | "function-url";

/** restate-server's default `aws-lambda.request-compression-threshold`: 4 MiB. */
export const REQUEST_COMPRESSION_THRESHOLD = 4 * 1024 * 1024;

/** How the bridge compresses, as restate-server's Lambda invoker. */
export interface BridgeCompression {
  /** node:zlib's zstd (the bridge then runs under Node 22). */
  readonly zstd: ZlibZstd;
  /** Smallest request body compressed; default {@link REQUEST_COMPRESSION_THRESHOLD}. */
  readonly threshold?: number;
}

/** One request and answer as they crossed the bridge, with their sizes. */
export interface Exchange {
  readonly path: string;
  readonly acceptEncoding: string | null;
  readonly requestEncoding: string | null;
  readonly responseEncoding: string | null;
  readonly status: number;
  /** The request body before compression, and as sent in the event (before base64). */
  readonly requestBytes: number;
  readonly sentRequestBytes: number;
  /** The answer's body as the function sent it (after base64), and after decompression. */
  readonly resultBytes: number;
  readonly responseBytes: number;
}

export interface LambdaBridge {
  readonly url: string;
  /** Every event delivered, in order. */
  readonly events: LambdaEvent[];
  /** Every exchange, in order. */
  readonly exchanges: Exchange[];
  /** Every Lambda context passed, in order. */
  readonly contexts: LambdaContext[];
  stop(): Promise<void>;
}

/** The fields of the Lambda context object handlers usually read. */
export interface LambdaContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly functionVersion: string;
  getRemainingTimeInMillis(): number;
}

interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** Lower-case names, values joined as HTTP/1.1 delivers them. */
  readonly headers: Record<string, string>;
  /** Names as the client sent them, with every value. */
  readonly rawHeaders: Record<string, string[]>;
  readonly body: Buffer;
}

function rawHeadersOf(raw: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) (out[raw[i]!] ??= []).push(raw[i + 1]!);
  return out;
}

function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(",") : value;
  }
  return out;
}

/** Builds the event of the given shape, as each AWS service documents it. */
export function lambdaEvent(shape: EventShape, request: HttpRequest): LambdaEvent {
  const body = request.body.toString("base64");
  const requestId = randomUUID();
  const now = Date.now();
  switch (shape) {
    case "restate-server":
      // `ApiGatewayProxyRequest` in restate's service-client/src/lambda.rs.
      return {
        path: request.path,
        httpMethod: request.method,
        headers: request.headers,
        body,
        isBase64Encoded: true,
      };
    case "api-gateway-rest": {
      const headers: Record<string, string> = {};
      for (const [name, values] of Object.entries(request.rawHeaders)) {
        headers[name] = values[values.length - 1]!;
      }
      return {
        resource: "/{proxy+}",
        path: request.path,
        httpMethod: request.method,
        headers,
        multiValueHeaders: request.rawHeaders,
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: { proxy: request.path.slice(1) },
        stageVariables: null,
        requestContext: {
          resourcePath: "/{proxy+}",
          httpMethod: request.method,
          path: `/prod${request.path}`,
          stage: "prod",
          requestId,
          requestTimeEpoch: now,
        },
        body,
        isBase64Encoded: true,
      } as LambdaEvent;
    }
    case "api-gateway-http":
    case "function-url":
      return {
        version: "2.0",
        routeKey: "$default",
        rawPath: request.path,
        rawQueryString: "",
        headers: request.headers,
        requestContext: {
          accountId: shape === "function-url" ? "anonymous" : "123456789012",
          apiId: "bridge",
          domainName:
            shape === "function-url"
              ? "bridge.lambda-url.eu-central-1.on.aws"
              : "bridge.execute-api.eu-central-1.amazonaws.com",
          http: {
            method: request.method,
            path: request.path,
            protocol: "HTTP/1.1",
            sourceIp: "127.0.0.1",
            userAgent: request.headers["user-agent"] ?? "",
          },
          requestId,
          routeKey: "$default",
          stage: "$default",
          timeEpoch: now,
        },
        body,
        isBase64Encoded: true,
      } as LambdaEvent;
    default: {
      const unreachable: never = shape;
      return unreachable;
    }
  }
}

/** What the invoker does to a request once zstd is negotiated. */
function compressRequest(request: HttpRequest, compression: BridgeCompression): HttpRequest {
  const headers: Record<string, string> = { ...request.headers, "accept-encoding": "zstd" };
  const rawHeaders: Record<string, string[]> = {
    ...request.rawHeaders,
    "accept-encoding": ["zstd"],
  };
  if (request.body.length < (compression.threshold ?? REQUEST_COMPRESSION_THRESHOLD)) {
    return { ...request, headers, rawHeaders };
  }
  const body = Buffer.from(compression.zstd.zstdCompressSync(request.body));
  headers["content-encoding"] = "zstd";
  rawHeaders["content-encoding"] = ["zstd"];
  return { ...request, headers, rawHeaders, body };
}

/** Whether a discovery answer advertises zstd (restate-server reads the field at registration). */
function advertisesZstd(result: LambdaResult, body: Buffer): boolean {
  if (result.statusCode !== 200) return false;
  try {
    const manifest = JSON.parse(body.toString()) as { lambdaCompression?: unknown };
    return manifest.lambdaCompression === "zstd";
  } catch {
    // Not a manifest: the server would refuse the registration, and negotiates nothing.
    return false;
  }
}

/**
 * Serves `handler` on a loopback port, delivering events of the given shape, compressing as
 * restate-server does when `compression` is given.
 */
export async function startLambdaBridge(
  handler: LambdaHandler,
  shape: EventShape,
  compression?: BridgeCompression,
): Promise<LambdaBridge> {
  const events: LambdaEvent[] = [];
  const contexts: LambdaContext[] = [];
  const exchanges: Exchange[] = [];
  let isZstdNegotiated = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = req.url ?? "/";
      const path = url.split("?", 1)[0] ?? "/";
      const isDiscovery = path.endsWith("/discover");
      const plain: HttpRequest = {
        method: req.method ?? "GET",
        path,
        headers: flatHeaders(req.headers),
        rawHeaders: rawHeadersOf(req.rawHeaders),
        body: Buffer.concat(chunks),
      };
      // The server discovers without compression and invokes with what it negotiated.
      const request =
        compression !== undefined && isZstdNegotiated && !isDiscovery
          ? compressRequest(plain, compression)
          : plain;
      const event = lambdaEvent(shape, request);
      const deadline = Date.now() + 900_000;
      const context: LambdaContext = {
        awsRequestId: randomUUID(),
        functionName: "restate-hono-bridge",
        functionVersion: "$LATEST",
        getRemainingTimeInMillis: () => deadline - Date.now(),
      };
      events.push(event);
      contexts.push(context);
      handler(event, context).then(
        (result) => {
          const sent =
            result.isBase64Encoded === true
              ? Buffer.from(result.body, "base64")
              : Buffer.from(result.body);
          const encoding = result.headers["content-encoding"] ?? null;
          const body =
            compression !== undefined && encoding?.trim().toLowerCase() === "zstd"
              ? Buffer.from(compression.zstd.zstdDecompressSync(sent, { maxOutputLength: 2 ** 30 }))
              : sent;
          if (compression !== undefined && isDiscovery) {
            isZstdNegotiated = advertisesZstd(result, body);
          }
          exchanges.push({
            path,
            acceptEncoding: request.headers["accept-encoding"] ?? null,
            requestEncoding: request.headers["content-encoding"] ?? null,
            responseEncoding: encoding,
            status: result.statusCode,
            requestBytes: plain.body.length,
            sentRequestBytes: request.body.length,
            resultBytes: result.body.length,
            responseBytes: body.length,
          });
          const headers = { ...result.headers };
          // The body is decompressed here, so the encoding no longer describes it.
          if (body !== sent) delete headers["content-encoding"];
          res.writeHead(result.statusCode, headers);
          res.end(body);
        },
        (error: unknown) => {
          // What Lambda does with a function error: restate-server sees a failed invocation.
          res.writeHead(502, { "content-type": "application/json" });
          res.end(JSON.stringify({ errorMessage: String(error) }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    exchanges,
    contexts,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
