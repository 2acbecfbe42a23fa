// SPDX-License-Identifier: MIT
// Durable promises of workflows: get, peek, complete (docs/protocol.md §6.7).
import { describe, expect, it } from "vitest";
import { type Leaf, evaluate } from "./futures.js";
import { CommandType } from "./message-types.js";
import type { JournalVm } from "./vm.js";
import {
  completion,
  decoded,
  frame,
  inputCommand,
  journalCase,
  result,
  utf8,
} from "./testing/journal-case.js";

function resultOf(vm: JournalVm, leaf: Leaf) {
  const outcome = evaluate(leaf, vm.notifications);
  return outcome?.kind === "leaf" ? outcome.result : "pending";
}

const workflow = () => journalCase().start({ key: "wf-1" }).input(inputCommand());

describe("get promise", () => {
  it("writes GetPromiseCommand and is settled by its value", () => {
    const r = workflow().run((vm, runtime) => {
      vm.sysInput();
      const leaf = vm.sysGetPromise("approval");
      const before = resultOf(vm, leaf);
      runtime.send(completion(CommandType.GetPromise, 1, result.value('"yes"')));
      return [before, resultOf(vm, leaf), vm.start.key];
    });
    expect(r.frames).toEqual([
      decoded(CommandType.GetPromise, { key: "approval", resultCompletionId: 1 }),
    ]);
    expect(r.value).toEqual(["pending", { kind: "value", value: utf8('"yes"') }, "wf-1"]);
  });

  it("is settled as failed by a rejected promise", () => {
    const r = workflow().run((vm, runtime) => {
      vm.sysInput();
      const leaf = vm.sysGetPromise("approval");
      runtime.send(completion(CommandType.GetPromise, 1, result.failure(400, "denied")));
      return resultOf(vm, leaf);
    });
    expect(r.value).toEqual({ kind: "failure", code: 400, message: "denied", metadata: [] });
  });
});

describe("peek promise", () => {
  it.each([
    ["not completed yet", result.void(), { kind: "void" }],
    ["completed", result.value('"v"'), { kind: "value", value: utf8('"v"') }],
    [
      "rejected",
      result.failure(500, "x"),
      { kind: "failure", code: 500, message: "x", metadata: [] },
    ],
  ])("writes PeekPromiseCommand; %s", (_name, res, expected) => {
    const r = workflow().run((vm, runtime) => {
      vm.sysInput();
      const leaf = vm.sysPeekPromise("p");
      runtime.send(completion(CommandType.PeekPromise, 1, res));
      return resultOf(vm, leaf);
    });
    expect(r.frames).toEqual([
      decoded(CommandType.PeekPromise, { key: "p", resultCompletionId: 1 }),
    ]);
    expect(r.value).toEqual(expected);
  });
});

describe("complete promise", () => {
  it("resolves with a value: void completion means done", () => {
    const r = workflow().run((vm, runtime) => {
      vm.sysInput();
      const leaf = vm.sysCompletePromise("p", { value: utf8('"v"') });
      runtime.send(completion(CommandType.CompletePromise, 1, result.void()));
      return resultOf(vm, leaf);
    });
    expect(r.frames).toEqual([
      decoded(CommandType.CompletePromise, {
        key: "p",
        completion: { case: "completionValue", value: { content: utf8('"v"') } },
        resultCompletionId: 1,
      }),
    ]);
    expect(r.value).toEqual({ kind: "void" });
  });

  it("rejects with a failure: a failure completion means already completed", () => {
    const r = workflow().run((vm, runtime) => {
      vm.sysInput();
      const leaf = vm.sysCompletePromise("p", { failure: { code: 409, message: "no" } });
      runtime.send(
        completion(
          CommandType.CompletePromise,
          1,
          result.failure(409, "promise already completed"),
        ),
      );
      return resultOf(vm, leaf);
    });
    expect(r.frames).toEqual([
      decoded(CommandType.CompletePromise, {
        key: "p",
        completion: { case: "completionFailure", value: { code: 409, message: "no" } },
        resultCompletionId: 1,
      }),
    ]);
    expect(r.value).toMatchObject({ kind: "failure", message: "promise already completed" });
  });

  it("each promise operation allocates one completion id", () => {
    const r = workflow().run((vm) => {
      vm.sysInput();
      return [
        vm.sysGetPromise("a").id,
        vm.sysPeekPromise("b").id,
        vm.sysCompletePromise("c", { value: utf8("1") }).id,
      ];
    });
    expect(r.value).toEqual([1, 2, 3]);
  });
});

describe("promises on replay", () => {
  const journal = () =>
    journalCase()
      .start({ key: "wf-1" })
      .input(inputCommand())
      .command(frame(CommandType.GetPromise, { key: "a", resultCompletionId: 1 }))
      .command(frame(CommandType.PeekPromise, { key: "b", resultCompletionId: 2 }))
      .command(
        frame(CommandType.CompletePromise, {
          key: "c",
          completion: { case: "completionValue", value: { content: utf8("1") } },
          resultCompletionId: 3,
        }),
      )
      .notification(completion(CommandType.PeekPromise, 2, result.void()));

  it("match the journal and take replayed results", () => {
    const r = journal().run((vm) => {
      vm.sysInput();
      const get = vm.sysGetPromise("a");
      const peek = vm.sysPeekPromise("b");
      vm.sysCompletePromise("c", { value: utf8("1") });
      return [resultOf(vm, get), resultOf(vm, peek), vm.phase];
    });
    expect(r.frames).toEqual([]);
    expect(r.value).toEqual(["pending", { kind: "void" }, "Processing"]);
  });

  it("a different completion value is a mismatch", () => {
    const r = journal().run((vm) => {
      vm.sysInput();
      vm.sysGetPromise("a");
      vm.sysPeekPromise("b");
      vm.sysCompletePromise("c", { value: utf8("2") });
    });
    expect(r.error).toMatchObject({ code: 570, relatedCommandIndex: 3 });
    expect(r.errorMessage).toContain("differs in: completion");
  });
});
