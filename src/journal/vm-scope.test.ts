// SPDX-License-Identifier: MIT
// V7 scope and limit key: on calls, sends, attach/get-output targets and the StartMessage; refused
// (573) on older versions, compared on replay (docs/protocol.md §6.3, §14).
import { describe, expect, it } from "vitest";
import { CommandType, MessageType } from "./message-types.js";
import type { ProtocolVersion } from "./vm-types.js";
import { decoded, frame, inputCommand, journalCase, toHex, utf8 } from "./testing/journal-case.js";

const processing = (version: ProtocolVersion) =>
  journalCase({ version }).start().input(inputCommand());

const call = { service: "S", handler: "h", parameter: utf8("1") } as const;

describe("V7 scope and limit key on calls", () => {
  it("a call writes scope (field 7) and limit key (field 8)", () => {
    const r = processing(7).run((vm) => {
      vm.sysInput();
      vm.sysCall({ ...call, scope: "t1", limitKey: "l1" });
    });
    // 0a0153 "S" · 120168 "h" · 1a0131 "1" · 3a027431 scope "t1" · 42026c31 limit key "l1" ·
    // 5001 invocation id notification 1 · 5802 result completion 2
    expect(toHex(r.bytes)).toBe(
      "040d000000000015" + "0a0153120168" + "1a0131" + "3a027431" + "42026c31" + "50015802",
    );
  });

  it("a one-way call writes scope (field 8) and limit key (field 9)", () => {
    const r = processing(7).run((vm) => {
      vm.sysInput();
      vm.sysSend({ ...call, scope: "t1", limitKey: "l1" });
    });
    expect(toHex(r.bytes)).toBe(
      "040e000000000013" + "0a0153" + "120168" + "1a0131" + "42027431" + "4a026c31" + "5001",
    );
  });

  it("a scope alone leaves the limit key out", () => {
    const r = processing(7).run((vm) => {
      vm.sysInput();
      vm.sysCall({ ...call, scope: "t1" });
    });
    expect(toHex(r.bytes)).toBe(
      "040d000000000011" + "0a0153" + "120168" + "1a0131" + "3a027431" + "5001" + "5802",
    );
  });

  it("attach and get-output carry the scope of workflow and idempotent targets", () => {
    const r = processing(7).run((vm) => {
      vm.sysInput();
      vm.sysAttach({ kind: "workflow", name: "W", key: "k", scope: "t1" });
      vm.sysGetOutput({
        kind: "idempotent",
        service: "S",
        handler: "h",
        idempotencyKey: "i",
        scope: "t1",
      });
    });
    expect(r.frames).toEqual([
      decoded(CommandType.AttachInvocation, {
        target: {
          case: "workflowTarget",
          value: { workflowName: "W", workflowKey: "k", scope: "t1" },
        },
        resultCompletionId: 1,
      }),
      decoded(CommandType.GetInvocationOutput, {
        target: {
          case: "idempotentRequestTarget",
          value: { serviceName: "S", handlerName: "h", idempotencyKey: "i", scope: "t1" },
        },
        resultCompletionId: 2,
      }),
    ]);
    // Field 4 (workflow_target): 0a0157 "W" · 12016b "k" · 1a027431 scope "t1"; then 5801
    expect(
      toHex(r.bytes).startsWith("041200000000000e" + "220a0a015712016b1a027431" + "5801"),
    ).toBe(true);
  });
});

