// SPDX-License-Identifier: MIT
// The Node fast path over stand-in request/response objects (no sockets): identity is checked
// before anything is routed or started, exactly as on the Hono path.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { toServiceEntry } from "../definitions/registry.js";
import { service } from "../definitions/service.js";
import { echoRunner } from "./__fixtures__/echo-runner.js";
import { signingKey } from "./__fixtures__/signing-key.js";
import { AttemptRegistry } from "./attempt-registry.js";
import { createEndpointCore, type EndpointCore } from "./endpoint-core.js";
import { silent } from "./__fixtures__/silent-logger.js";
import { createNodeHandler } from "./node-handler.js";
import { createNodeInvoker, type NodeRequest, type NodeResponse } from "./node-invoke.js";

const CT = "application/vnd.restate.invocation.v6";
const greeter = service({
  name: "greeter",
  handlers: { greet: (_ctx, n: string) => Promise.resolve(n) },
});
const key = signingKey();

class FakeRequest extends EventEmitter implements NodeRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly httpVersionMajor = 1;
  isResumed = false;
  constructor(method: string, url: string, headers: Record<string, string>) {
    super();
    this.method = method;
    this.url = url;
    this.headers = headers;
  }
  resume(): this {
    this.isResumed = true;
    return this;
  }
}

