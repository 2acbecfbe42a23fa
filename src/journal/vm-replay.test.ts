// SPDX-License-Identifier: MIT
// Replay matching (docs/protocol.md §5.3): which fields of each command are compared, how a mismatch is
// reported (570), and the switch from replaying to processing.
import { describe, expect, it } from "vitest";
import { CommandType, MessageType } from "./message-types.js";
import type { CallRequest, JournalVm } from "./vm.js";
import {
  type Frame,
  completion,
  decoded,
  frame,
  hex,
  inputCommand,
  journalCase,
  rawFrame,
  result,
  utf8,
} from "./testing/journal-case.js";

interface MismatchCase {
  /** What differs. */
  readonly name: string;
  /** The journaled command at index 1. */
  readonly journaled: Frame;
  /** The handler's operation. */
  readonly op: (vm: JournalVm) => unknown;
  /** Related command name (the journaled entry's name). */
  readonly entryName?: string;
  /** `(differs in: …)`, absent when the types differ. */
  readonly differs?: string;
  /** Fragments the journaled and the handler's command must show. */
  readonly journaledText: string;
  readonly handlerText: string;
}

const CALL: CallRequest = {
  service: "Svc",
  handler: "h",
  key: "k1",
  parameter: utf8('"p"'),
  headers: [["x", "1"]],
  idempotencyKey: "i1",
  name: "c",
};
const callFrame = frame(CommandType.Call, {
  serviceName: "Svc",
  handlerName: "h",
  parameter: utf8('"p"'),
  headers: [{ key: "x", value: "1" }],
  key: "k1",
  idempotencyKey: "i1",
  invocationIdNotificationIdx: 1,
  resultCompletionId: 2,
  name: "c",
});
const sendFrame = frame(CommandType.OneWayCall, {
  serviceName: "Svc",
  handlerName: "h",
  parameter: utf8('"p"'),
  invokeTime: 1000n,
  key: "k1",
  invocationIdNotificationIdx: 1,
});
const send = { service: "Svc", handler: "h", key: "k1", parameter: utf8('"p"'), invokeTime: 1000 };

