// SPDX-License-Identifier: MIT
// Service protocol V7: endpoints advertise 5..7 by default, as the official SDK; restate-server
// 1.7 speaks V7 only with its experimental flag on, V6 otherwise. The shared scenarios
// (test/scenarios/) on the negotiated version; then the V7-only features: scopes with limit keys,
// and pausing from a run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestEnv, TRANSPORTS, startEnv } from "./support.js";
import { waitFor } from "../../dev/restate-server.js";
import { SCENARIOS, SCENARIO_SERVICES } from "../scenarios/scenarios.js";
import type { ScenarioDriver } from "../scenarios/driver.js";
import { serverDriver } from "../scenarios/server-driver.js";
import { type Context, PauseError, endpoint, rpc, service } from "../../src/index.js";

describe("a default endpoint on a server without V7", () => {
  let env: TestEnv | undefined;
  beforeAll(async () => {
    env = await startEnv(SCENARIO_SERVICES);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("advertises 5..7 and negotiates V6", async () => {
    const { deployments } = (await env!.admin("GET", "/deployments")).json as {
      deployments: unknown[];
    };
    expect(deployments).toEqual([
      expect.objectContaining({ min_protocol_version: 5, max_protocol_version: 7 }),
    ]);
    const send = await env!.ingress("/Greeter/greet/send", "Till");
    const { invocationId } = send.json as { invocationId: string };
    await waitFor(async () => (await env!.invocation(invocationId))?.["status"] === "completed", {
      message: "greet completed",
    });
    const row = await env!.invocation(invocationId);
    expect(Number(row?.["pinned_service_protocol_version"])).toBe(6);
    expect(row?.["completion_result"]).toBe("success");
  });
});

describe.each(TRANSPORTS)("protocol V7 over $name", ({ http11 }) => {
  let env: TestEnv | undefined;
  let driver: ScenarioDriver;
  beforeAll(async () => {
    env = await startEnv(SCENARIO_SERVICES, {
      http11,
      server: { enableProtocolV7: true },
    });
    driver = serverDriver(env);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("negotiates V7 and answers", async () => {
    const send = await env!.ingress("/Greeter/greet/send", "Till");
    const { invocationId } = send.json as { invocationId: string };
    await waitFor(async () => (await env!.invocation(invocationId))?.["status"] === "completed", {
      message: "greet completed",
    });
    const row = await env!.invocation(invocationId);
    expect(Number(row?.["pinned_service_protocol_version"])).toBe(7);
    expect(row?.["completion_result"]).toBe("success");
  });

  for (const scenario of SCENARIOS) {
    it(scenario.name, () => scenario.run(driver));
  }
});

// V7-only features against restate-server 1.7.12 with V7 and vqueues (flow control) enabled, as
// the official SDK documents for scopes: a fresh data dir, so the experimental features can be on.
const echoScope = service({
  name: "ScopeEcho",
  handlers: {
    whoami: async (ctx: Context) => {
      const { scope, limitKey } = ctx.request();
      return { scope: scope ?? null, limitKey: limitKey ?? null };
    },
  },
});

const tenant = service({
  name: "Tenant",
  handlers: {
    callScoped: async (ctx: Context, scope: string) =>
      ctx
        .scope(scope)
        .serviceClient(echoScope)
        .whoami(rpc.opts({ limitKey: "user-7" })),
    callUnscoped: async (ctx: Context) => ctx.serviceClient(echoScope).whoami(),
  },
});

/** Whether the pausing run should still pause; the test clears it before resuming. */
const paused = new Set<string>();
const charge = async (ctx: Context, order: string) =>
  ctx.run("charge", () => {
    if (paused.has(order)) throw new PauseError(`card of ${order} expired`);
    return `charged ${order}`;
  });
const pausable = service({ name: "Pausable", handlers: { charge } });
/** The same handler on an endpoint that speaks V5..V6 only. */
const pausableV6 = service({ name: "PausableV6", handlers: { charge } });

describe("protocol V7 features (vqueues on)", () => {
  let env: TestEnv | undefined;
  beforeAll(async () => {
    env = await startEnv([echoScope, tenant, pausable], {
      server: {
        enableProtocolV7: true,
        env: { RESTATE_EXPERIMENTAL_ENABLE_VQUEUES: "true" },
      },
    });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("routes a call into a scope with a limit key; the callee sees both in ctx.request()", async () => {
    const reply = await env!.ingress("/Tenant/callScoped", "tenant-1");
    expect(reply.json).toEqual({ scope: "tenant-1", limitKey: "user-7" });
    const unscoped = await env!.ingress("/Tenant/callUnscoped");
    expect(unscoped.json).toEqual({ scope: null, limitKey: null });
  });

  it("a PauseError in a run pauses the invocation; resumed, it completes", async () => {
    const order = `o-${Date.now()}`;
    paused.add(order);
    const send = await env!.ingress("/Pausable/charge/send", order);
    const { invocationId } = send.json as { invocationId: string };
    await waitFor(async () => (await env!.invocation(invocationId))?.["status"] === "paused", {
      message: "charge paused",
    });
    const row = await env!.invocation(invocationId);
    expect(Number(row?.["pinned_service_protocol_version"])).toBe(7);
    // Paused by the first attempt's ErrorMessage, not after exhausting the retry policy.
    expect(Number(row?.["retry_count"] ?? 0)).toBeLessThanOrEqual(1);

    paused.delete(order);
    const resumed = await env!.admin("PATCH", `/invocations/${invocationId}/resume`);
    expect(resumed.status).toBeLessThan(300);
    await waitFor(async () => (await env!.invocation(invocationId))?.["status"] === "completed", {
      message: "charge completed after resume",
    });
    const output = await env!.ingressRaw(`/restate/invocation/${invocationId}/output`, {
      method: "GET",
    });
    expect(await output.json()).toBe(`charged ${order}`);
  });

  it("on V6 it pauses too: the server reads the behavior whatever the version", async () => {
    const v6 = endpoint().bind(pausableV6).protocolVersions(5, 6);
    const port = await v6.listen(0);
    await env!.register(`http://127.0.0.1:${port}`, { http11: false, stop: () => v6.close(1000) });
    const order = `v6-${Date.now()}`;
    paused.add(order);
    const send = await env!.ingress("/PausableV6/charge/send", order);
    const { invocationId } = send.json as { invocationId: string };
    await waitFor(async () => (await env!.invocation(invocationId))?.["status"] === "paused", {
      message: "charge paused on V6",
    });
    const row = await env!.invocation(invocationId);
    expect(Number(row?.["pinned_service_protocol_version"])).toBe(6);
    expect(Number(row?.["retry_count"] ?? 0)).toBeLessThanOrEqual(1);
    paused.delete(order);
    await env!.admin("PATCH", `/invocations/${invocationId}/resume`);
    await waitFor(async () => (await env!.invocation(invocationId))?.["status"] === "completed", {
      message: "charge completed after resume",
    });
  });
});