class FakeResponse extends EventEmitter implements NodeResponse {
  status = 0;
  headers: Readonly<Record<string, string>> = {};
  body = "";
  isEnded = false;
  /** Settles when the head is written; identity checks finish off the clock, so tests await it. */
  readonly head: Promise<void>;
  /** Settles when the response ends. */
  readonly ended: Promise<void>;
  #onHead = () => {};
  #onEnd = () => {};
  constructor() {
    super();
    this.head = new Promise((resolve) => (this.#onHead = resolve));
    this.ended = new Promise((resolve) => (this.#onEnd = resolve));
  }
  writeHead(status: number, headers: Readonly<Record<string, string>>): this {
    this.status = status;
    this.headers = headers;
    this.#onHead();
    return this;
  }
  write(chunk: Uint8Array): boolean {
    this.body += new TextDecoder().decode(chunk);
    return true;
  }
  end(body = ""): this {
    this.body += body;
    this.isEnded = true;
    this.#onEnd();
    return this;
  }
}

function setup(identityKeys: string[]) {
  const recording = echoRunner();
  const core = createEndpointCore([toServiceEntry(greeter)], {
    identityKeys,
    logger: silent,
    runner: recording.runner,
  });
  return { invoke: createNodeInvoker(core), started: recording.started };
}

describe("Node fast path", () => {
  it("runs unsigned invocations synchronously when no keys are configured", () => {
    const { invoke, started } = setup([]);
    const req = new FakeRequest("POST", "/invoke/greeter/greet?x=1", { "content-type": CT });
    const res = new FakeResponse();
    expect(invoke(req, res)).toBe(true);
    expect(started).toHaveLength(1);
    req.emit("data", new TextEncoder().encode("abc"));
    req.emit("end");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe(CT);
    expect(res.body).toBe("greeter/greet v6\nabc|end");
    expect(res.isEnded).toBe(true);
  });

  it("leaves everything but well-formed invocations of known handlers to its caller", () => {
    const { invoke, started } = setup([]);
    for (const [method, url, type] of [
      ["GET", "/discover", undefined],
      ["POST", "/invoke/nobody/greet", CT],
      ["POST", "/invoke/greeter/greet", "application/json"],
      ["GET", "/invoke/greeter/greet", CT],
    ] as const) {
      const headers: Record<string, string> = type === undefined ? {} : { "content-type": type };
      expect(invoke(new FakeRequest(method, url, headers), new FakeResponse())).toBe(false);
    }
    expect(started).toHaveLength(0);
  });

  it("answers an unsigned invocation with 401 and starts nothing", async () => {
    const { invoke, started } = setup([key.id]);
    const req = new FakeRequest("POST", "/invoke/greeter/greet", { "content-type": CT });
    const res = new FakeResponse();
    expect(invoke(req, res)).toBe(true);
    await res.ended;
    expect(res.status).toBe(401);
    expect(res.body).toContain("x-restate-signature-scheme");
    expect(req.isResumed).toBe(true);
    expect(started).toHaveLength(0);
  });

  it("answers a token for another handler with 401", async () => {
    const { invoke, started } = setup([key.id]);
    const headers = { "content-type": CT, ...key.headers("/invoke/greeter/other") };
    const res = new FakeResponse();
    invoke(new FakeRequest("POST", "/invoke/greeter/greet", headers), res);
    await res.ended;
    expect(res.status).toBe(401);
    expect(started).toHaveLength(0);
  });

  it("runs a signed invocation once verified, with the body read only then", async () => {
    const { invoke, started } = setup([key.id]);
    const headers = { "content-type": CT, ...key.headers("/invoke/greeter/greet") };
    const req = new FakeRequest("POST", "/prefix/invoke/greeter/greet", headers);
    const res = new FakeResponse();
    expect(invoke(req, res)).toBe(true);
    expect(started).toHaveLength(0);
    expect(req.listenerCount("data")).toBe(0);
    await res.head;
    expect(started).toHaveLength(1);
    req.emit("data", new TextEncoder().encode("x"));
    req.emit("end");
    expect(res.status).toBe(200);
    expect(res.body).toBe("greeter/greet v6\nx|end");
  });
});

describe("Node request handler (restate-hono/node)", () => {
  function handlerFor(identityKeys: string[], bidirectional?: boolean) {
    const recording = echoRunner();
    const core = createEndpointCore([toServiceEntry(greeter)], {
      identityKeys,
      logger: silent,
      runner: recording.runner,
    });
    return { handle: createNodeHandler(core, bidirectional), started: recording.started };
  }

  it("answers discovery in the mode of the HTTP version, or the one forced", () => {
    for (const [forced, expected] of [
      [undefined, "REQUEST_RESPONSE"],
      [true, "BIDI_STREAM"],
    ] as const) {
      const res = new FakeResponse();
      const accept = "application/vnd.restate.endpointmanifest.v4+json";
      handlerFor([], forced).handle(new FakeRequest("GET", "/discover", { accept }), res);
      expect(res.status).toBe(200);
      expect((JSON.parse(res.body) as { protocolMode: string }).protocolMode).toBe(expected);
    }
  });

  it("answers health, refusals and invocations", () => {
    const { handle, started } = handlerFor([]);
    const health = new FakeResponse();
    handle(new FakeRequest("GET", "/health", {}), health);
    expect([health.status, health.body]).toEqual([200, "OK"]);
    const missing = new FakeResponse();
    handle(new FakeRequest("POST", "/invoke/nobody/x", { "content-type": CT }), missing);
    expect(missing.status).toBe(404);
    const req = new FakeRequest("POST", "/invoke/greeter/greet", { "content-type": CT });
    const res = new FakeResponse();
    handle(req, res);
    req.emit("end");
    expect(res.body).toBe("greeter/greet v6\n|end");
    expect(started).toHaveLength(1);
  });

  it("with listen()'s attempt registry: tracks invocations, 503 while draining, serves the rest", () => {
    const recording = echoRunner();
    const core = createEndpointCore([toServiceEntry(greeter)], {
      logger: silent,
      runner: recording.runner,
    });
    const attempts = new AttemptRegistry();
    const handle = createNodeHandler(core, undefined, attempts);
    const running = new FakeRequest("POST", "/invoke/greeter/greet", { "content-type": CT });
    handle(running, new FakeResponse());
    expect(recording.started).toHaveLength(1);
    void attempts.drain();
    const late = new FakeRequest("POST", "/invoke/greeter/greet", { "content-type": CT });
    const refused = new FakeResponse();
    handle(late, refused);
    expect([refused.status, refused.body, late.isResumed]).toEqual([503, "Shutting down", true]);
    expect(recording.started).toHaveLength(1);
    const health = new FakeResponse();
    handle(new FakeRequest("GET", "/health", {}), health);
    expect([health.status, health.body]).toEqual([200, "OK"]);
  });

  it("answers a throw while serving discovery with the Hono app's 500, logged", () => {
    const logged: unknown[][] = [];
    const real = createEndpointCore([toServiceEntry(greeter)], { logger: silent });
    const core: EndpointCore = {
      ...real,
      logger: { ...silent, error: (...args: unknown[]) => void logged.push(args) },
      discover: () => {
        throw new Error("manifest bug");
      },
    };
    const req = new FakeRequest("GET", "/discover", {});
    const res = new FakeResponse();
    createNodeHandler(core)(req, res);
    expect([res.status, res.body, res.isEnded]).toEqual([
      500,
      "Internal error: manifest bug",
      true,
    ]);
    expect(logged).toHaveLength(1);
  });

  it("answers every unsigned request but health with 401", async () => {
    const { handle, started } = handlerFor([key.id]);
    for (const [method, url] of [
      ["GET", "/discover"],
      ["POST", "/invoke/nobody/x"],
      ["POST", "/invoke/greeter/greet"],
    ] as const) {
      const res = new FakeResponse();
      handle(new FakeRequest(method, url, { "content-type": CT }), res);
      await res.ended;
      expect(res.status, url).toBe(401);
    }
    expect(started).toHaveLength(0);
    const health = new FakeResponse();
    handle(new FakeRequest("GET", "/health", {}), health);
    expect(health.status).toBe(200);
  });
});

describe("a failing identity check on the Node paths", () => {
  function failingCore(logged: unknown[][]) {
    const core = createEndpointCore([toServiceEntry(greeter)], {
      identityKeys: [key.id],
      logger: silent,
      runner: echoRunner().runner,
    });
    return {
      ...core,
      logger: { ...silent, error: (...args: unknown[]) => void logged.push(args) },
      authorize: () => Promise.reject(new Error("key store gone")),
    };
  }

  it("is logged and answered 500 with the Hono app's text, the body drained, nothing started", async () => {
    const logged: unknown[][] = [];
    const core = failingCore(logged);
    const paths = { invoker: createNodeInvoker(core), handler: createNodeHandler(core) };
    for (const [name, serve] of Object.entries(paths)) {
      const req = new FakeRequest("POST", "/invoke/greeter/greet", { "content-type": CT });
      const res = new FakeResponse();
      serve(req, res);
      await res.ended;
      expect([res.isEnded, res.status, res.body, req.isResumed], name).toEqual([
        true,
        500,
        "Internal error: key store gone",
        true,
      ]);
      expect(res.headers["x-restate-server"], name).toMatch(/^restate-hono\//);
    }
    expect(logged.map(([message]) => message)).toEqual([
      "Unexpected endpoint error",
      "Unexpected endpoint error",
    ]);
  });
});
