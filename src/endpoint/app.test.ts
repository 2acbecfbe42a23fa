// SPDX-License-Identifier: MIT
import { Hono } from "hono";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { toServiceEntry } from "../definitions/registry.js";
import { object, service } from "../definitions/service.js";
import { echoRunner } from "./__fixtures__/echo-runner.js";
import { signingKey } from "./__fixtures__/signing-key.js";
import { createEndpointApp } from "./app.js";
import { silent } from "./__fixtures__/silent-logger.js";
import { SERVER_HEADER } from "./version.js";

const runner = echoRunner();

const ct = (v: number) => `application/vnd.restate.invocation.v${v}`;
const HTTP2_ENV = { incoming: { httpVersionMajor: 2 } };

const greeter = service({
  name: "greeter",
  handlers: { greet: (_ctx, n: string) => Promise.resolve(n) },
});
const counter = object({ name: "counter", handlers: { add: async () => {} } });
const app = createEndpointApp([greeter, counter].map(toServiceEntry), {
  logger: silent,
  runner: runner.runner,
});

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
    expect(await res.text()).toBe(`greeter/greet v${v}\nframes|end`);
  });

  it("passes the handler and attempt headers to the runner", async () => {
    await (await invoke("/invoke/counter/add", ct(6), "x", HTTP2_ENV)).text();
    const [params] = runner.started;
    expect(params?.handler.name).toBe("add");
    expect(params?.handler.serviceKind).toBe("object");
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
    expect(await res.text()).toBe("greeter/greet v6\nb|end");
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
  // Tokens are signed and checked against the same faked wall clock, so no test depends on the
  // real one and the expiry window can be crossed without waiting.
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-01-01T00:00:00Z") });
  });
  afterAll(() => {
    vi.useRealTimers();
  });
  const key = signingKey();
  const keyId = key.id;
  const jwt = (aud: string) => key.headers(aud)["x-restate-jwt-v1"]!;
  const signed = createEndpointApp([toServiceEntry(greeter)], {
    identityKeys: [keyId],
    logger: silent,
    runner: runner.runner,
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

  it.each([
    ["a known handler", "POST", "/invoke/greeter/greet", ct(6)],
    ["an unknown service (404 unsigned)", "POST", "/invoke/nobody/greet", ct(6)],
    ["an unknown handler (404 unsigned)", "POST", "/invoke/greeter/shout", ct(6)],
    ["an unaccepted version (415 unsigned)", "POST", "/invoke/greeter/greet", ct(8)],
    ["no content type (415 unsigned)", "POST", "/invoke/nobody/greet", undefined],
    ["the wrong method (405 unsigned)", "GET", "/invoke/greeter/greet", ct(6)],
    ["discovery with the wrong method", "POST", "/discover", undefined],
    ["an unknown path (404 unsigned)", "GET", "/nowhere", undefined],
    ["a handler named health", "POST", "/invoke/greeter/health", ct(6)],
  ])(
    "answers an unsigned request for %s with 401, revealing nothing",
    async (_, method, path, type) => {
      const headers: Record<string, string> = type === undefined ? {} : { "content-type": type };
      for (const target of [signed, mounted]) {
        const prefix = target === mounted ? "/restate" : "";
        const res = await target.request(`${prefix}${path}`, {
          method,
          headers,
          ...(method === "POST" ? { body: "" } : {}),
        });
        expect(res.status).toBe(401);
        expect(await res.text()).not.toMatch(/greeter|nobody|shout|accepts|allow/i);
      }
      expect(runner.started).toHaveLength(0);
    },
  );

  it("checks the signature before the route with a token for another path", async () => {
    const res = await signed.request("/invoke/nobody/greet", {
      method: "POST",
      headers: {
        "content-type": ct(6),
        "x-restate-signature-scheme": "v1",
        "x-restate-jwt-v1": jwt("/invoke/greeter/greet"),
      },
      body: "",
    });
    expect(res.status).toBe(401);
    const own = await signed.request("/invoke/nobody/greet", {
      method: "POST",
      headers: {
        "content-type": ct(6),
        "x-restate-signature-scheme": "v1",
        "x-restate-jwt-v1": jwt("/invoke/nobody/greet"),
      },
      body: "",
    });
    expect(own.status).toBe(404);
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

  it("refuses a token once its expiry has passed", async () => {
    const headers = {
      "content-type": ct(6),
      "x-restate-signature-scheme": "v1",
      "x-restate-jwt-v1": jwt("/invoke/greeter/greet"),
    };
    const send = () =>
      signed.request("/invoke/greeter/greet", { method: "POST", headers, body: "" });
    expect((await send()).status).toBe(200);
    vi.setSystemTime(Date.now() + 61_000);
    const late = await send();
    expect(late.status).toBe(401);
    expect(await late.text()).toContain("expired");
  });
});
