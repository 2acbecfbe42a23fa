// SPDX-License-Identifier: MIT
// ctx.scope(), limitKey in the call options, scope in genericCall/genericSend and the request's V7
// keys: what reaches the wire (docs/protocol.md §6.3).
import { describe, expect, it } from "vitest";
import { CommandType, MessageType } from "../journal/message-types.js";
import type { CallCommand, OneWayCallCommand } from "../journal/gen/protocol_pb.js";
import { toHex } from "../journal/testing/journal-case.js";
import type { Context, ObjectContext, WorkflowContext } from "./types.js";
import * as rpc from "./rpc.js";
import { serde } from "../serde/index.js";
import { iface } from "../definitions/descriptors.js";
import { harness } from "./__fixtures__/harness.js";

type Svc = { echo: (ctx: Context, s: string) => Promise<string> };
const svc = { name: "Svc" } as { name: "Svc"; handlers?: Svc };
type Obj = { add: (ctx: ObjectContext, n: number) => Promise<number> };
const obj = { name: "Obj" } as { name: "Obj"; handlers?: Obj };
type Wf = { run: (ctx: WorkflowContext) => Promise<void> };
const wf = { name: "Wf" } as { name: "Wf"; handlers?: Wf };

const calls = (h: ReturnType<typeof harness>) =>
  h.output().map((f) => ({ type: f.type, message: f.message as CallCommand | OneWayCallCommand }));

describe("ctx.scope()", () => {
  it("routes a call into the scope, with the limit key of rpc.opts (V7 bytes)", () => {
    const h = harness({ version: 7 });
    void h.ctx
      .scope("t1")
      .serviceClient(svc)
      .echo("x", rpc.opts({ limitKey: "l1" }));
    // CallCommand: "Svc" · "echo" · '"x"' · scope "t1" (field 7) · limit key "l1" (field 8) ·
    // invocation id notification 1 · result completion 2
    expect(toHex(h.bytes())).toBe(
      "040d00000000001c" +
        "0a03537663" +
        "12046563686f" +
        "1a03227822" +
        "3a027431" +
        "42026c31" +
        "5001" +
        "5802",
    );
  });

  it("routes every client kind into the scope; sends keep their delay and limit key", () => {
    const h = harness({ version: 7, now: 1000 });
    const scoped = h.ctx.scope("t1");
    void scoped.objectClient(obj, "k").add(1);
    scoped.objectSendClient(obj, "k").add(2, rpc.sendOpts({ delay: 5, limitKey: "a/b" }));
    void scoped.workflowClient(wf, "w").run();
    scoped.workflowSendClient(wf, "w").run();
    scoped.serviceSendClient(svc).echo("y");
    const described = iface.service("Desc", { go: iface.serdes({ input: serde.binary }) });
    void scoped.client(described).go(new Uint8Array());
    scoped.sendClient(described).go(new Uint8Array());
    expect(
      calls(h).map(({ type, message }) => [
        type,
        message.serviceName,
        message.key,
        message.scope,
        message.limitKey,
      ]),
    ).toEqual([
      [CommandType.Call, "Obj", "k", "t1", undefined],
      [CommandType.OneWayCall, "Obj", "k", "t1", "a/b"],
      [CommandType.Call, "Wf", "w", "t1", undefined],
      [CommandType.OneWayCall, "Wf", "w", "t1", undefined],
      [CommandType.OneWayCall, "Svc", "", "t1", undefined],
      [CommandType.Call, "Desc", "", "t1", undefined],
      [CommandType.OneWayCall, "Desc", "", "t1", undefined],
    ]);
    expect((calls(h)[1]?.message as OneWayCallCommand).invokeTime).toBe(1005n);
  });

  it("leaves the unscoped clients of the same context unscoped", () => {
    const h = harness({ version: 7 });
    h.ctx.scope("t1");
    void h.ctx.serviceClient(svc).echo("x");
    expect(calls(h)[0]?.message.scope).toBeUndefined();
  });

  it("V6: a scoped call fails the attempt with 573 instead of dropping the scope", () => {
    const h = harness({ version: 6 });
    expect(() => h.ctx.scope("t1").serviceClient(svc).echo("x")).toThrow(
      "Scope is not supported by service protocol V6",
    );
    const [error] = h.output();
    expect(error?.type).toBe(MessageType.Error);
    expect(error?.message).toMatchObject({ code: 573, relatedCommandType: CommandType.Call });
  });
});

describe("genericCall and genericSend", () => {
  it("carry scope and limit key", () => {
    const h = harness({ version: 7 });
    const parameter = new Uint8Array([1]);
    void h.ctx.genericCall({ service: "S", method: "m", parameter, scope: "s1", limitKey: "l" });
    h.ctx.genericSend({
      service: "S",
      method: "m",
      parameter: "p",
      inputSerde: serde.json,
      scope: "s2",
    });
    expect(calls(h).map(({ message }) => [message.scope, message.limitKey])).toEqual([
      ["s1", "l"],
      ["s2", undefined],
    ]);
  });
});

describe("ctx.request()", () => {
  it("V7: reports the scope, limit key and idempotency key the invocation started with", () => {
    const start = { scope: "t1", limitKey: "a/b", idempotencyKey: "once" };
    const request = harness({ version: 7, start }).ctx.request();
    expect([request.scope, request.limitKey, request.idempotencyKey]).toEqual([
      "t1",
      "a/b",
      "once",
    ]);
  });

  it("has none of them when the StartMessage has none", () => {
    const request = harness({ version: 7 }).ctx.request();
    expect("scope" in request || "limitKey" in request || "idempotencyKey" in request).toBe(false);
  });
});