const MISMATCHES: MismatchCase[] = [
  {
    name: "SetState key",
    journaled: frame(CommandType.SetState, { key: utf8("a"), value: { content: utf8("1") } }),
    op: (vm) => vm.sysSetState("b", utf8("1")),
    differs: "key",
    journaledText: 'SetStateCommand{key: "a", value: {content: "1"}}',
    handlerText: 'SetStateCommand{key: "b", value: {content: "1"}}',
  },
  {
    name: "SetState value",
    journaled: frame(CommandType.SetState, { key: utf8("a"), value: { content: utf8("1") } }),
    op: (vm) => vm.sysSetState("a", utf8("2")),
    differs: "value",
    journaledText: 'value: {content: "1"}',
    handlerText: 'value: {content: "2"}',
  },
  {
    name: "SetState entry name",
    journaled: frame(CommandType.SetState, {
      key: utf8("a"),
      value: { content: utf8("1") },
      name: "named",
    }),
    op: (vm) => vm.sysSetState("a", utf8("1")),
    entryName: "named",
    differs: "name",
    journaledText: 'name: "named"',
    handlerText: 'SetStateCommand{key: "a", value: {content: "1"}}',
  },
  {
    name: "ClearState key",
    journaled: frame(CommandType.ClearState, { key: utf8("a") }),
    op: (vm) => vm.sysClearState("b"),
    differs: "key",
    journaledText: 'ClearStateCommand{key: "a"}',
    handlerText: 'ClearStateCommand{key: "b"}',
  },
  {
    name: "GetEagerState key",
    journaled: frame(CommandType.GetEagerState, {
      key: utf8("a"),
      result: { case: "void", value: {} },
    }),
    op: (vm) => vm.sysGetState("b"),
    differs: "key",
    journaledText: 'GetEagerStateCommand{key: "a"',
    handlerText: 'GetEagerStateCommand{key: "b"}',
  },
  {
    name: "GetLazyState key",
    journaled: frame(CommandType.GetLazyState, { key: utf8("a"), resultCompletionId: 1 }),
    op: (vm) => vm.sysGetState("b"),
    differs: "key",
    journaledText: 'GetLazyStateCommand{key: "a", resultCompletionId: 1}',
    handlerText: 'GetLazyStateCommand{key: "b", resultCompletionId: 1}',
  },
  {
    name: "GetLazyState completion id",
    journaled: frame(CommandType.GetLazyState, { key: utf8("a"), resultCompletionId: 7 }),
    op: (vm) => vm.sysGetState("a"),
    differs: "resultCompletionId",
    journaledText: "resultCompletionId: 7",
    handlerText: "resultCompletionId: 1",
  },
  {
    name: "GetPromise key",
    journaled: frame(CommandType.GetPromise, { key: "p1", resultCompletionId: 1 }),
    op: (vm) => vm.sysGetPromise("p2"),
    differs: "key",
    journaledText: 'GetPromiseCommand{key: "p1", resultCompletionId: 1}',
    handlerText: 'GetPromiseCommand{key: "p2", resultCompletionId: 1}',
  },
  {
    name: "PeekPromise key",
    journaled: frame(CommandType.PeekPromise, { key: "p1", resultCompletionId: 1 }),
    op: (vm) => vm.sysPeekPromise("p2"),
    differs: "key",
    journaledText: 'PeekPromiseCommand{key: "p1"',
    handlerText: 'PeekPromiseCommand{key: "p2"',
  },
  {
    name: "CompletePromise value vs failure",
    journaled: frame(CommandType.CompletePromise, {
      key: "p",
      completion: { case: "completionValue", value: { content: utf8("1") } },
      resultCompletionId: 1,
    }),
    op: (vm) => vm.sysCompletePromise("p", { failure: { code: 500, message: "no" } }),
    differs: "completion",
    journaledText: 'completion: completionValue: {content: "1"}',
    handlerText: 'completion: completionFailure: {code: 500, message: "no"}',
  },
  {
    name: "Sleep name",
    journaled: frame(CommandType.Sleep, { wakeUpTime: 1000n, resultCompletionId: 1, name: "nap" }),
    op: (vm) => vm.sysSleep(1000, "siesta"),
    entryName: "nap",
    differs: "name",
    journaledText: 'SleepCommand{wakeUpTime: 1000, resultCompletionId: 1, name: "nap"}',
    handlerText: 'SleepCommand{wakeUpTime: 1000, resultCompletionId: 1, name: "siesta"}',
  },
  ...(
    [
      [
        "service",
        { service: "Other" },
        "serviceName",
        'serviceName: "Svc"',
        'serviceName: "Other"',
      ],
      ["handler", { handler: "h2" }, "handlerName", 'handlerName: "h"', 'handlerName: "h2"'],
      ["key", { key: "k2" }, "key", 'key: "k1"', 'key: "k2"'],
      [
        "parameter",
        { parameter: utf8('"q"') },
        "parameter",
        'parameter: "\\"p\\""',
        'parameter: "\\"q\\""',
      ],
      ["headers", { headers: [["x", "2"]] }, "headers", 'value: "1"', 'value: "2"'],
      ["idempotency key", { idempotencyKey: "i2" }, "idempotencyKey", '"i1"', '"i2"'],
      ["name", { name: "d" }, "name", 'name: "c"', 'name: "d"'],
    ] as const
  ).map(([what, change, field, j, h]): MismatchCase => ({
    name: `Call ${what}`,
    journaled: callFrame,
    op: (vm) => vm.sysCall({ ...CALL, ...change }),
    entryName: "c",
    differs: field,
    journaledText: j,
    handlerText: h,
  })),
  {
    name: "OneWayCall handler",
    journaled: sendFrame,
    op: (vm) => vm.sysSend({ ...send, handler: "h2" }),
    differs: "handlerName",
    journaledText: 'OneWayCallCommand{serviceName: "Svc", handlerName: "h"',
    handlerText: 'OneWayCallCommand{serviceName: "Svc", handlerName: "h2"',
  },
  {
    name: "OneWayCall idempotency key",
    journaled: sendFrame,
    op: (vm) => vm.sysSend({ ...send, idempotencyKey: "new" }),
    differs: "idempotencyKey",
    journaledText: "OneWayCallCommand{",
    handlerText: 'idempotencyKey: "new"',
  },
  {
    name: "SendSignal target",
    journaled: frame(CommandType.SendSignal, {
      targetInvocationId: "inv_1a",
      signalId: { case: "idx", value: 1 },
      result: { case: "void", value: {} },
    }),
    op: (vm) => vm.sysSendSignal("inv_1b", 1),
    differs: "targetInvocationId",
    journaledText: 'targetInvocationId: "inv_1a", signalId: idx: 1, result: void: {}',
    handlerText: 'targetInvocationId: "inv_1b"',
  },
  {
    name: "SendSignal index vs name",
    journaled: frame(CommandType.SendSignal, {
      targetInvocationId: "inv_1a",
      signalId: { case: "idx", value: 17 },
      result: { case: "void", value: {} },
      entryName: "sig",
    }),
    op: (vm) => vm.sysSendSignal("inv_1a", "mysig"),
    entryName: "sig",
    differs: "signalId, entryName",
    journaledText: "signalId: idx: 17",
    handlerText: 'signalId: name: "mysig"',
  },
  {
    name: "Run name",
    journaled: frame(CommandType.Run, { resultCompletionId: 1, name: "myrun" }),
    op: (vm) => vm.sysRun("other"),
    entryName: "myrun",
    differs: "name",
    journaledText: 'RunCommand{resultCompletionId: 1, name: "myrun"}',
    handlerText: 'RunCommand{resultCompletionId: 1, name: "other"}',
  },
  {
    name: "Attach target",
    journaled: frame(CommandType.AttachInvocation, {
      target: { case: "invocationId", value: "inv_1a" },
      resultCompletionId: 1,
    }),
    op: (vm) => vm.sysAttach({ kind: "workflow", name: "W", key: "k" }),
    differs: "target",
    journaledText: 'target: invocationId: "inv_1a"',
    handlerText: 'target: workflowTarget: {workflowName: "W", workflowKey: "k"}',
  },
  {
    name: "GetInvocationOutput target",
    journaled: frame(CommandType.GetInvocationOutput, {
      target: { case: "workflowTarget", value: { workflowName: "W", workflowKey: "k1" } },
      resultCompletionId: 1,
    }),
    op: (vm) => vm.sysGetOutput({ kind: "workflow", name: "W", key: "k2" }),
    differs: "target",
    journaledText: 'workflowKey: "k1"',
    handlerText: 'workflowKey: "k2"',
  },
  {
    name: "Output value",
    journaled: frame(CommandType.Output, {
      result: { case: "value", value: { content: utf8("1") } },
    }),
    op: (vm) => vm.sysOutput({ value: utf8("2") }),
    differs: "result",
    journaledText: 'OutputCommand{result: value: {content: "1"}}',
    handlerText: 'OutputCommand{result: value: {content: "2"}}',
  },
  {
    name: "command type (SetState journaled, Sleep issued)",
    journaled: frame(CommandType.SetState, {
      key: utf8("a"),
      value: { content: utf8("1") },
      name: "s",
    }),
    op: (vm) => vm.sysSleep(5, "nap"),
    entryName: "s",
    journaledText: 'SetStateCommand{key: "a", name: "s", value: {content: "1"}}',
    handlerText: 'SleepCommand{wakeUpTime: 5, resultCompletionId: 1, name: "nap"}',
  },
  {
    name: "command type (Run journaled, get state issued)",
    journaled: frame(CommandType.Run, { resultCompletionId: 1 }),
    op: (vm) => vm.sysGetState("a"),
    journaledText: "RunCommand{resultCompletionId: 1}",
    handlerText: 'GetLazyStateCommand{key: "a", resultCompletionId: 1}',
  },
];

