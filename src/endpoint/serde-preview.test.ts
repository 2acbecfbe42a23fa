// SPDX-License-Identifier: MIT
// Serde preview through every transport (Hono app, Lambda handler, Node handler) and its
// advertisement in the discovery manifest.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { Context } from "../context/types.js";
import { toServiceEntry } from "../definitions/registry.js";
import { handlers, object, service, workflow } from "../definitions/service.js";
import { msgpack } from "../serde/msgpack.js";
import { signingKey } from "./__fixtures__/signing-key.js";
import { untyped, upper } from "./__fixtures__/upper-serde.js";
import { createEndpointApp } from "./app.js";
import type { EndpointManifest } from "./discovery.js";
import { createEndpointCore } from "./endpoint-core.js";
import { createLambdaHandler } from "./lambda-handler.js";
import { createLogger } from "./logger.js";
import { createNodeHandler } from "./node-handler.js";
import type { NodeRequest, NodeResponse } from "./node-invoke.js";
import { previewMetadata } from "./serde-preview.js";
import { SERVER_HEADER } from "./version.js";

const ACCEPT = "application/vnd.restate.endpointmanifest.v4+json";
const warnings: unknown[] = [];
const logger = createLogger({
  level: "WARN",
  sink: { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} },
});

const shouter = service({
  name: "shouter",
  metadata: { team: "core" },
  handlers: {
    shout: handlers.handler({ input: upper }, async (_ctx: Context, s: string) => s),
    plain: async (_ctx: Context, s: string) => s,
    bare: handlers.handler({ output: untyped }, async () => "x"),
  },
});
const packed = object({
  name: "packed",
  options: { serde: msgpack },
  handlers: { put: async () => {} },
});
const flow = workflow({ name: "flow", handlers: { run: async () => {} } });
const services = [shouter, packed, flow].map(toServiceEntry);
const app = createEndpointApp(services, { logger });

const post = (path: string, body?: string | Uint8Array) =>
  app.request(path, { method: "POST", ...(body !== undefined ? { body } : {}) });

async function answer(res: Response) {
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    server: res.headers.get("x-restate-server"),
    body: await res.text(),
  };
}

describe("serde preview metadata in the manifest", () => {
  it("advertises each previewable serde of a service, beside the service's own metadata", async () => {
    const res = await app.request("/discover", { headers: { accept: ACCEPT } });
    const manifest = (await res.json()) as EndpointManifest;
    const [svc, obj, wf] = manifest.services;
    expect(svc?.metadata).toEqual({
      team: "core",
      "dev.restate.serde.preview.shout/input": "true",
      "dev.restate.serde.preview.bare/output": "true",
    });
    expect(obj?.metadata).toEqual({
      "dev.restate.serde.preview.put/input": "true",
      "dev.restate.serde.preview.put/output": "true",
    });
    // JSON needs no preview: nothing is advertised.
    expect(wf).not.toHaveProperty("metadata");
  });

  it("is undefined for a service whose serdes have no preview", () => {
    expect(previewMetadata(toServiceEntry(flow))).toBeUndefined();
  });
});

