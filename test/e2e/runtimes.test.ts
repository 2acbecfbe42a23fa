// SPDX-License-Identifier: MIT
// The Bun, Deno and Cloudflare Worker templates, bundled from the package sources and served on
// the real runtimes behind a real restate-server in request/response mode (HTTP/1.1).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RuntimeHost,
  type RuntimeName,
  runtimeBinary,
  startRuntime,
} from "./runtime-hosts.js";
import { serverPerFile } from "./support.js";

interface Target {
  readonly runtime: RuntimeName;
  readonly entry: string;
  /** The runtime's `navigator.userAgent`, which the Greeter journals with `ctx.run`. */
  readonly agent: RegExp;
}

const TARGETS: readonly Target[] = [
  { runtime: "bun", entry: "examples/bun/main.ts", agent: /^Bun\/\d/ },
  { runtime: "deno", entry: "examples/deno/main.ts", agent: /^Deno\/\d/ },
  {
    runtime: "workerd",
    entry: "examples/cloudflare-worker/worker.ts",
    agent: /^Cloudflare-Workers$/,
  },
];

const env = serverPerFile();

// One server for all three: each runtime's registration becomes the services' latest revision,
// so the runtimes run one after another (vitest runs a file's suites in order).
for (const { runtime, entry, agent } of TARGETS) {
  describe.skipIf(runtimeBinary(runtime) === undefined)(`${runtime} template`, () => {
    let host: RuntimeHost | undefined;

    beforeAll(async () => {
      host = await startRuntime(runtime, entry);
      const deployment = await env().register(host.url, { http11: true });
      expect(deployment.services.map((s) => s.name).sort()).toEqual(["Counter", "Greeter"]);
    });
    afterAll(async () => {
      await host?.stop();
    });

    it("serves state, ctx.run and a call to a virtual object", async () => {
      const name = `${runtime}-${randomUUID().slice(0, 8)}`;
      const first = await env().ingress("/Greeter/greet", name);
      expect(first.status, host?.logs()).toBe(200);
      const match = /^Hello (\S+), visit #(\d+), from (.+)!$/.exec(String(first.json));
      expect(match?.slice(1, 3)).toEqual([name, "1"]);
      expect(match?.[3]).toMatch(agent);
      expect((await env().ingress("/Greeter/greet", name)).json).toMatch(/visit #2,/);
      expect((await env().ingress(`/Counter/${name}/get`)).json).toBe(2);
      expect((await env().ingress(`/Counter/${name}/add`, 40)).json).toBe(42);
    });

    it("suspends on a durable sleep and resumes when it is over", async () => {
      const reply = await env().ingress("/Greeter/greetLater", { name: runtime, delayMs: 300 });
      // Request/response mode cannot deliver the timer to a running attempt: the answer only
      // comes from a second attempt that replays the sleep.
      expect(reply).toMatchObject({ status: 200, json: `Hello ${runtime}, 300 ms later!` });
    });

    it("answers a terminal error with its code", async () => {
      const reply = await env().ingress("/Greeter/greet", " ");
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ message: "name must not be empty" });
    });
  });
}

describe.skipIf(runtimeBinary("workerd") === undefined)("a Worker's env on workerd", () => {
  let host: RuntimeHost | undefined;
  const greeting = `hello from a binding ${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    host = await startRuntime("workerd", "test/e2e/workers/env-worker.ts", {
      bindings: { GREETING: greeting },
    });
    const deployment = await env().register(host.url, { http11: true });
    expect(deployment.services.map((s) => s.name)).toEqual(["EnvProbe"]);
  });
  afterAll(async () => {
    await host?.stop();
  });

  it("reaches the handler as ctx.request().extraArgs, with the execution context", async () => {
    const reply = await env().ingress("/EnvProbe/read", "GREETING");
    expect(reply.status, host?.logs()).toBe(200);
    expect(reply.json).toEqual({ value: greeting, hasWaitUntil: true });
  });
});
