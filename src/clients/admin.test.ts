// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { connectAdmin, targetFilter } from "./admin.js";
import { fakeFetch, reply } from "./__fixtures__/fake-fetch.js";
import type { Responder } from "./__fixtures__/fake-fetch.js";

function setup(respond: Responder) {
  const { fetch, calls } = fakeFetch(respond);
  return {
    admin: connectAdmin({ url: "http://admin:9070", headers: { "x-a": "1" }, fetch }),
    calls,
  };
}

const types: Record<string, "Service" | "VirtualObject" | "Workflow"> = {
  Svc: "Service",
  Obj: "VirtualObject",
  Wf: "Workflow",
};
const typeOf = async (name: string) => types[name] ?? "Service";

describe("targetFilter", () => {
  it("reads the four target forms of `restate invocations cancel`", async () => {
    expect(await targetFilter("Svc", typeOf)).toEqual({ service: "Svc" });
    expect(await targetFilter("Svc/greet", typeOf)).toEqual({ service: "Svc", handler: "greet" });
    expect(await targetFilter("Obj/k1", typeOf)).toEqual({ service: "Obj", key: "k1" });
    expect(await targetFilter("Wf/id", typeOf)).toEqual({ service: "Wf", key: "id" });
    expect(await targetFilter("Obj/k1/add", typeOf)).toEqual({
      service: "Obj",
      key: "k1",
      handler: "add",
    });
  });

  it("refuses malformed targets", async () => {
    for (const bad of ["", "Obj//add", "a/b/c/d", "Svc/x/greet"]) {
      await expect(targetFilter(bad, typeOf)).rejects.toThrow(TypeError);
    }
  });
});

describe("admin requests", () => {
  it("registers deployments with the server's field names and maps the reply", async () => {
    const { admin, calls } = setup(() =>
      reply(201, {
        id: "dp_1",
        services: [
          {
            name: "Svc",
            ty: "Service",
            deployment_id: "dp_1",
            revision: 1,
            public: true,
            idempotency_retention: "1d",
            metadata: { some_key: "v" },
            retry_policy: { max_attempts: 70, on_max_attempts: "Pause" },
            handlers: [{ name: "greet", input_description: "json", output_description: "json" }],
          },
        ],
        max_protocol_version: 6,
      }),
    );
    const registered = await admin.registerDeployment({
      uri: "http://x:9080",
      useHttp11: true,
      force: true,
      additionalHeaders: { k: "v" },
    });
    expect(JSON.parse(calls[0]!.text)).toEqual({
      uri: "http://x:9080",
      use_http_11: true,
      force: true,
      additional_headers: { k: "v" },
    });
    expect(calls[0]?.headers.get("x-a")).toBe("1");
    expect(registered.maxProtocolVersion).toBe(6);
    expect(registered.services[0]).toMatchObject({
      name: "Svc",
      ty: "Service",
      deploymentId: "dp_1",
      idempotencyRetention: "1d",
      metadata: { some_key: "v" },
      retryPolicy: { maxAttempts: 70, onMaxAttempts: "Pause" },
      handlers: [{ name: "greet", inputDescription: "json", outputDescription: "json" }],
    });
  });

  it("patches service options with duration strings", async () => {
    const { admin, calls } = setup(() => reply(200, { name: "Svc", handlers: [] }));
    await admin.patchService("Svc", { idempotencyRetention: 7_200_000, journalRetention: "1d" });
    expect(calls[0]).toMatchObject({ method: "PATCH", path: "/services/Svc" });
    expect(JSON.parse(calls[0]!.text)).toEqual({
      idempotency_retention: "7200000ms",
      journal_retention: "1d",
    });
  });

  it("removes deployments, forced only on request", async () => {
    const { admin, calls } = setup(() => reply(202));
    await admin.removeDeployment("dp_1");
    await admin.removeDeployment("dp_1", { force: true });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "DELETE /deployments/dp_1",
      "DELETE /deployments/dp_1?force=true",
    ]);
  });

  it("acts on invocations by id", async () => {
    const { admin, calls } = setup(() => reply(200));
    await admin.cancelInvocation("inv_1");
    await admin.killInvocation("inv_1");
    await admin.pauseInvocation("inv_1");
    await admin.resumeInvocation("inv_1");
    await admin.purgeInvocation("inv_1");
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(
      ["cancel", "kill", "pause", "resume", "purge"].map((a) => `PATCH /invocations/inv_1/${a}`),
    );
  });

  it("cancels in bulk: resolves the target, queries unfinished invocations, acts on each", async () => {
    const { admin, calls } = setup((r) => {
      if (r.path === "/services/Obj") return reply(200, { name: "Obj", ty: "VirtualObject" });
      if (r.path === "/query") return reply(200, { rows: [{ id: "inv_1" }, { id: "inv_2" }] });
      if (r.path.includes("inv_2")) return reply(409, { message: "already completed" });
      return reply(202);
    });
    const result = await admin.cancelInvocations("Obj/it's");
    const sql = (JSON.parse(calls[1]!.text) as { query: string }).query;
    expect(sql).toContain(
      "WHERE target_service_name = 'Obj' AND target_service_key = 'it''s' AND status <> 'completed'",
    );
    expect(sql).not.toContain("LIMIT");
    expect(result.succeeded).toEqual(["inv_1"]);
    expect(result.failed.map((f) => [f.id, f.error.message])).toEqual([
      ["inv_2", "already completed"],
    ]);
  });

  it("lists subscriptions with filters", async () => {
    const { admin, calls } = setup(() => reply(200, { subscriptions: [] }));
    await admin.listSubscriptions({ sink: "service://Svc/h" });
    expect(calls[0]?.path).toBe("/subscriptions?sink=service%3A%2F%2FSvc%2Fh");
  });
});
