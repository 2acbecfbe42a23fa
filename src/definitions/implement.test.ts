// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { iface } from "./descriptors.js";
import { implement } from "./implement.js";
import { toServiceEntry } from "./registry.js";
import { serde } from "../serde/index.js";

describe("implement", () => {
  it("binds code to a description: kinds and serdes come from the descriptors", () => {
    const api = iface.object("Cart", {
      add: iface.serdes({ input: serde.binary, output: serde.json }),
      count: iface.shared.json<void, number>({ description: "items" }),
    });
    const cart = implement(api, {
      handlers: { add: async () => 1, count: async () => 2 },
      options: { handlers: { add: { ingressPrivate: true } } },
    });
    const entry = toServiceEntry(cart);
    expect(entry.kind).toBe("object");
    expect(entry.handlers.get("add")).toMatchObject({ kind: "exclusive", input: serde.binary });
    expect(entry.handlers.get("add")!.options.ingressPrivate).toBe(true);
    expect(entry.handlers.get("count")).toMatchObject({ kind: "shared" });
    expect(entry.handlers.get("count")!.options.description).toBe("items");
    expect(cart._kind).toBe("object");
    expect(cart.name).toBe("Cart");
  });

  it("workflows: run is the workflow handler, the others shared", () => {
    const api = iface.workflow("Flow", { run: iface.json<string, string>(), peek: iface.json() });
    const entry = toServiceEntry(
      implement(api, { handlers: { run: async (_c, s) => s, peek: async () => undefined } }),
    );
    expect(entry.handlers.get("run")!.kind).toBe("workflow");
    expect(entry.handlers.get("peek")!.kind).toBe("shared");
  });
});
