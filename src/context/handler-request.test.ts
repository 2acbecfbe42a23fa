// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import type { HandlerEntry } from "../definitions/registry.js";
import type { JournalVm, StartInfo } from "../journal/vm.js";
import { json } from "../serde/json.js";
import { AttemptSignals } from "./attempt-signals.js";
import type { ContextInit } from "./context-init.js";
import { handlerRequest, targetOf } from "./handler-request.js";
import { memoryLogger } from "./__fixtures__/harness.js";
import type { Scheduler } from "./scheduler.js";

const START: StartInfo = {
  id: new Uint8Array([1, 2, 3]),
  debugId: "inv_1abc",
  key: "mary",
  knownEntries: 1,
  retryCount: 0,
  durationMs: 0,
  randomSeed: 7n,
  scope: undefined,
  limitKey: undefined,
  idempotencyKey: undefined,
};

/** The parts of an attempt's init that `handlerRequest` reads; the vm only needs its start. */
function init(
  serviceKind: HandlerEntry["serviceKind"],
  start: Partial<StartInfo> = {},
  more: Partial<ContextInit> = {},
): ContextInit {
  const handler: HandlerEntry = {
    service: "Cart",
    name: "add",
    serviceKind,
    kind: serviceKind === "service" ? "handler" : "exclusive",
    fn: () => undefined,
    options: {},
    input: json,
    output: json,
    hooks: undefined,
  };
  return {
    vm: { start: { ...START, ...start } } as unknown as JournalVm,
    scheduler: undefined as unknown as Scheduler,
    logger: memoryLogger(),
    handler,
    input: { headers: [["x-user", "mary"]], value: new TextEncoder().encode('{"n":1}') },
    attemptHeaders: new Map([["x-restate-attempt", "2"]]),
    signals: new AttemptSignals(),
    now: () => 0,
    ...more,
  };
}

describe("targetOf", () => {
  it("names a keyed handler Service/key/handler, and carries the key", () => {
    const target = targetOf("Cart", "add", "mary");
    expect(target).toMatchObject({ service: "Cart", handler: "add", key: "mary" });
    expect(String(target)).toBe("Cart/mary/add");
  });

  it("names an unkeyed handler Service/handler, with no key property at all", () => {
    const target = targetOf("Greeter", "greet", undefined);
    expect(String(target)).toBe("Greeter/greet");
    expect("key" in target).toBe(false);
  });

  it("keeps an empty key (an object may be keyed by the empty string)", () => {
    const target = targetOf("Cart", "add", "");
    expect(target.key).toBe("");
    expect(String(target)).toBe("Cart//add");
  });
});

describe("handlerRequest", () => {
  it("targets the object's key and carries the invocation id, input and attempt headers", () => {
    const i = init("object");
    const request = handlerRequest(i);
    expect(String(request.target)).toBe("Cart/mary/add");
    expect(request.target.key).toBe("mary");
    expect(request.id).toBe("inv_1abc");
    expect([...request.headers]).toEqual([["x-user", "mary"]]);
    expect(request.headers.get("x-user")).toBe("mary");
    expect(request.attemptHeaders.get("x-restate-attempt")).toBe("2");
    expect(new TextDecoder().decode(request.body)).toBe('{"n":1}');
    expect(request.extraArgs).toEqual([]);
  });

  it("leaves the key out of a plain service's target, even when the start carries one", () => {
    const request = handlerRequest(init("service", { key: "ignored" }));
    expect(String(request.target)).toBe("Cart/add");
    expect("key" in request.target).toBe(false);
  });

  it("keys a workflow's target by its workflow id", () => {
    const request = handlerRequest(init("workflow", { key: "wf-42" }));
    expect(String(request.target)).toBe("Cart/wf-42/add");
  });

  it("copies the input headers, so later changes to the source do not show", () => {
    const headers: Array<[string, string]> = [["a", "1"]];
    const request = handlerRequest(
      init("object", {}, { input: { headers, value: new Uint8Array() } }),
    );
    headers.push(["b", "2"]);
    expect([...request.headers.keys()]).toEqual(["a"]);
  });

  it("hands over a copy of the runtime's extra arguments", () => {
    const env = { BUCKET: "b" };
    const extraArgs = [env, "lambda-context"];
    const request = handlerRequest(init("service", {}, { extraArgs }));
    expect(request.extraArgs).toEqual([env, "lambda-context"]);
    expect(request.extraArgs[0]).toBe(env);
    request.extraArgs.push("more");
    expect(extraArgs).toHaveLength(2);
  });

  it("omits the V7 keys when the start has none", () => {
    const request = handlerRequest(init("object"));
    expect("idempotencyKey" in request).toBe(false);
    expect("scope" in request).toBe(false);
    expect("limitKey" in request).toBe(false);
  });

  it("carries each V7 key the start sets, and only those", () => {
    const all = handlerRequest(
      init("object", { idempotencyKey: "idem-1", scope: "tenant-a", limitKey: "lim" }),
    );
    expect(all).toMatchObject({ idempotencyKey: "idem-1", scope: "tenant-a", limitKey: "lim" });
    const scopeOnly = handlerRequest(init("object", { scope: "tenant-b" }));
    expect(scopeOnly.scope).toBe("tenant-b");
    expect("idempotencyKey" in scopeOnly).toBe(false);
    expect("limitKey" in scopeOnly).toBe(false);
  });

  it("gives the attempt's signal, which aborts when the attempt ends", () => {
    const signals = new AttemptSignals();
    const request = handlerRequest(init("object", {}, { signals }));
    expect(request.attemptCompletedSignal.aborted).toBe(false);
    signals.markEnded();
    expect(request.attemptCompletedSignal.aborted).toBe(true);
  });
});
