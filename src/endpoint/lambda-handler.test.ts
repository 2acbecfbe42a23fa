// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { service } from "../definitions/service.js";
import { echoRunner } from "./__fixtures__/echo-runner.js";
import { signingKey } from "./__fixtures__/signing-key.js";
import { withRunner } from "./endpoint-builder.js";
import { fromBase64, toBase64, toLambdaRequest } from "./lambda-event.js";
import { LambdaEndpoint } from "./lambda-handler.js";
import { silent } from "./__fixtures__/silent-logger.js";
import { SERVER_HEADER } from "./version.js";

const CT = "application/vnd.restate.invocation.v6";
const MANIFEST = "application/vnd.restate.endpointmanifest.v4+json";
const greeter = service({
  name: "greeter",
  handlers: { greet: (_ctx, n: string) => Promise.resolve(n) },
});
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Exactly what restate-server 1.7 sends to a Lambda deployment (`ApiGatewayProxyRequest`). */
function serverEvent(method: string, path: string, headers: Record<string, string>, body = "") {
  return {
    path,
    httpMethod: method,
    headers,
    body: Buffer.from(body).toString("base64"),
    isBase64Encoded: true,
  };
}

/** API Gateway HTTP API / function URL (payload format 2.0). */
function v2Event(method: string, path: string, headers: Record<string, string>, body: string) {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers,
    requestContext: { http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1" } },
    body: Buffer.from(body).toString("base64"),
    isBase64Encoded: true,
  };
}

function setup(identityKeys: string[] = []) {
  const recording = echoRunner();
  const restate = withRunner(new LambdaEndpoint(), recording.runner)
    .bind(greeter)
    .setLogger(silent);
  if (identityKeys.length > 0) restate.withIdentityV1(...identityKeys);
  return { handler: restate.handler(), started: recording.started };
}

describe("toLambdaRequest", () => {
  it("reads restate-server's payload: path, httpMethod, headers, base64 body", () => {
    const request = toLambdaRequest(
      serverEvent("POST", "/invoke/greeter/greet", { "content-type": CT }, "\u0000frames"),
    );
    expect(request).toMatchObject({ method: "POST", path: "/invoke/greeter/greet" });
    if (typeof request === "string") throw new Error(request);
    expect(request.headers.get("content-type")).toBe(CT);
    expect(text(request.body)).toBe("\u0000frames");
  });

  it("reads API Gateway REST events: header case, multi-value headers, a text body", () => {
    const request = toLambdaRequest({
      resource: "/{proxy+}",
      path: "/restate/discover",
      httpMethod: "get",
      headers: { Accept: MANIFEST },
      multiValueHeaders: { Accept: [MANIFEST], "X-Many": ["a", "b"] },
      body: "plain",
      isBase64Encoded: false,
    });
    if (typeof request === "string") throw new Error(request);
    expect(request.method).toBe("GET");
    expect(request.path).toBe("/restate/discover");
    expect(request.headers.get("accept")).toBe(MANIFEST);
    expect(request.headers.get("x-many")).toBe("a, b");
    expect(text(request.body)).toBe("plain");
  });

  it("reads HTTP API and function URL events (format 2.0) and a missing body", () => {
    const request = toLambdaRequest(v2Event("POST", "/invoke/greeter/greet", {}, "x"));
    expect(request).toMatchObject({ method: "POST", path: "/invoke/greeter/greet" });
    const empty = toLambdaRequest({
      version: "2.0",
      rawPath: "/health",
      requestContext: { http: { method: "GET" } },
      headers: {},
    });
    if (typeof empty === "string") throw new Error(empty);
    expect(empty.body).toHaveLength(0);
  });

  it("says what is missing from an event that is not HTTP", () => {
    expect(toLambdaRequest({ path: "/x" })).toMatch(/no HTTP method/);
    expect(
      toLambdaRequest({ version: "2.0", requestContext: { http: { method: "GET" } } }),
    ).toMatch(/no path/);
  });

  it("round-trips base64 of every byte value and of large bodies", () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) & 0xff);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
    expect(Buffer.compare(fromBase64(toBase64(bytes)), bytes)).toBe(0);
  });
});

