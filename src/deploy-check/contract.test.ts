// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type ObjectContext, handlers, object, serde } from "../index.js";
import { toHandlerInfo, toServiceInfo } from "../clients/admin-types.js";
import { type ContractInput, checkContract } from "./contract.js";
import { codeFromDefinitions } from "./load-code.js";

const Order = z.object({ item: z.string(), quantity: z.number().int().min(1) });

/** The new code: `place` takes a stricter input, `cancel` is gone, `status` became shared. */
const next = object({
  name: "Orders",
  handlers: {
    place: handlers.object.exclusive(
      { input: serde.schema(Order.extend({ item: z.string().min(3) })) },
      async (ctx: ObjectContext, order: z.infer<typeof Order>) => {
        ctx.set("last", order.item);
      },
    ),
    status: handlers.object.shared(async () => "ok"),
  },
});

/** The services as the admin API lists them for version 1. */
const registered = [
  toServiceInfo({
    name: "Orders",
    ty: "VirtualObject",
    deployment_id: "dp_1",
    revision: 1,
    public: true,
    handlers: [
      { name: "place", ty: "Exclusive", input_json_schema: z.toJSONSchema(Order) },
      { name: "status", ty: "Exclusive" },
      { name: "cancel", ty: "Exclusive" },
    ].map((h) => ({ input_description: "", output_description: "", ...h })),
  }),
  toServiceInfo({
    name: "Legacy",
    ty: "Service",
    deployment_id: "dp_1",
    revision: 1,
    public: true,
    handlers: [toHandlerInfo({ name: "run" })],
  }),
];

function input(overrides: Partial<ContractInput> = {}): ContractInput {
  return {
    next: codeFromDefinitions([next]).services,
    registered,
    pending: new Map(),
    replace: undefined,
    stateKeysRead: new Map(),
    storedKeys: async () => [],
    ...overrides,
  };
}

const summary = (findings: Awaited<ReturnType<typeof checkContract>>) =>
  findings.map((f) => `${f.severity} ${f.code} ${f.target ?? ""}`);

describe("checkContract", () => {
  it("reports a narrowed input schema, a kind change and a removed handler", async () => {
    const findings = await checkContract(input());
    expect(summary(findings)).toEqual([
      "error input-schema-narrowed Orders/place",
      "error handler-kind-changed Orders/status",
      "warning handler-removed Orders/cancel",
    ]);
    expect(findings[0]?.message).toContain("/item: minLength 3");
    expect(findings[1]?.message).toContain("from Exclusive to Shared");
  });

  it("makes a removed handler an error while work still targets it", async () => {
    const pending = new Map([["Orders/cancel", { inFlight: 1, scheduled: 2, retained: 0 }]]);
    const findings = await checkContract(input({ pending }));
    const removed = findings.find((f) => f.code === "handler-removed");
    expect(removed).toMatchObject({ severity: "error", target: "Orders/cancel" });
    expect(removed?.message).toContain("1 invocation(s) in flight and 2 scheduled");
    const retained = new Map([["Orders/cancel", { inFlight: 0, scheduled: 0, retained: 4 }]]);
    expect(
      (await checkContract(input({ pending: retained }))).find((f) => f.code === "handler-removed"),
    ).toMatchObject({
      severity: "warning",
      message: expect.stringContaining("4 completed invocation(s) are retained") as unknown,
    });
  });

  it("removes the replaced deployment's services that the new code lacks", async () => {
    const pending = new Map([["Legacy/run", { inFlight: 0, scheduled: 1, retained: 0 }]]);
    expect(summary(await checkContract(input({ pending })))).not.toContain(
      "error service-removed Legacy/run",
    );
    expect(summary(await checkContract(input({ pending, replace: "dp_1" })))).toContain(
      "error service-removed Legacy/run",
    );
  });

  it("warns about state keys the new code reads that no stored state holds", async () => {
    const findings = await checkContract(
      input({
        stateKeysRead: new Map([["Orders", new Set(["total", "count"])]]),
        storedKeys: async (service) => (service === "Orders" ? ["count", "last"] : []),
      }),
    );
    const unknown = findings.filter((f) => f.code === "state-key-unknown");
    expect(unknown).toEqual([expect.objectContaining({ severity: "warning", target: "Orders" })]);
    expect(unknown[0]?.message).toContain('reads state "total"');
  });
});