describe("before V7", () => {
  it.each([5, 6] as const)("V%i: a call's scope is refused (573), not dropped", (version) => {
    const r = processing(version).run((vm) => {
      vm.sysInput();
      vm.sysCall({ ...call, scope: "t1", name: "tenant call" });
    });
    expect(r.thrown).toBe(r.vm.error);
    expect(r.frames).toEqual([
      decoded(MessageType.Error, {
        code: 573,
        message: `Scope is not supported by service protocol V${version}`,
        stacktrace: r.error?.stacktrace ?? "",
        relatedCommandIndex: 1,
        relatedCommandType: CommandType.Call,
      }),
    ]);
  });

  it("V6: a send's limit key is refused (573)", () => {
    const r = processing(6).run((vm) => {
      vm.sysInput();
      vm.sysSend({ ...call, limitKey: "l1" });
    });
    expect(r.error).toMatchObject({
      code: 573,
      message: "Limit key is not supported by service protocol V6",
      relatedCommandType: CommandType.OneWayCall,
    });
  });

  it("V6: a scoped attach target is refused (573); an unscoped one is written", () => {
    const r = processing(6).run((vm) => {
      vm.sysInput();
      vm.sysAttach({ kind: "workflow", name: "W", key: "k" });
      vm.sysGetOutput({ kind: "workflow", name: "W", key: "k", scope: "t1" });
    });
    expect(r.frames.map((f) => f.type)).toEqual([CommandType.AttachInvocation, MessageType.Error]);
    expect(r.error).toMatchObject({
      code: 573,
      relatedCommandIndex: 2,
      relatedCommandType: CommandType.GetInvocationOutput,
    });
  });
});

describe("empty keys", () => {
  it.each([
    ["scope", { scope: "" }],
    ["limit key", { scope: "t1", limitKey: "" }],
    ["idempotency key", { idempotencyKey: "" }],
  ] as const)("an empty %s is refused on every version", (field, extra) => {
    const r = processing(7).run((vm) => {
      vm.sysInput();
      vm.sysCall({ ...call, ...extra });
    });
    expect(r.error).toMatchObject({
      code: 500,
      message: `The ${field} of a call must not be empty: leave it out instead`,
      relatedCommandIndex: 1,
      relatedCommandType: CommandType.Call,
    });
  });
});

describe("replay", () => {
  const journaled = (scope: string, limitKey?: string) =>
    frame(CommandType.Call, {
      serviceName: "S",
      handlerName: "h",
      parameter: utf8("1"),
      scope,
      ...(limitKey !== undefined ? { limitKey } : {}),
      invocationIdNotificationIdx: 1,
      resultCompletionId: 2,
    });

  const replaying = (command: ReturnType<typeof journaled>) =>
    journalCase({ version: 7 }).start().input(inputCommand()).command(command);

  it("a call in the same scope with the same limit key matches", () => {
    const r = replaying(journaled("t1", "l1")).run((vm) => {
      vm.sysInput();
      vm.sysCall({ ...call, scope: "t1", limitKey: "l1" });
      return vm.phase;
    });
    expect(r.error).toBeUndefined();
    expect(r.value).toBe("Processing");
  });

  it.each([
    ["another scope", { scope: "t2", limitKey: "l1" }, "scope"],
    ["no scope", { limitKey: "l1" }, "scope"],
    ["another limit key", { scope: "t1", limitKey: "l2" }, "limitKey"],
  ] as const)("a call with %s is a journal mismatch (570)", (_, produced, field) => {
    const r = replaying(journaled("t1", "l1")).run((vm) => {
      vm.sysInput();
      vm.sysCall({ ...call, ...produced });
    });
    expect(r.error?.code).toBe(570);
    expect(r.errorMessage).toContain(`(differs in: ${field})`);
  });
});

describe("StartMessage", () => {
  it("V7: exposes scope, limit key and idempotency key", () => {
    const r = journalCase({ version: 7 })
      .start({ scope: "t1", limitKey: "a/b", idempotencyKey: "once" })
      .input(inputCommand())
      .run((vm) => vm.start);
    expect(r.value).toMatchObject({ scope: "t1", limitKey: "a/b", idempotencyKey: "once" });
  });

  it("reads an absent or empty field as none", () => {
    const r = journalCase({ version: 7 })
      .start({ scope: "" })
      .input(inputCommand())
      .run((vm) => vm.start);
    expect(r.value).toMatchObject({
      scope: undefined,
      limitKey: undefined,
      idempotencyKey: undefined,
    });
  });
});