describe("journal mismatch (570)", () => {
  it.each(MISMATCHES)("$name", (c) => {
    const r = journalCase()
      .start({ partialState: true })
      .input(inputCommand())
      .command(c.journaled)
      .command(frame(CommandType.Sleep, { resultCompletionId: 9 }))
      .run((vm) => {
        vm.sysInput();
        c.op(vm);
      });
    expect(r.thrown).toBe(r.vm.error);
    // The handler's line is in the stacktrace (deploy-check points at it).
    expect(r.error?.stacktrace).toMatch(
      /^ProtocolError: Journal mismatch[^]*vm-replay\.test\.ts:\d+/,
    );
    expect(r.frames).toEqual([
      decoded(MessageType.Error, {
        code: 570,
        message: r.errorMessage ?? "",
        stacktrace: r.error?.stacktrace ?? "",
        relatedCommandIndex: 1,
        relatedCommandType: c.journaled.type,
        ...(c.entryName !== undefined ? { relatedCommandName: c.entryName } : {}),
      }),
    ]);
    const [head, journaledLine, handlerLine] = (r.errorMessage ?? "").split("\n");
    expect(head).toMatch(/^Journal mismatch at command #1: /);
    expect(journaledLine).toContain(c.journaledText);
    expect(handlerLine).toContain(c.handlerText);
    if (c.differs !== undefined) expect(handlerLine).toContain(`(differs in: ${c.differs})`);
    expect(r.isClosed).toBe(true);
  });
});

it("a journaled command that cannot be decoded is a protocol violation (571)", () => {
  const r = journalCase()
    .start()
    .input(inputCommand())
    .command(rawFrame(CommandType.SetState, hex("0aff")))
    .run((vm) => {
      vm.sysInput();
      vm.sysSetState("a", utf8("1"));
    });
  expect(r.error?.code).toBe(571);
  expect(r.errorMessage).toMatch(/^Malformed SetStateCommand: /);
});

describe("fields that are not compared", () => {
  const replays = (journaled: Frame, op: (vm: JournalVm) => unknown) =>
    journalCase()
      .start()
      .input(inputCommand())
      .command(journaled)
      .run((vm) => {
        vm.sysInput();
        op(vm);
        return vm.phase;
      });

  it("Sleep wake_up_time", () => {
    const r = replays(
      frame(CommandType.Sleep, { wakeUpTime: 1000n, resultCompletionId: 1, name: "nap" }),
      (vm) => vm.sysSleep(99_999, "nap"),
    );
    expect(r.error).toBeUndefined();
    expect(r.value).toBe("Processing");
  });

  it("OneWayCall invoke_time", () => {
    const r = replays(sendFrame, (vm) => vm.sysSend({ ...send, invokeTime: 5000 }));
    expect(r.error).toBeUndefined();
  });

  it("the inlined result of GetEagerState / GetEagerStateKeys", () => {
    const r = journalCase()
      .start({ state: { a: "now" } })
      .input(inputCommand())
      .command(
        frame(CommandType.GetEagerState, {
          key: utf8("a"),
          result: { case: "value", value: { content: utf8("then") } },
        }),
      )
      .command(frame(CommandType.GetEagerStateKeys, { value: { keys: [utf8("old")] } }))
      .run((vm) => {
        vm.sysInput();
        vm.sysGetState("a");
        vm.sysGetStateKeys();
      });
    expect(r.error).toBeUndefined();
  });

  it("payload bytes when payload checks are off, but not the value/failure variant", () => {
    const journal = () =>
      journalCase({ checkPayloads: false })
        .start()
        .input(inputCommand())
        .command(frame(CommandType.SetState, { key: utf8("a"), value: { content: utf8("1") } }))
        .command(callFrame)
        .command(
          frame(CommandType.Output, { result: { case: "value", value: { content: utf8("1") } } }),
        );
    const ok = journal().run((vm) => {
      vm.sysInput();
      vm.sysSetState("a", utf8("2"));
      vm.sysCall({ ...CALL, parameter: utf8('"other"') });
      vm.sysOutput({ value: utf8("2") });
    });
    expect(ok.error).toBeUndefined();
    const variant = journal().run((vm) => {
      vm.sysInput();
      vm.sysSetState("a", utf8("2"));
      vm.sysCall({ ...CALL, parameter: utf8('"other"') });
      vm.sysOutput({ failure: { code: 500, message: "x" } });
    });
    expect(variant.error).toMatchObject({ code: 570, relatedCommandIndex: 3 });
    expect(variant.errorMessage).toContain("(differs in: result)");
    const key = journal().run((vm) => {
      vm.sysInput();
      vm.sysSetState("b", utf8("1"));
    });
    expect(key.errorMessage).toContain("(differs in: key)");
  });
});

describe("from replaying to processing", () => {
  it("switches after the last replayed command and writes new commands from then on", () => {
    const r = journalCase()
      .start()
      .input(inputCommand('"in"'))
      .command(frame(CommandType.SetState, { key: utf8("a"), value: { content: utf8("1") } }))
      .command(frame(CommandType.Sleep, { wakeUpTime: 1n, resultCompletionId: 1 }))
      .notification(completion(CommandType.Sleep, 1, result.void()))
      .run((vm) => {
        const phases = [vm.phase];
        vm.sysInput();
        phases.push(vm.phase);
        vm.sysSetState("a", utf8("1"));
        phases.push(vm.phase);
        vm.sysSleep(2);
        phases.push(vm.phase);
        vm.sysSetState("b", utf8("2"));
        vm.sysOutput({ value: utf8('"out"') });
        vm.sysEnd();
        return phases;
      });
    expect(r.value).toEqual(["Replaying", "Replaying", "Replaying", "Processing"]);
    expect(r.frames).toEqual([
      decoded(CommandType.SetState, { key: utf8("b"), value: { content: utf8("2") } }),
      decoded(CommandType.Output, { result: { case: "value", value: { content: utf8('"out"') } } }),
      decoded(MessageType.End, {}),
    ]);
  });

  it("a journal with only the InputCommand is processing right after reading the input", () => {
    const r = journalCase()
      .start()
      .input(inputCommand())
      .run((vm) => {
        const before = vm.isReplaying;
        vm.sysInput();
        return [before, vm.isReplaying];
      });
    expect(r.value).toEqual([true, false]);
  });

  it("replays a journaled Output, and End still follows", () => {
    const r = journalCase()
      .start()
      .input(inputCommand())
      .command(
        frame(CommandType.Output, { result: { case: "value", value: { content: utf8("1") } } }),
      )
      .run((vm) => {
        vm.sysInput();
        vm.sysOutput({ value: utf8("1") });
        vm.sysEnd();
      });
    expect(r.frames).toEqual([decoded(MessageType.End, {})]);
  });
});
