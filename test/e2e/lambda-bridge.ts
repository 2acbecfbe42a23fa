// SPDX-License-Identifier: MIT
// A stand-in for AWS Lambda: an HTTP server that turns each request from restate-server into the
// event a Lambda function would receive, calls the handler in-process, and turns its result back
// into an HTTP response, reading only what restate-server and API Gateway read (`statusCode`,
// `headers`, `body`, `isBase64Encoded`).
import { randomUUID } from "node:crypto";
import http from "node:http";
import type net from "node:net";
import type { LambdaEvent, LambdaHandler } from "../../src/lambda.js";

/** Which service delivers the event. */
export type EventShape =
  "restate-server" | "api-gateway-rest" | "api-gateway-http" | "function-url";

export interface LambdaBridge {
  readonly url: string;
  /** Every event delivered, in order. */
  readonly events: LambdaEvent[];
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

/** Serves `handler` on a loopback port, delivering events of the given shape. */
export async function startLambdaBridge(
  handler: LambdaHandler,
  shape: EventShape,
): Promise<LambdaBridge> {
  const events: LambdaEvent[] = [];
  const contexts: LambdaContext[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = req.url ?? "/";
      const event = lambdaEvent(shape, {
        method: req.method ?? "GET",
        path: url.split("?", 1)[0] ?? "/",
        headers: flatHeaders(req.headers),
        rawHeaders: rawHeadersOf(req.rawHeaders),
        body: Buffer.concat(chunks),
      });
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
          const body =
            result.isBase64Encoded === true
              ? Buffer.from(result.body, "base64")
              : Buffer.from(result.body);
          res.writeHead(result.statusCode, result.headers);
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
    contexts,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
