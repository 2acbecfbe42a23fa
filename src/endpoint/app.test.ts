// SPDX-License-Identifier: MIT
import { generateKeyPairSync, sign } from "node:crypto";
import { Hono } from "hono";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { InvocationParams, InvocationSink } from "../context/invocation.js";
import { toServiceEntry } from "../definitions/registry.js";
import { object, service } from "../definitions/service.js";
import { createEndpointApp } from "./app.js";
import { createLogger } from "./logger.js";
import { SERVER_HEADER } from "./version.js";

// A stand-in runner that echoes: one line naming the attempt, then every input chunk, then "end".
const runner = vi.hoisted(() => {
  const started: InvocationParams[] = [];
  const encoder = new TextEncoder();
  function startInvocation(params: InvocationParams, sink: InvocationSink) {
    started.push(params);
    const { service, name } = params.handler;
    sink.write(encoder.encode(`${service}/${name} v${params.protocolVersion} ${params.mode}\n`));
    return {
      push: (chunk: Uint8Array) => sink.write(chunk),
      end: () => {
        sink.write(encoder.encode("|end"));
        sink.end();
      },
      abort: () => sink.end(),
    };
  }
  return { started, startInvocation };
});
vi.mock("../context/invocation.js", () => ({ startInvocation: runner.startInvocation }));

const ct = (v: number) => `application/vnd.restate.invocation.v${v}`;
const HTTP2_ENV = { incoming: { httpVersionMajor: 2 } };

const greeter = service({
  name: "greeter",
  handlers: { greet: (_ctx, n: string) => Promise.resolve(n) },
});
const counter = object({ name: "counter", handlers: { add: async () => {} } });
const silent = createLogger({
  level: "ERROR",
  sink: { debug() {}, info() {}, warn() {}, error() {} },
});
const app = createEndpointApp([greeter, counter].map(toServiceEntry), { logger: silent });

function invoke(path: string, contentType?: string, body = "frames", env?: object) {
  const headers: Record<string, string> = { "x-restate-invocation-id": "inv_1" };
  if (contentType !== undefined) headers["content-type"] = contentType;
  return app.request(path, { method: "POST", headers, body }, env);
}

beforeEach(() => {
  runner.started.length = 0;
});

describe("invoke", () => {
  it.each([5, 6])("answers v%i with 200 and exactly the request's content type", async (v) => {
    const res = await invoke("/invoke/greeter/greet", ct(v));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(ct(v));
    expect(await res.text()).toBe(`greeter/greet v${v} request-response\nframes|end`);
  });

  it("passes the handler, attempt headers and mode to the runner", async () => {
    await (await invoke("/invoke/counter/add", ct(6), "x", HTTP2_ENV)).text();
    const [params] = runner.started;
    expect(params?.handler.name).toBe("add");
    expect(params?.handler.serviceKind).toBe("object");
    expect(params?.mode).toBe("bidi");
    expect(params?.attemptHeaders.get("x-restate-invocation-id")).toBe("inv_1");
    expect(params?.logger).toBe(silent);
  });

  it.each([
    ["missing", undefined],
    ["v4", ct(4)],
    ["v8", ct(8)],
    ["json", "application/json"],
  ])("answers a %s content type with 415 before looking up the service", async (_, type) => {
    const res = await invoke("/invoke/nope/nope", type);
    expect(res.status).toBe(415);
    expect(await res.text()).toContain(ct(5));
    expect(runner.started).toHaveLength(0);
  });

  it("accepts a content type with different case and parameters", async () => {
    const res = await invoke("/invoke/greeter/greet", "Application/Vnd.Restate.Invocation.V6; x=1");
    expect(res.status).toBe(200);
  });

  it("answers an unknown service or handler with 404 naming it", async () => {
    const noService = await invoke("/invoke/nobody/greet", ct(6));
    expect(noService.status).toBe(404);
    expect(await noService.text()).toContain('"nobody"');
    const noHandler = await invoke("/invoke/greeter/shout", ct(6));
    expect(noHandler.status).toBe(404);
    expect(await noHandler.text()).toContain('"shout"');
  });

  it("answers other methods with 405", async () => {
    const res = await app.request("/invoke/greeter/greet", { headers: { "content-type": ct(6) } });
    expect(res.status).toBe(405);
  });
});

