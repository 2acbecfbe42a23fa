// SPDX-License-Identifier: MIT
// Every template of examples/ run the way its README says, behind a real restate-server: Node
// (`npx tsx main.ts`, HTTP/2), Bun (`bun run main.ts`) and Deno (`deno run … main.ts`, with the
// template's deno.json and no network) over HTTP/1.1, the Cloudflare Worker on workerd with the
// settings of its wrangler.toml (wrangler bundles with esbuild too; wrangler itself is not
// installed), and the Lambda function built by its README's esbuild command, behind the Lambda
// bridge. Each answers state, ctx.run, a service call and a durable sleep through the ingress.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LambdaHandler } from "../../src/lambda.js";
import { startLambdaBridge } from "./lambda-bridge.js";
import {
  canRunReadmeCommand,
  runReadmeCommand,
  startReadmeCommand,
  wranglerSettings,
} from "./readme-commands.js";
import { runtimeBinary, startRuntime } from "./runtime-hosts.js";
import { serverPerFile } from "./support.js";

const ROOT_DIR = fileURLToPath(new URL("../..", import.meta.url));

/** A template serving the example services somewhere the server can reach. */
interface Host {
  readonly url: string;
  logs(): string;
  stop(): Promise<void>;
}

interface Target {
  readonly name: string;
  readonly template: string;
  /** False when this machine lacks what the template runs on. */
  readonly isAvailable: () => Promise<boolean>;
  readonly start: () => Promise<Host>;
  readonly http11: boolean;
  /** The runtime's `navigator.userAgent`, which the Greeter journals with `ctx.run`. */
  readonly agent: RegExp;
}

/** `Node.js/22`: the example names Node 20 (no `navigator`) the way later versions do. */
const NODE_AGENT = /^Node\.js\/\d+$/;

const readmeTarget = (name: string, template: string, http11: boolean, agent: RegExp): Target => ({
  name,
  template,
  isAvailable: () => canRunReadmeCommand(template),
  start: () => startReadmeCommand(template),
  http11,
  agent,
});

/** `wrangler dev` as workerd: the entry, date, flags and vars of the template's wrangler.toml. */
async function startWorker(template: string): Promise<Host> {
  const settings = await wranglerSettings(template);
  return startRuntime("workerd", settings.main, {
    bindings: settings.vars,
    compatibilityDate: settings.compatibilityDate,
    compatibilityFlags: settings.compatibilityFlags,
  });
}

/** Builds the function with the README's command, loads the bundle as Lambda would, bridges it. */
async function startLambda(template: string): Promise<Host> {
  const output = await runReadmeCommand(template);
  // The README writes dist/handler.mjs beside handler.ts (git ignores dist/): moved out at once.
  const dist = path.join(ROOT_DIR, template, "dist");
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "restate-hono-lambda-"));
  const bundle = path.join(dir, "handler.mjs");
  await fs.rename(path.join(dist, "handler.mjs"), bundle);
  await fs.rmdir(dist).catch(() => undefined);
  const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: LambdaHandler };
  const bridge = await startLambdaBridge(handler, "restate-server");
  return {
    url: bridge.url,
    logs: () => output,
    stop: async () => {
      await bridge.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

const TARGETS: readonly Target[] = [
  readmeTarget("Node", "examples/node", false, NODE_AGENT),
  readmeTarget("Bun", "examples/bun", true, /^Bun\/\d/),
  readmeTarget("Deno", "examples/deno", true, /^Deno\/\d/),
  {
    name: "Cloudflare Worker",
    template: "examples/cloudflare-worker",
    isAvailable: async () => runtimeBinary("workerd") !== undefined,
    start: () => startWorker("examples/cloudflare-worker"),
    http11: true,
    agent: /^Cloudflare-Workers$/,
  },
  {
    name: "Lambda",
    template: "examples/lambda",
    isAvailable: async () => true,
    start: () => startLambda("examples/lambda"),
    http11: true,
    agent: NODE_AGENT,
  },
];

const env = serverPerFile();

// One server for all: each registration becomes the services' latest revision, so the templates
// run one after another (vitest runs a file's suites in order).
for (const { name, template, isAvailable, start, http11, agent } of TARGETS) {
  describe.skipIf(!(await isAvailable()))(`the ${name} template (${template})`, () => {
    let host: Host | undefined;

    beforeAll(async () => {
      host = await start();
      const deployment = await env().register(host.url, { http11 });
      expect(deployment.services.map((s) => s.name).sort()).toEqual(["Counter", "Greeter"]);
    }, 60_000);
    afterAll(async () => {
      await host?.stop();
    });

    it("serves state, ctx.run and a call to a virtual object", async () => {
      const key = `${template.split("/")[1]}-${randomUUID().slice(0, 8)}`;
      const first = await env().ingress("/Greeter/greet", key);
      expect(first.status, host?.logs()).toBe(200);
      const match = /^Hello (\S+), visit #(\d+), from (.+)!$/.exec(String(first.json));
      expect(match?.slice(1, 3)).toEqual([key, "1"]);
      expect(match?.[3]).toMatch(agent);
      expect((await env().ingress("/Greeter/greet", key)).json).toMatch(/visit #2,/);
      expect((await env().ingress(`/Counter/${key}/get`)).json).toBe(2);
      expect((await env().ingress(`/Counter/${key}/add`, 40)).json).toBe(42);
    });

    it("suspends on a durable sleep and resumes when it is over", async () => {
      const reply = await env().ingress("/Greeter/greetLater", { name, delayMs: 300 });
      // In request/response mode the answer only comes from a second attempt that replays the
      // sleep; over HTTP/2 the same attempt may go on.
      expect(reply).toMatchObject({ status: 200, json: `Hello ${name}, 300 ms later!` });
    });

    it("answers a terminal error with its code", async () => {
      const reply = await env().ingress("/Greeter/greet", " ");
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ message: "name must not be empty" });
    });
  });
}

describe.skipIf(runtimeBinary("workerd") === undefined)("a Worker's env on workerd", () => {
  let host: Host | undefined;
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
