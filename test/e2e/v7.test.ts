// SPDX-License-Identifier: MIT
// Service protocol V7, opt-in on both sides: restate-server with its experimental flag, and an
// endpoint advertising 5..7. The core suite's handlers, checked on the negotiated version.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { type TestEnv, TRANSPORTS, startEnv } from "./support.js";
import { ALL_SERVICES, awakeableIds, executions } from "./services.js";
import { waitFor } from "../../dev/restate-server.js";

describe.each(TRANSPORTS)("protocol V7 over $name", ({ http11 }) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startEnv(ALL_SERVICES, {
      http11,
      server: { enableProtocolV7: true },
      protocolVersions: [5, 7],
    });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("negotiates V7 and answers", async () => {
    const send = await env.ingress("/Greeter/greet/send", "Till");
    const { invocationId } = send.json as { invocationId: string };
    await waitFor(async () => (await env.invocation(invocationId))?.["status"] === "completed", {
      message: "greet completed",
    });
    const row = await env.invocation(invocationId);
    expect(Number(row?.["pinned_service_protocol_version"])).toBe(7);
    expect(row?.["completion_result"]).toBe("success");
  });

  it("keeps object state, runs steps once on retry, sleeps", async () => {
    const key = randomUUID();
    expect((await env.ingress(`/Counter/${key}/add`, 2)).json).toBe(2);
    expect((await env.ingress(`/Counter/${key}/add`, 3)).json).toBe(5);
    const steps = await env.ingress("/Steps/runMany", { key, n: 3, failOnce: true });
    expect(steps.json).toEqual([1, 1, 1]);
    for (let i = 0; i < 3; i++) expect(executions.get(`${key}/${i}`)).toBe(1);
    const slept = await env.ingress("/Steps/sleepThenGreet", { key, ms: 300 });
    const { started, ended } = slept.json as { started: number; ended: number };
    expect(ended - started).toBeGreaterThanOrEqual(300);
  });

  it("combines promises and calls another service", async () => {
    expect((await env.ingress("/Steps/callGreeter", "Bob")).json).toBe("Hello Bob!");
    expect((await env.ingress("/Steps/combinators")).json).toEqual({
      all: [1, 2],
      raced: "fast",
      any: "yes",
      settled: ["rejected", "fulfilled"],
      timedOut: true,
    });
  });

  it("waits for an awakeable resolved from outside", async () => {
    const key = randomUUID();
    const call = env.ingress("/Steps/awakeableWait", key);
    await waitFor(async () => awakeableIds.has(key), { message: "awakeable id" });
    await env.ingress(`/restate/awakeables/${awakeableIds.get(key)}/resolve`, "v7");
    expect((await call).json).toBe("got v7");
  });
});
