// SPDX-License-Identifier: MIT
// Hooks side by side: the same service with the same hook providers runs on the official SDK and
// on restate-hono, both behind one real restate-server, and every handler must produce the same
// interceptor calls in the same order and the same outcome. The official SDK has no in-memory
// runtime, so the comparison runs end to end. The polyfill must be the first import (Node 20).
import "../../bench/polyfill.js";
import * as official from "@restatedev/restate-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ours from "../../src/node.js";
import { type ServerEnv, registerHttp2Handler, startServerEnv } from "./support.js";
import {
  DEFAULTS_HANDLERS,
  HOOKS_HANDLERS,
  type HooksSdk,
  defineHooksService,
} from "./hooks-services.js";

/** One SDK's service behind its own HTTP/2 server. */
interface Side {
  readonly prefix: string;
  readonly log: string[];
}

let env: ServerEnv;
const sides: Side[] = [];

async function serve(sdk: HooksSdk, prefix: string): Promise<Side> {
  const { definitions, log, endpointDefaults } = defineHooksService(sdk, prefix);
  await registerHttp2Handler(
    env,
    sdk.createEndpointHandler({ services: definitions, defaultServiceOptions: endpointDefaults }),
  );
  return { prefix, log };
}

beforeAll(async () => {
  // A short inactivity timeout makes `suspends` suspend on its sleep, on both SDKs; long enough
  // that a loaded machine's run acknowledgement never trips it (500 ms did, under CI load).
  env = await startServerEnv({ inactivityTimeout: "2s" });
  sides.push(await serve(official, "Official"), await serve(ours, "Ours"));
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

/** Invokes one handler on one side; its outcome and the events it logged. */
async function invoke(side: Side, handler: string, service = "Hooks") {
  side.log.length = 0;
  const reply = await env.ingress(`/${side.prefix}${service}/${handler}`);
  const json = reply.json as { message?: string } | string | undefined;
  const result = typeof json === "object" ? (json.message ?? "") : json;
  return { status: reply.status, result, events: [...side.log] };
}

describe("hooks: restate-hono and the official SDK side by side", () => {
  it.each(HOOKS_HANDLERS)("%s: same interceptor calls, same outcome", async (handler) => {
    const [officialSide, oursSide] = sides as [Side, Side];
    const expected = await invoke(officialSide, handler);
    const actual = await invoke(oursSide, handler);
    expect(actual).toEqual(expected);
  });

  it.each(DEFAULTS_HANDLERS)("endpoint default hooks, %s: same calls, same outcome", async (h) => {
    const [officialSide, oursSide] = sides as [Side, Side];
    const expected = await invoke(officialSide, h, "Defaults");
    expect(await invoke(oursSide, h, "Defaults")).toEqual(expected);
  });

  it("endpoint default hooks wrap handler hooks; a service's own hooks replace them", async () => {
    const oursSide = sides[1]!;
    const { events } = await invoke(oursSide, "withHandlerHooks", "Defaults");
    expect(events.filter((e) => e.includes("handler") || e.startsWith("body"))).toEqual([
      "D > handler",
      "H > handler",
      "body withHandlerHooks",
      "H < handler ok",
      "D < handler ok",
    ]);
    expect((await invoke(oursSide, "plain", "Defaults")).events).toContain("D > run step");
    expect((await invoke(oursSide, "ordered")).events.some((e) => e.startsWith("D "))).toBe(false);
  });

  it("the official order: service hooks wrap handler hooks, each list in order", async () => {
    const { events, status } = await invoke(sides[1]!, "ordered");
    expect(status).toBe(200);
    expect(events).toEqual([
      "A attempt",
      "B attempt",
      "H attempt",
      "A > handler",
      "B > handler",
      "H > handler",
      "body ordered",
      "A > run step",
      "B > run step",
      "H > run step",
      "closure step",
      "H < run step ok",
      "B < run step ok",
      "A < run step ok",
      "H < handler ok",
      "B < handler ok",
      "A < handler ok",
    ]);
  });
});
