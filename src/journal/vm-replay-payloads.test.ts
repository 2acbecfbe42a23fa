// SPDX-License-Identifier: MIT
// Replay with payload checks off (a journal value codec is set: it may encode the same value
// differently on each attempt): which payload bytes are skipped, and what is still compared.
import { describe, expect, it } from "vitest";
import { CommandType } from "./message-types.js";
import type { JournalVm } from "./vm.js";
import { type Frame, frame, inputCommand, journalCase, utf8 } from "./testing/journal-case.js";

const sendFrame = frame(CommandType.OneWayCall, {
  serviceName: "Svc",
  handlerName: "h",
  parameter: utf8('"p"'),
  invokeTime: 1000n,
  key: "k1",
  invocationIdNotificationIdx: 1,
});
const send = { service: "Svc", handler: "h", key: "k1", parameter: utf8('"p"'), invokeTime: 1000 };

describe("payload checks off (a journal value codec is set)", () => {
  const replay = (journaled: Frame, op: (vm: JournalVm) => unknown) =>
    journalCase({ checkPayloads: false })
      .start()
      .input(inputCommand())
      .command(journaled)
      .run((vm) => {
        vm.sysInput();
        op(vm);
      });
  const value = (text: string) => ({ case: "value" as const, value: { content: utf8(text) } });

  it("skips the value bytes of awakeable and promise completions, and one-way call parameters", () => {
    const awakeable = replay(
      frame(CommandType.CompleteAwakeable, { awakeableId: "a1", result: value("1") }),
      (vm) => vm.sysCompleteAwakeable("a1", { value: utf8("2") }),
    );
    expect(awakeable.error).toBeUndefined();
    const promise = replay(
      frame(CommandType.CompletePromise, {
        key: "p",
        completion: { case: "completionValue", value: { content: utf8("1") } },
        resultCompletionId: 1,
      }),
      (vm) => vm.sysCompletePromise("p", { value: utf8("2") }),
    );
    expect(promise.error).toBeUndefined();
    const oneWay = replay(sendFrame, (vm) => vm.sysSend({ ...send, parameter: utf8('"other"') }));
    expect(oneWay.error).toBeUndefined();
  });

  it("still compares failures, the awakeable id, and named-signal payloads", () => {
    const failure = replay(
      frame(CommandType.Output, {
        result: { case: "failure", value: { code: 500, message: "one" } },
      }),
      (vm) => vm.sysOutput({ failure: { code: 500, message: "two" } }),
    );
    expect(failure.errorMessage).toContain("(differs in: result)");
    const id = replay(
      frame(CommandType.CompleteAwakeable, { awakeableId: "a1", result: value("1") }),
      (vm) => vm.sysCompleteAwakeable("a2", { value: utf8("1") }),
    );
    expect(id.errorMessage).toContain("(differs in: awakeableId)");
    // As in the official shared core, SendSignal keeps its full comparison.
    const signal = replay(
      frame(CommandType.SendSignal, {
        targetInvocationId: "inv_1a",
        signalId: { case: "name", value: "s" },
        result: value("1"),
      }),
      (vm) => vm.sysSendSignal("inv_1a", "s", { value: utf8("2") }),
    );
    expect(signal.errorMessage).toContain("(differs in: result)");
  });
});