describe("routing", () => {
  it("answers health with 200 OK", async () => {
    const res = await app.request("/health");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("OK");
  });

  it("answers unknown paths with 404", async () => {
    expect((await app.request("/discovery")).status).toBe(404);
    expect((await app.request("/")).status).toBe(404);
  });

  it("works mounted under a prefix in a user's Hono app", async () => {
    const user = new Hono();
    user.get("/", (c) => c.text("user root"));
    user.route("/restate", app);
    const res = await user.request("/restate/invoke/greeter/greet", {
      method: "POST",
      headers: { "content-type": ct(6) },
      body: "b",
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("greeter/greet v6 request-response\nb|end");
    expect((await user.request("/restate/health")).status).toBe(200);
    const discovery = await user.request("/restate/discover", {
      headers: { accept: "application/vnd.restate.endpointmanifest.v4+json" },
    });
    expect(discovery.status).toBe(200);
    expect(await (await user.request("/")).text()).toBe("user root");
  });

  it("works behind a proxy prefix (deployment registered as http://host/prefix)", async () => {
    expect((await invoke("/some/prefix/invoke/greeter/greet", ct(5))).status).toBe(200);
  });

  it("sends x-restate-server on every response", async () => {
    const responses = await Promise.all([
      invoke("/invoke/greeter/greet", ct(6)),
      invoke("/invoke/greeter/greet"),
      invoke("/invoke/nobody/x", ct(6)),
      app.request("/invoke/greeter/greet"),
      app.request("/health"),
      app.request("/nowhere"),
      app.request("/discover"),
      app.request("/discover", {
        headers: { accept: "application/vnd.restate.endpointmanifest.v4+json" },
      }),
    ]);
    for (const res of responses)
      expect(res.headers.get("x-restate-server"), res.url).toBe(SERVER_HEADER);
  });
});

describe("request identity", () => {
  const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  const base58 = (bytes: Uint8Array) => {
    let n = BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
    let out = "";
    for (; n > 0n; n /= 58n) out = BASE58[Number(n % 58n)]! + out;
    for (const b of bytes)
      if (b === 0) out = `1${out}`;
      else break;
    return out;
  };
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const keyId = `publickeyv1_${base58(raw)}`;
  const jwt = (aud: string) => {
    const now = Math.floor(Date.now() / 1000);
    const part = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const input = `${part({ typ: "JWT", alg: "EdDSA", kid: keyId })}.${part({ aud, iat: now, nbf: now - 60, exp: now + 60 })}`;
    return `${input}.${sign(null, Buffer.from(input), privateKey).toString("base64url")}`;
  };
  const signed = createEndpointApp([toServiceEntry(greeter)], {
    identityKeys: [keyId],
    logger: silent,
  });
  const mounted = new Hono().route("/restate", signed);

  it("answers unsigned invocations and discovery with 401 and the reason", async () => {
    const res = await signed.request("/invoke/greeter/greet", {
      method: "POST",
      headers: { "content-type": ct(6) },
      body: "",
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("x-restate-signature-scheme");
    expect(res.headers.get("x-restate-server")).toBe(SERVER_HEADER);
    expect(runner.started).toHaveLength(0);
    expect(
      (
        await signed.request("/discover", {
          headers: { accept: "application/vnd.restate.endpointmanifest.v4+json" },
        })
      ).status,
    ).toBe(401);
  });

  it("accepts signed requests, also under a prefix; health is never checked", async () => {
    const headers = { "content-type": ct(6), "x-restate-signature-scheme": "v1" };
    const res = await mounted.request("/restate/invoke/greeter/greet", {
      method: "POST",
      headers: { ...headers, "x-restate-jwt-v1": jwt("/invoke/greeter/greet") },
      body: "",
    });
    expect(res.status).toBe(200);
    const discovery = await signed.request("/discover", {
      headers: {
        accept: "application/vnd.restate.endpointmanifest.v4+json",
        "x-restate-signature-scheme": "v1",
        "x-restate-jwt-v1": jwt("/discover"),
      },
    });
    expect(discovery.status).toBe(200);
    const wrongAud = await signed.request("/invoke/greeter/greet", {
      method: "POST",
      headers: { ...headers, "x-restate-jwt-v1": jwt("/discover") },
      body: "",
    });
    expect(wrongAud.status).toBe(401);
    expect((await signed.request("/health")).status).toBe(200);
  });
});
