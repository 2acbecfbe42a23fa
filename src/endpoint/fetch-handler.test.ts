// SPDX-License-Identifier: MIT
// The Hono-free fetch handler (createEndpointHandler / createFetchHandler) answers every request
// exactly as the Hono app of `endpoint().app()` does: both are served from one endpoint core and
// their answers compared status, headers and body.
import { describe, expect, it } from "vitest";
import { handlers, service } from "../definitions/service.js";
import { upper } from "./__fixtures__/upper-serde.js";
import { echoRunner } from "./__fixtures__/echo-runner.js";
import { signingKey } from "./__fixtures__/signing-key.js";
import { createCoreApp } from "./app.js";
import { EndpointBuilder, endpointCore, withRunner } from "./endpoint-builder.js";
import type { EndpointCore } from "./endpoint-core.js";
import { ExtraArgs } from "./extra-args.js";
import { createCoreFetchHandler } from "./fetch-handler.js";
import { createLogger } from "./logger.js";

const greeter = service({
  name: "greeter",
  handlers: {
    greet: (_ctx, n: string) => Promise.resolve(n),
    shout: handlers.handler({ input: upper, output: upper }, (_ctx, n: string) =>
      Promise.resolve(n),
    ),
  },
});

const V5 = "application/vnd.restate.invocation.v5";

interface Answer {
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: string;
}

async function answerOf(response: Response): Promise<Answer> {
  return { status: response.status, headers: [...response.headers], body: await response.text() };
}

interface Pair {
  readonly core: EndpointCore;
  readonly started: ReturnType<typeof echoRunner>["started"];
  readonly logged: unknown[][];
}

function pair(configure: (builder: EndpointBuilder) => EndpointBuilder = (b) => b): Pair {
  const { runner, started } = echoRunner();
  const logged: unknown[][] = [];
  const logger = createLogger({
    level: "ERROR",
    sink: { debug() {}, info() {}, warn() {}, error: (...args) => logged.push(args) },
  });
  const builder = configure(withRunner(new EndpointBuilder().bind(greeter), runner));
  return { core: endpointCore(builder.setLogger(logger)), started, logged };
}

/** The same request (built twice: a body is read once) through both, answers compared. */
async function both(
  core: EndpointCore,
  request: () => Request,
  bidirectional?: boolean,
): Promise<Answer> {
  const plain = createCoreFetchHandler(core, bidirectional);
  const app = createCoreApp(core, bidirectional ?? false);
  const ours = await answerOf(await plain(request()));
  const hono = await answerOf(await app.fetch(request(), new ExtraArgs([])));
  expect(ours).toEqual(hono);
  return ours;
}

const get =
  (path: string, init: RequestInit = {}) =>
  () =>
    new Request(`http://localhost${path}`, init);
const post =
  (path: string, contentType = V5, body = "x") =>
  () =>
    new Request(`http://localhost${path}`, {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    });

describe("createCoreFetchHandler answers as the Hono app", () => {
  const { core } = pair();

  it("discovery, in both modes and for each accepted manifest version", async () => {
    const v3 = { headers: { accept: "application/vnd.restate.endpointmanifest.v3+json" } };
    expect((await both(core, get("/discover", v3))).body).toContain("REQUEST_RESPONSE");
    expect((await both(core, get("/discover", v3), true)).body).toContain("BIDI_STREAM");
    expect((await both(core, get("/discover?x=1", v3))).status).toBe(200);
    expect((await both(core, get("/discover"))).status).toBe(415);
    await both(core, get("/discover", { headers: { accept: "x/y" } }));
  });

  it("invocations, and the refusals of bad ones", async () => {
    expect(await both(core, post("/invoke/greeter/greet"))).toMatchObject({
      status: 200,
      body: "greeter/greet v5\nx|end",
    });
    expect((await both(core, post("/prefix/invoke/greeter/greet"))).status).toBe(200);
    expect((await both(core, post("/invoke/greeter/greet", "text/plain"))).status).toBe(415);
    expect((await both(core, post("/invoke/nobody/greet"))).status).toBe(404);
    expect((await both(core, get("/invoke/greeter/greet", { method: "PUT" }))).status).toBe(405);
  });

  it("reads the path as Hono does: percent-decoded, query and fragment dropped", async () => {
    expect((await both(core, post("/invoke/gr%65eter/greet"))).status).toBe(200);
    expect((await both(core, post("/invoke/greeter/greet?a=%20#f"))).status).toBe(200);
    for (const path of ["/invoke/gr%25eeter/greet", "/invoke/%zz/greet", "/a%2Fb/health"]) {
      await both(core, post(path));
    }
  });

  it("HEAD is answered as GET, without a body", async () => {
    expect(await both(core, get("/health", { method: "HEAD" }))).toMatchObject({
      status: 200,
      body: "",
    });
    expect((await both(core, get("/discover", { method: "HEAD" }))).status).toBe(405);
    expect((await both(core, get("/elsewhere", { method: "HEAD" }))).status).toBe(404);
  });

  it("health, unknown paths and serde previews", async () => {
    expect((await both(core, get("/health"))).body).toBe("OK");
    expect((await both(core, get("/"))).status).toBe(404);
    const encode = post("/serdes/greeter/encode/shout/input", "application/json", '"hi"');
    expect(await both(core, encode)).toMatchObject({ status: 200, body: "HI" });
    expect((await both(core, post("/serdes/greeter/encode/nothing/input"))).status).toBe(404);
  });
});

describe("createCoreFetchHandler", () => {
  it("checks the request identity before anything else, as the app does", async () => {
    const key = signingKey();
    const { core } = pair((b) => b.withIdentityV1(key.id));
    expect((await both(core, post("/invoke/greeter/greet"))).status).toBe(401);
    expect((await both(core, get("/discover"))).status).toBe(401);
    expect((await both(core, get("/health"))).status).toBe(200);
    const signed = () =>
      new Request("http://localhost/invoke/greeter/greet", {
        method: "POST",
        headers: { "content-type": V5, ...key.headers("/invoke/greeter/greet") },
        body: "x",
      });
    expect((await both(core, signed)).status).toBe(200);
  });

  it("answers an unexpected error with a logged 500, HEAD without its body", async () => {
    const { core, logged } = pair();
    const broken: EndpointCore = {
      ...core,
      parse: () => {
        throw new Error("boom");
      },
    };
    expect(await both(broken, get("/health"))).toMatchObject({
      status: 500,
      body: "Internal error: boom",
    });
    expect(await both(broken, get("/health", { method: "HEAD" }))).toMatchObject({
      status: 500,
      body: "",
    });
    expect(logged).toHaveLength(4);
    expect(logged[0]?.join(" ")).toContain("Unexpected endpoint error");
  });

  it("hands the runtime's extra arguments to the invocation", async () => {
    const { core, started } = pair();
    const handler = createCoreFetchHandler(core);
    const env = { GREETING: "hi" };
    const executionCtx = { waitUntil() {} };
    await (await handler(post("/invoke/greeter/greet")(), env, executionCtx)).text();
    expect(started.at(-1)?.extraArgs).toEqual([env, executionCtx]);
    expect(Object.isFrozen(started.at(-1)?.extraArgs)).toBe(true);
    await (await handler.fetch(post("/invoke/greeter/greet")())).text();
    expect(started.at(-1)?.extraArgs).toEqual([]);
    expect(handler.fetch).toBe(handler);
  });
});