describe("serde preview over the Hono app", () => {
  it("decodes wire bytes into the preview's JSON text", async () => {
    expect(await answer(await post("/serdes/shouter/decode/shout/input", "HELLO"))).toEqual({
      status: 200,
      contentType: "application/json",
      server: SERVER_HEADER,
      body: '"HELLO"',
    });
  });

  it("encodes JSON text into wire bytes, with the serde's content type", async () => {
    expect(await answer(await post("/serdes/shouter/encode/shout/input", '"hello"'))).toEqual({
      status: 200,
      contentType: "text/x-upper",
      server: SERVER_HEADER,
      body: "HELLO",
    });
    const res = await post("/serdes/shouter/encode/bare/output", '"x"');
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
  });

  it("round-trips MessagePack through JSON", async () => {
    const bytes = msgpack.serialize({ n: 1, tags: ["a"] });
    const decoded = await post("/serdes/packed/decode/put/output", bytes);
    expect(JSON.parse(await decoded.text())).toEqual({ n: 1, tags: ["a"] });
    const encoded = await post("/serdes/packed/encode/put/input", '{"n":1,"tags":["a"]}');
    expect(encoded.headers.get("content-type")).toBe("application/msgpack");
    expect(new Uint8Array(await encoded.arrayBuffer())).toEqual(bytes);
  });

  it("takes an URL-encoded serde name, a trailing slash, a mount prefix and any method", async () => {
    for (const path of [
      "/serdes/shouter/decode/shout%2Finput",
      "/serdes/shouter/decode/shout/input/",
      "/restate/v1/serdes/shouter/decode/shout/input",
    ]) {
      expect(await (await post(path, "HI")).text()).toBe('"HI"');
    }
    const put = await app.request("/serdes/shouter/decode/shout/input", {
      method: "PUT",
      body: "HI",
    });
    expect(await put.text()).toBe('"HI"');
  });

  it("answers 404 with a JSON message for an unknown service", async () => {
    expect(await answer(await post("/serdes/nobody/decode/x/input", "1"))).toEqual({
      status: 404,
      contentType: "application/json",
      server: SERVER_HEADER,
      body: JSON.stringify({ message: "No service found for name: nobody" }),
    });
    expect(warnings).toContain("No service found for name: nobody");
  });

  it("answers 404 for a serde without a preview, or no serde of that name", async () => {
    const url = (serdeName: string) =>
      JSON.stringify({ type: "preview", componentName: "shouter", operation: "encode", serdeName });
    for (const name of ["plain/input", "shout/output", "nothing"]) {
      const res = await answer(await post(`/serdes/shouter/encode/${name}`, '"x"'));
      expect(res).toEqual({
        status: 404,
        contentType: "application/json",
        server: SERVER_HEADER,
        body: JSON.stringify({ message: `No previewable serde found for URL: ${url(name)}` }),
      });
    }
  });

  it("answers 422 with the error's message when a conversion fails", async () => {
    const cases = [
      ["decode", "lower", "not upper case"],
      ["encode", "{nope", "JSON"],
      ["encode", "42", "expected a JSON string"],
    ] as const;
    for (const [operation, body, message] of cases) {
      const res = await answer(await post(`/serdes/shouter/${operation}/shout/input`, body));
      expect(res).toMatchObject({ status: 422, contentType: "application/json" });
      expect((JSON.parse(res.body) as { message: string }).message).toContain(message);
    }
  });

  it("answers 500 for a serde name that is not valid URL encoding", async () => {
    const res = await answer(await post("/serdes/shouter/decode/%E0%A4%A", "X"));
    expect(res).toMatchObject({ status: 500, body: JSON.stringify({ message: "URI malformed" }) });
  });

  it("requires a signed request when identity keys are configured", async () => {
    const key = signingKey();
    const signed = createEndpointApp(services, { logger, identityKeys: [key.id] });
    const path = "/serdes/shouter/decode/shout/input";
    expect((await signed.request(path, { method: "POST", body: "HI" })).status).toBe(401);
    const ok = await signed.request(`/prefix${path}`, {
      method: "POST",
      body: "HI",
      headers: key.headers(path),
    });
    expect(await answer(ok)).toMatchObject({ status: 200, body: '"HI"' });
  });
});

describe("serde preview over the other transports", () => {
  const core = createEndpointCore(services, { logger });

  it("Lambda: the same answers, bodies base64-encoded", async () => {
    const lambda = createLambdaHandler(core);
    const event = (path: string, body: string) => ({
      path,
      httpMethod: "POST",
      headers: {},
      body: Buffer.from(body).toString("base64"),
      isBase64Encoded: true,
    });
    const ok = await lambda(event("/serdes/shouter/encode/shout/input", '"hi"'));
    expect(ok).toMatchObject({ statusCode: 200, headers: { "content-type": "text/x-upper" } });
    expect(Buffer.from(ok.body, "base64").toString()).toBe("HI");
    const bad = await lambda(event("/serdes/shouter/decode/shout/input", "hi"));
    expect(bad.statusCode).toBe(422);
  });

  it("Node: reads the whole body, then answers", async () => {
    const node = createNodeHandler(core);
    const request = Object.assign(new EventEmitter(), {
      method: "POST",
      url: "/serdes/shouter/decode/shout/input?x=1",
      headers: {},
      httpVersionMajor: 1,
      resume: () => undefined,
    }) satisfies NodeRequest;
    const written: Uint8Array[] = [];
    const head: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      const response: NodeResponse = Object.assign(new EventEmitter(), {
        writeHead: (status: number, headers: object) => head.push(status, headers) && response,
        write: (chunk: Uint8Array) => written.push(chunk) > 0,
        end: () => resolve(),
      });
      node(request, response);
    });
    request.emit("data", new TextEncoder().encode("HEL"));
    request.emit("data", new TextEncoder().encode("LO"));
    request.emit("end");
    await done;
    expect(head).toEqual([
      200,
      { "content-type": "application/json", "x-restate-server": SERVER_HEADER },
    ]);
    expect(Buffer.concat(written).toString()).toBe('"HELLO"');
  });
});
