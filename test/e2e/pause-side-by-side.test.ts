// SPDX-License-Identifier: MIT
// PauseError side by side: the same handler on the official SDK and on restate-hono (V7 opted in),
// behind one restate-server with service protocol V7 on. A run that throws a PauseError must
// pause the invocation on both, after the same number of attempts, and a resume must complete it
// with the same output. The polyfill must be the first import (Node 20).
import "../../bench/polyfill.js";
import { randomUUID } from "node:crypto";
import * as official from "@restatedev/restate-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ours from "../../src/index.js";
import { waitFor } from "../../dev/restate-server.js";
import { type ServerEnv, registerHttp2Handler, startServerEnv } from "./support.js";

/** The part of both SDKs the service uses (method syntax: bivariant, so both fit). */
interface PauseSdk {
  service(init: { name: string; handlers: object }): { readonly name: string };
  readonly PauseError: (new (message: string) => Error) & { from(cause: unknown): Error };
}

interface RunContext {
  run<T>(name: string, action: () => Promise<T>): PromiseLike<T>;
}

/** Orders whose charge still pauses; the test clears one before resuming it. */
const blocked = new Set<string>();

function pausable(sdk: PauseSdk, prefix: string) {
  return sdk.service({
    name: `${prefix}Pausable`,
    handlers: {
      charge: async (ctx: RunContext, order: string) =>
        ctx.run("charge", async () => {
          if (blocked.has(order)) throw new sdk.PauseError(`card of ${order} expired`);
          return `charged ${order}`;
        }),
      // `PauseError.from` builds a RetryableError in both SDKs: the run retries, it does not pause.
      chargeFrom: async (ctx: RunContext, order: string) =>
        ctx.run("charge", async () => {
          if (blocked.has(order)) throw sdk.PauseError.from(new Error(`card of ${order} expired`));
          return `charged ${order}`;
        }),
    },
  });
}

let env: ServerEnv;

/**
 * One server per describe block, with both SDKs' endpoints registered: V7 on (with vqueues, as
 * the official SDK documents for pausing), or the server's default (V7 off: both negotiate V6).
 */
function serveBoth(isV7: boolean): void {
  beforeAll(async () => {
    env = await startServerEnv(
      isV7 ? { enableProtocolV7: true, env: { RESTATE_EXPERIMENTAL_ENABLE_VQUEUES: "true" } } : {},
    );
    await registerHttp2Handler(
      env,
      official.createEndpointHandler({ services: [pausable(official, "Official")] }),
    );
    const ep = ours.endpoint().bind(pausable(ours, "Ours"));
    const ourPort = await ep.listen(0);
    await env.register(`http://127.0.0.1:${ourPort}`, {
      http11: false,
      stop: () => ep.close(1000),
    });
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
  });
}

/** Pauses one charge on one side, resumes it, and reports what the server saw. */
async function pauseAndResume(prefix: string) {
  const order = randomUUID();
  blocked.add(order);
  const send = await env.ingress(`/${prefix}Pausable/charge/send`, order);
  const { invocationId } = send.json as { invocationId: string };
  const status = async () => (await env.invocation(invocationId))?.["status"];
  await waitFor(async () => (await status()) === "paused", { message: `${prefix} paused` });
  const row = await env.invocation(invocationId);
  const paused = {
    status: row?.["status"],
    protocol: Number(row?.["pinned_service_protocol_version"]),
    attempts: Number(row?.["retry_count"] ?? 0) <= 1,
    failure: JSON.stringify(row?.["last_failure"] ?? null).replace(order, "<order>"),
  };
  blocked.delete(order);
  const resumed = await env.admin("PATCH", `/invocations/${invocationId}/resume`);
  await waitFor(async () => (await status()) === "completed", { message: `${prefix} completed` });
  const output = await env.ingressRaw(`/restate/invocation/${invocationId}/output`, {
    method: "GET",
  });
  const text = (await output.text()).replace(order, "<order>");
  return { paused, resumed: resumed.status, output: text };
}

describe.each([
  ["V7", true, 7],
  ["the server's default", false, 6],
] as const)("PauseError side by side (protocol %s)", (_label, isV7, protocol) => {
  serveBoth(isV7);

  it("pauses the invocation on both SDKs; a resume completes it the same way", async () => {
    const expected = await pauseAndResume("Official");
    expect(expected.paused.status).toBe("paused");
    expect(expected.paused.protocol).toBe(protocol);
    expect(expected.output).toBe('"charged <order>"');
    expect(await pauseAndResume("Ours")).toEqual(expected);
  });
});

/** Sends a charge whose run throws `PauseError.from(…)`; reports what the server saw once it retried. */
async function retryFrom(prefix: string) {
  const order = randomUUID();
  blocked.add(order);
  const send = await env.ingress(`/${prefix}Pausable/chargeFrom/send`, order);
  const { invocationId } = send.json as { invocationId: string };
  const row = async () => env.invocation(invocationId);
  await waitFor(async () => Number((await row())?.["retry_count"] ?? 0) >= 3, {
    message: `${prefix} retried`,
  });
  const retried = await row();
  blocked.delete(order);
  await waitFor(async () => (await row())?.["status"] === "completed", {
    message: `${prefix} completed`,
  });
  const output = await env.ingressRaw(`/restate/invocation/${invocationId}/output`, {
    method: "GET",
  });
  return {
    status: retried?.["status"],
    // The message line; the stack trace names each SDK's own files.
    failure: String(retried?.["last_failure"]).split("\n")[0]?.replace(order, "<order>"),
    output: (await output.text()).replace(order, "<order>"),
  };
}

describe("PauseError.from side by side (protocol V7)", () => {
  serveBoth(true);

  it("is retried, not paused, on both SDKs", async () => {
    const expected = await retryFrom("Official");
    expect(expected.status).not.toBe("paused");
    expect(expected.output).toBe('"charged <order>"');
    expect(await retryFrom("Ours")).toEqual(expected);
  });
});
