// SPDX-License-Identifier: MIT
// Calls, one-way calls, signals to other invocations, attach and get-output (docs/protocol.md §6.3, §6.6).
import { describe, expect, it } from "vitest";
import {
  A4_CALL,
  A4_INVOCATION_ID,
  A4_RESULT,
  A6_CANCEL_TARGET,
  A6_SEND_CANCEL,
} from "./__fixtures__/appendix-a.js";
import { type Leaf, evaluate } from "./futures.js";
import { CommandType } from "./message-types.js";
import type { Target } from "./values.js";
import type { JournalVm } from "./vm.js";
import {
  completion,
  decoded,
  hex,
  type InitOf,
  inputCommand,
  journalCase,
  result,
  toHex,
  utf8,
} from "./testing/journal-case.js";

function resultOf(vm: JournalVm, leaf: Leaf) {
  const outcome = evaluate(leaf, vm.notifications);
  return outcome?.kind === "leaf" ? outcome.result : "pending";
}

const processing = () => journalCase().start().input(inputCommand());

describe("call", () => {
  it("allocates the invocation-id then the result completion id, and matches A.4", () => {
    const r = processing().run((vm, runtime) => {
      vm.sysInput();
      const call = vm.sysCall({
        service: "MyService",
        handler: "myHandler",
        parameter: utf8('"from caller"'),
      });
      runtime.send(hex(A4_INVOCATION_ID));
      const idOnly = [resultOf(vm, call.invocationId), resultOf(vm, call.result)];
      runtime.send(hex(A4_RESULT));
      return { call, idOnly, result: resultOf(vm, call.result) };
    });
    expect(toHex(r.bytes)).toBe(toHex(hex(A4_CALL)));
    expect(r.value).toEqual({
      call: { invocationId: { kind: "completion", id: 1 }, result: { kind: "completion", id: 2 } },
      idOnly: [
        { kind: "invocationId", invocationId: "inv_15I5jo3v8rpR1N29glwVeLmiJJTiz75tM5" },
        "pending",
      ],
      result: { kind: "value", value: utf8('"hello from fake"') },
    });
  });

  it("writes key, headers, idempotency key and name", () => {
    const r = processing().run((vm) => {
      vm.sysInput();
      vm.sysSleep(1); // completion id 1
      return vm.sysCall({
        service: "Counter",
        handler: "add",
        key: "my-key",
        parameter: utf8("1"),
        headers: [
          ["x-a", "1"],
          ["x-b", "2"],
        ],
        idempotencyKey: "idem-1",
        name: "add-one",
      });
    });
    expect(r.frames[1]).toEqual(
      decoded(CommandType.Call, {
        serviceName: "Counter",
        handlerName: "add",
        parameter: utf8("1"),
        headers: [
          { key: "x-a", value: "1" },
          { key: "x-b", value: "2" },
        ],
        key: "my-key",
        idempotencyKey: "idem-1",
        invocationIdNotificationIdx: 2,
        resultCompletionId: 3,
        name: "add-one",
      }),
    );
  });

  it("a failed call completion settles the result as a failure", () => {
    const r = processing().run((vm, runtime) => {
      vm.sysInput();
      const call = vm.sysCall({ service: "S", handler: "h", parameter: utf8("") });
      runtime.send(completion(CommandType.Call, 2, result.failure(409, "Cancelled")));
      return resultOf(vm, call.result);
    });
    expect(r.value).toEqual({ kind: "failure", code: 409, message: "Cancelled", metadata: [] });
  });
});

describe("one-way call", () => {
  it("writes invoke_time and the idempotency key, and allocates one id", () => {
    const r = processing().run((vm, runtime) => {
      vm.sysInput();
      const id = vm.sysSend({
        service: "Mailer",
        handler: "send",
        key: "k",
        parameter: utf8('"hi"'),
        invokeTime: 1795411639709,
        idempotencyKey: "once",
        name: "later",
      });
      runtime.send(completion(CommandType.OneWayCall, 1, result.invocationId("inv_1abc")));
      return { id, next: vm.sysSleep(1).id, invocationId: resultOf(vm, id) };
    });
    expect(r.frames[0]).toEqual(
      decoded(CommandType.OneWayCall, {
        serviceName: "Mailer",
        handlerName: "send",
        parameter: utf8('"hi"'),
        invokeTime: 1795411639709n,
        key: "k",
        idempotencyKey: "once",
        invocationIdNotificationIdx: 1,
        name: "later",
      }),
    );
    expect(r.value).toEqual({
      id: { kind: "completion", id: 1 },
      next: 2,
      invocationId: { kind: "invocationId", invocationId: "inv_1abc" },
    });
  });

  it("without a delay or idempotency key writes neither field", () => {
    const r = processing().run((vm) => {
      vm.sysInput();
      vm.sysSend({ service: "S", handler: "h", parameter: utf8("") });
    });
    // 0a0153 (service) 120168 (handler) 5001 (idx): no invoke_time (4), no idempotency key (7).
    expect(toHex(r.bytes)).toBe("040e000000000008" + "0a0153" + "120168" + "5001");
  });
});

