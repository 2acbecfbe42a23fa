// SPDX-License-Identifier: MIT
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { type TestEnv, TRANSPORTS, startEnv } from "./support.js";
import { ALL_SERVICES, awakeableIds, executions } from "./services.js";
import { waitFor } from "../../dev/restate-server.js";

describe.each(TRANSPORTS)("core handlers over $name", ({ http11 }) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startEnv(ALL_SERVICES, { http11 });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("answers a plain handler", async () => {
    const r = await env.ingress("/Greeter/greet", "Till");
    expect(r.status).toBe(200);
    expect(r.json).toBe("Hello Till!");
  });

  it("ends with a terminal error's code and message", async () => {
    const r = await env.ingress("/Greeter/fail", "teapot");
    expect(r.status).toBe(418);
    expect(r.json).toMatchObject({ code: 418, message: "teapot" });
  });

  it("keeps object state across invocations", async () => {
    const key = randomUUID();
    expect((await env.ingress(`/Counter/${key}/add`, 2)).json).toBe(2);
    expect((await env.ingress(`/Counter/${key}/add`, 3)).json).toBe(5);
    expect((await env.ingress(`/Counter/${key}/get`)).json).toBe(5);
    expect((await env.ingress(`/Counter/${key}/clearCount`)).json).toEqual(["other"]);
    expect((await env.ingress(`/Counter/${key}/keys`)).json).toEqual(["other"]);
    await env.ingress(`/Counter/${key}/reset`);
    expect((await env.ingress(`/Counter/${key}/get`)).json).toBe(0);
  });

  it("does not re-execute ctx.run on a retried attempt", async () => {
    const key = randomUUID();
    const r = await env.ingress("/Steps/runMany", { key, n: 3, failOnce: true });
    expect(r.status).toBe(200);
    expect(r.json).toEqual([1, 1, 1]);
    for (let i = 0; i < 3; i++) expect(executions.get(`${key}/${i}`)).toBe(1);
    expect(executions.get(`${key}/fail`)).toBe(2);
  });

  it("sleeps and resumes", async () => {
    const key = randomUUID();
    const r = await env.ingress("/Steps/sleepThenGreet", { key, ms: 500 });
    expect(r.status).toBe(200);
    const { started, ended } = r.json as { started: number; ended: number };
    expect(ended - started).toBeGreaterThanOrEqual(500);
  });

  it("calls another service", async () => {
    const r = await env.ingress("/Steps/callGreeter", "Bob");
    expect(r.json).toBe("Hello Bob!");
  });

  it("combines durable promises", async () => {
    const r = await env.ingress("/Steps/combinators");
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      all: [1, 2],
      raced: "fast",
      any: "yes",
      settled: ["rejected", "fulfilled"],
      timedOut: true,
    });
  });

  it("waits for an awakeable resolved through the ingress", async () => {
    const key = randomUUID();
    const call = env.ingress("/Steps/awakeableWait", key);
    await waitFor(async () => awakeableIds.has(key), {
      timeoutMs: 10_000,
      message: "awakeable id",
    });
    const id = awakeableIds.get(key)!;
    const resolved = await env.ingress(`/restate/awakeables/${id}/resolve`, "from outside");
    expect(resolved.text).toBe("");
    expect(resolved.status).toBe(202);
    expect((await call).json).toBe("got from outside");
  });

  it("waits for an awakeable resolved by another handler", async () => {
    const key = randomUUID();
    const call = env.ingress("/Steps/awakeableWait", key);
    await waitFor(async () => awakeableIds.has(key), {
      timeoutMs: 10_000,
      message: "awakeable id",
    });
    await env.ingress("/Steps/resolveAwakeable", { id: awakeableIds.get(key), value: "a handler" });
    expect((await call).json).toBe("got a handler");
  });

  it("runs a workflow with a durable promise", async () => {
    const id = randomUUID();
    const send = await env.ingress(`/Approval/${id}/run/send`, "laptop");
    expect(send.status).toBe(202);
    await waitFor(async () => (await env.ingress(`/Approval/${id}/status`)).json === "waiting", {
      timeoutMs: 10_000,
      message: "workflow waiting",
    });
    expect((await env.ingress(`/Approval/${id}/peek`)).json).toBe("none");
    await env.ingress(`/Approval/${id}/decide`, "approved");
    const attach = await fetch(`${env.server.ingressUrl}/restate/workflow/Approval/${id}/attach`);
    expect(await attach.json()).toBe("laptop: approved");
    expect((await env.ingress(`/Approval/${id}/peek`)).json).toBe("approved");
  });

  it("reports a handler that is non-deterministic on replay with 570", async () => {
    const key = randomUUID();
    const send = await env.ingress("/Steps/nonDeterministic/send", key);
    const { invocationId } = send.json as { invocationId: string };
    await waitFor(
      async () => (await env.invocation(invocationId))?.["last_failure_error_code"] === "RT0016",
      { timeoutMs: 15_000, message: "journal mismatch recorded" },
    );
    const row = await env.invocation(invocationId);
    const failure = String(row?.["last_failure"]);
    expect(failure).toContain("570");
    expect(failure).toContain("first-name");
    expect(failure).toContain("second-name");
    await env.admin("PATCH", `/invocations/${invocationId}/kill`);
  });
});