describe("Lambda handler", () => {
  it("answers discovery in REQUEST_RESPONSE mode, headers in `headers`, body base64", async () => {
    const { handler } = setup();
    const result = await handler(serverEvent("GET", "/discover", { accept: MANIFEST }));
    expect(result.statusCode).toBe(200);
    expect(result.isBase64Encoded).toBe(true);
    expect(result.headers["content-type"]).toBe(MANIFEST);
    expect(result.headers["x-restate-server"]).toBe(SERVER_HEADER);
    const manifest = JSON.parse(text(fromBase64(result.body))) as { protocolMode: string };
    expect(manifest.protocolMode).toBe("REQUEST_RESPONSE");
  });

  it.each([
    ["restate-server", serverEvent("POST", "/invoke/greeter/greet", { "content-type": CT }, "in")],
    ["an HTTP API", v2Event("POST", "/invoke/greeter/greet", { "content-type": CT }, "in")],
  ])("runs an invocation from %s and passes the Lambda context on", async (_, event) => {
    const { handler, started } = setup();
    const context = { awsRequestId: "req-1" };
    const result = await handler(event, context);
    expect(result.statusCode).toBe(200);
    expect(result.headers["content-type"]).toBe(CT);
    expect(text(fromBase64(result.body))).toBe("greeter/greet v6\nin|end");
    expect(started[0]?.extraArgs).toEqual([context]);
    expect(started[0]?.attemptHeaders.get("content-type")).toBe(CT);
  });

  it("answers routing errors and health like the other transports", async () => {
    const { handler } = setup();
    const missing = await handler(serverEvent("POST", "/invoke/nobody/x", { "content-type": CT }));
    expect(missing.statusCode).toBe(404);
    expect(text(fromBase64(missing.body))).toContain('"nobody"');
    expect((await handler(serverEvent("GET", "/health", {}))).statusCode).toBe(200);
    expect((await handler({ path: "/x" })).statusCode).toBe(400);
  });

  it("refuses a body in an encoding restate-server never uses", async () => {
    const { handler, started } = setup();
    const headers = { "content-type": CT, "content-encoding": "gzip" };
    const result = await handler(serverEvent("POST", "/invoke/greeter/greet", headers, "z"));
    expect(result.statusCode).toBe(415);
    expect(started).toHaveLength(0);
  });

  it("checks request identity before routing", async () => {
    const key = signingKey();
    const { handler, started } = setup([key.id]);
    for (const path of ["/invoke/greeter/greet", "/invoke/nobody/x", "/discover", "/nowhere"]) {
      const result = await handler(serverEvent("POST", path, { "content-type": CT }));
      expect(result.statusCode, path).toBe(401);
    }
    expect(started).toHaveLength(0);
    const headers = { "content-type": CT, ...key.headers("/invoke/greeter/greet") };
    const signed = await handler(serverEvent("POST", "/invoke/greeter/greet", headers, "s"));
    expect(signed.statusCode).toBe(200);
    expect((await handler(serverEvent("GET", "/health", {}))).statusCode).toBe(200);
  });

  it("gives the attempt the Lambda context's request id for the logger's additionalContext", async () => {
    const { handler, started } = setup();
    const path = "/invoke/greeter/greet";
    await handler(serverEvent("POST", path, { "content-type": CT }, "a"), {
      awsRequestId: "req-7",
    });
    await handler(serverEvent("POST", path, { "content-type": CT }, "b"), {});
    expect(started.map((p) => p.additionalLogContext)).toEqual([
      { AWSRequestId: "req-7" },
      undefined,
    ]);
    expect(started[0]!.extraArgs).toEqual([{ awsRequestId: "req-7" }]);
  });
});