describe("send signal", () => {
  it("cancel of another invocation matches A.6", () => {
    const r = processing().run((vm) => {
      vm.sysInput();
      vm.sysCancel(A6_CANCEL_TARGET);
      return vm.sysSleep(1).id; // send signal allocates no completion id
    });
    expect(toHex(r.bytes.subarray(0, hex(A6_SEND_CANCEL).length))).toBe(toHex(hex(A6_SEND_CANCEL)));
    expect(r.value).toBe(1);
  });

  it("named signal with a value, and indexed signal with a failure", () => {
    const r = processing().run((vm) => {
      vm.sysInput();
      vm.sysSendSignal("inv_1target", "mysig", { value: utf8('"sig value"') });
      vm.sysSendSignal("inv_1target", 17, { failure: { code: 500, message: "nope" } });
    });
    expect(r.frames).toEqual([
      decoded(CommandType.SendSignal, {
        targetInvocationId: "inv_1target",
        signalId: { case: "name", value: "mysig" },
        result: { case: "value", value: { content: utf8('"sig value"') } },
      }),
      decoded(CommandType.SendSignal, {
        targetInvocationId: "inv_1target",
        signalId: { case: "idx", value: 17 },
        result: { case: "failure", value: { code: 500, message: "nope" } },
      }),
    ]);
  });
});

type TargetInit = Extract<InitOf<typeof CommandType.AttachInvocation>["target"], { case: string }>;

const TARGETS: Array<[string, Target, TargetInit]> = [
  [
    "invocation id",
    { kind: "invocation", invocationId: "inv_1xyz" },
    { case: "invocationId", value: "inv_1xyz" },
  ],
  [
    "workflow",
    { kind: "workflow", name: "Signup", key: "alice" },
    { case: "workflowTarget", value: { workflowName: "Signup", workflowKey: "alice" } },
  ],
  [
    "idempotent request (keyed)",
    { kind: "idempotent", service: "Counter", key: "c1", handler: "add", idempotencyKey: "i1" },
    {
      case: "idempotentRequestTarget",
      value: { serviceName: "Counter", serviceKey: "c1", handlerName: "add", idempotencyKey: "i1" },
    },
  ],
  [
    "idempotent request (service)",
    { kind: "idempotent", service: "Greeter", handler: "greet", idempotencyKey: "i2" },
    {
      case: "idempotentRequestTarget",
      value: { serviceName: "Greeter", handlerName: "greet", idempotencyKey: "i2" },
    },
  ],
];

describe("attach and get-output", () => {
  it.each(TARGETS)("attach to a %s target", (_name, target, wire) => {
    const r = processing().run((vm, runtime) => {
      vm.sysInput();
      const leaf = vm.sysAttach(target, "att");
      runtime.send(completion(CommandType.AttachInvocation, 1, result.value('"done"')));
      return resultOf(vm, leaf);
    });
    expect(r.frames).toEqual([
      decoded(CommandType.AttachInvocation, {
        target: wire,
        resultCompletionId: 1,
        name: "att",
      }),
    ]);
    expect(r.value).toEqual({ kind: "value", value: utf8('"done"') });
  });

  it.each(TARGETS)("get the output of a %s target", (_name, target, wire) => {
    const r = processing().run((vm, runtime) => {
      vm.sysInput();
      const leaf = vm.sysGetOutput(target);
      runtime.send(completion(CommandType.GetInvocationOutput, 1, result.void()));
      return resultOf(vm, leaf);
    });
    expect(r.frames).toEqual([
      decoded(CommandType.GetInvocationOutput, { target: wire, resultCompletionId: 1 }),
    ]);
    expect(r.value).toEqual({ kind: "void" }); // not finished yet
  });
});
