// SPDX-License-Identifier: MIT
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { handlers, service, workflow } from "../definitions/service.js";
import { createEndpointHandler, createFetchHandler } from "../fetch.js";
import { echoRunner } from "./__fixtures__/echo-runner.js";
import { invokeOnce, outputOf } from "./__fixtures__/invocation-frames.js";
import { withRunner } from "./endpoint-builder.js";
import { FetchEndpoint } from "./fetch-endpoint.js";
import { ManifestError } from "./manifest-options.js";

// Endpoints built here run a stand-in engine; the package-level helpers run the real one.
const runner = echoRunner();
const endpoint = () => withRunner(new FetchEndpoint(), runner.runner);

const greeter = service({
  name: "greeter",
  handlers: { greet: (_ctx, n: string) => Promise.resolve(n) },
});
const utf8 = (text: string) => new TextEncoder().encode(text);
const INVOKE = {
  method: "POST",
  headers: { "content-type": "application/vnd.restate.invocation.v5" },
  body: "",
};

describe("fetch endpoint", () => {
  it("handler() serves request-response invocations and is its own { fetch }", async () => {
    const handler = endpoint().bind(greeter).handler();
    const res = await handler(new Request("http://localhost/invoke/greeter/greet", INVOKE));
    expect(await res.text()).toBe("greeter/greet v5\n|end");
    expect(handler.fetch).toBe(handler);
  });

  it("createFetchHandler and createEndpointHandler serve the given services", async () => {
    const a = createFetchHandler(greeter);
    const b = createEndpointHandler({ services: [greeter], identityKeys: [] });
    for (const handler of [a, b]) {
      // The real engine: a whole invocation in one request, answered with its output.
      const frames = await invokeOnce(handler, "/invoke/greeter/greet", '"Till"');
      expect(outputOf(frames)).toMatchObject({ case: "value", value: { content: utf8('"Till"') } });
    }
  });

  it("hands the runtime's extra arguments to the invocation", async () => {
    const env = { GREETING: "hi" };
    const executionCtx = { waitUntil() {}, passThroughOnException() {}, props: {} };
    const handler = endpoint().bind(greeter).handler();
    await handler(new Request("http://x/invoke/greeter/greet", INVOKE), env, executionCtx);
    expect(runner.started.at(-1)?.extraArgs).toEqual([env, executionCtx]);
    await handler.fetch(new Request("http://x/invoke/greeter/greet", INVOKE));
    expect(runner.started.at(-1)?.extraArgs).toEqual([]);
  });

  it("app() mounted in a fetch runtime's Hono app sees its env and execution context", async () => {
    const env = { GREETING: "hi" };
    const executionCtx = { waitUntil() {}, passThroughOnException() {}, props: {} };
    const app = new Hono().route("/r", endpoint().bind(greeter).app());
    await app.request("/r/invoke/greeter/greet", INVOKE, env, executionCtx);
    expect(runner.started.at(-1)?.extraArgs).toEqual([env, executionCtx]);
    await app.request("/r/invoke/greeter/greet", INVOKE, env);
    expect(runner.started.at(-1)?.extraArgs).toEqual([env]);
    await app.request("/r/invoke/greeter/greet", INVOKE);
    expect(runner.started.at(-1)?.extraArgs).toEqual([]);
  });

  it("app() mounts under a prefix", async () => {
    const app = new Hono().route("/r", endpoint().bind(greeter).app());
    expect((await app.request("/r/invoke/greeter/greet", INVOKE)).status).toBe(200);
  });

  it("refuses duplicate names and things that are not definitions", () => {
    const twin = service({ name: "greeter", handlers: { other: async () => {} } });
    expect(() => endpoint().bind(greeter).bind(twin)).toThrow(/"greeter" is already bound/);
    expect(() => endpoint().bind({ name: "x" })).toThrow(TypeError);
  });

  it("rebuilds the app after a later bind", async () => {
    const restate = endpoint().bind(greeter);
    const before = restate.app();
    restate.bind(service({ name: "late", handlers: { h: async () => {} } }));
    expect(restate.app()).not.toBe(before);
    expect((await restate.app().request("/invoke/late/h", INVOKE)).status).toBe(200);
  });

  it("checks options at bind time", () => {
    const misplaced = workflow({
      name: "wf",
      handlers: {
        run: async () => {},
        peek: handlers.workflow.shared({ workflowRetention: 1000 }, async () => {}),
      },
    });
    expect(() => endpoint().bind(misplaced)).toThrow(ManifestError);
    const negative = service({
      name: "neg",
      options: { inactivityTimeout: -1 },
      handlers: { h: async () => {} },
    });
    expect(() => endpoint().bind(negative)).toThrow(/inactivityTimeout/);
  });

  it("rejects malformed identity keys", () => {
    expect(() => endpoint().bind(greeter).withIdentityV1("not-a-key").app()).toThrow();
  });
});
