// SPDX-License-Identifier: MIT
// Run: RunCommand, ProposeRunCompletion, V7 acks, replay and retry counters (docs/protocol.md §6.4, §9).
import { describe, expect, it } from "vitest";
import {
  A3_ACK,
  A3_PROPOSE_V6,
  A3_PROPOSE_V7,
  A3_RUN,
  A3_RUN_COMPLETION,
} from "./__fixtures__/appendix-a.js";
import { type Leaf, evaluate } from "./futures.js";
import { REQUESTED_ACK } from "./framing.js";
import { CommandType, MessageType } from "./message-types.js";
import type { JournalVm, ProtocolVersion, Result } from "./vm.js";
import {
  type Frame,
  completion,
  decoded,
  frame,
  hex,
  inputCommand,
  journalCase,
  result,
  runAck,
  toHex,
  utf8,
} from "./testing/journal-case.js";

const RUN_RESULT = utf8('"run result"');

function resultOf(vm: JournalVm, leaf: Leaf) {
  const outcome = evaluate(leaf, vm.notifications);
  return outcome?.kind === "leaf" ? outcome.result : "pending";
}

/** A new invocation: Start and Input, nothing else journaled. */
const processing = (version: ProtocolVersion = 6) =>
  journalCase({ version }).start().input(inputCommand());

/** An invocation replaying `entries` (commands and notifications) after its input. */
const replaying = (...entries: Frame[]) =>
  entries.reduce((c, entry) => c.command(entry), journalCase().start().input(inputCommand()));

/** A journaled RunCommand. */
const runCommand = (id: number, name?: string) =>
  frame(CommandType.Run, { resultCompletionId: id, ...(name !== undefined ? { name } : {}) });

/** Reads the input, starts one run and proposes `proposal` for it (completion id 1). */
const proposeOneRun = (proposal: Result) => (vm: JournalVm) => {
  vm.sysInput();
  vm.sysRun();
  vm.proposeRun(1, proposal);
};

/** The decoded ProposeRunCompletion the engine writes for run 1 (V7 requests an ack). */
const proposal = (version: ProtocolVersion, proposed: Result) =>
  decoded(
    MessageType.ProposeRunCompletion,
    {
      resultCompletionId: 1,
      result:
        "value" in proposed
          ? { case: "value", value: proposed.value }
          : {
              case: "failure",
              value: { ...proposed.failure, metadata: [...(proposed.failure.metadata ?? [])] },
            },
    },
    version >= 7 ? REQUESTED_ACK : 0,
  );

/** The only frame a case failing with a journal mismatch writes. */
const mismatch = (
  r: { readonly error: { readonly stacktrace: string } | undefined },
  message: string,
  related: { relatedCommandIndex: number; relatedCommandType: number; relatedCommandName: string },
) => [
  decoded(MessageType.Error, {
    code: 570,
    message,
    stacktrace: r.error?.stacktrace ?? "",
    ...related,
  }),
];

const FAILURE_WITH_METADATA = {
  code: 500,
  message: "boom",
  metadata: [{ key: "attempt", value: "3" }],
} as const;

describe("run while processing (A.3)", () => {
  it("V6: RunCommand and ProposeRunCompletion match A.3; the RunCompletion settles it", () => {
    const r = processing(6).run((vm, runtime) => {
      vm.sysInput();
      const started: number[] = [];
      const leaf = vm.sysRun("myrun", (id) => started.push(id));
      vm.proposeRun(leaf.id as number, { value: RUN_RESULT });
      const proposed = resultOf(vm, leaf); // never straight from the closure
      runtime.send(hex(A3_RUN_COMPLETION));
      return { started, proposed, completed: resultOf(vm, leaf) };
    });
    expect(toHex(r.bytes)).toBe(toHex(hex(A3_RUN + A3_PROPOSE_V6)));
    expect(r.value).toEqual({
      started: [1],
      proposed: "pending",
      completed: { kind: "value", value: RUN_RESULT },
    });
  });

  it("V7: sets REQUESTED_ACK; the ack inserts the cached result at its position", () => {
    const r = processing(7).run((vm, runtime) => {
      vm.sysInput();
      const run = vm.sysRun("myrun");
      const sleep = vm.sysSleep(5);
      vm.proposeRun(1, { value: RUN_RESULT });
      const beforeAck = resultOf(vm, run);
      runtime.send(completion(CommandType.Sleep, 2, result.void()), hex(A3_ACK));
      const race = evaluate({ kind: "race", children: [run, sleep] }, vm.notifications);
      return {
        beforeAck,
        afterAck: resultOf(vm, run),
        winner: race?.kind === "combinator" && race.winner,
      };
    });
    expect(r.frames).toEqual([
      decoded(CommandType.Run, { resultCompletionId: 1, name: "myrun" }),
      decoded(CommandType.Sleep, { wakeUpTime: 5n, resultCompletionId: 2 }),
      proposal(7, { value: RUN_RESULT }),
    ]);
    expect(toHex(r.bytes)).toContain(toHex(hex(A3_PROPOSE_V7)));
    expect(r.value).toEqual({
      beforeAck: "pending",
      afterAck: { kind: "value", value: RUN_RESULT },
      winner: 1, // the sleep completion arrived before the ack
    });
  });

  it("V7: a failure proposal is cached with its metadata", () => {
    const r = processing(7).run((vm, runtime) => {
      vm.sysInput();
      const leaf = vm.sysRun();
      vm.proposeRun(1, {
        failure: { code: 418, message: "teapot", metadata: [{ key: "k", value: "v" }] },
      });
      runtime.send(runAck(1));
      return resultOf(vm, leaf);
    });
    expect(r.frames[1]).toEqual(
      proposal(7, {
        failure: { code: 418, message: "teapot", metadata: [{ key: "k", value: "v" }] },
      }),
    );
    expect(r.value).toEqual({
      kind: "failure",
      code: 418,
      message: "teapot",
      metadata: [{ key: "k", value: "v" }],
    });
  });

  it.each([
    ["for a completion never proposed", [runAck(5)], 5],
    ["twice for the same completion", [runAck(1), runAck(1)], 1],
  ])("V7: an ack %s is a protocol violation (571)", (_name, acks, id) => {
    const r = processing(7).run((vm, runtime) => {
      proposeOneRun({ value: RUN_RESULT })(vm);
      runtime.send(...acks);
    });
    expect(r.error).toMatchObject({
      code: 571,
      message: `ProposeRunCompletionAck for completion ${id}, which this attempt did not propose`,
    });
    expect(r.isClosed).toBe(true);
  });

  it.each([5, 6] as const)(
    "V%i: no REQUESTED_ACK, and an ack message is unexpected (571)",
    (version) => {
      const r = processing(version).run((vm, runtime) => {
        proposeOneRun({ value: RUN_RESULT })(vm);
        runtime.send(runAck(1));
      });
      expect(r.frames[1]).toEqual(proposal(version, { value: RUN_RESULT }));
      expect(r.error).toMatchObject({
        code: 571,
        message: "Unexpected ProposeRunCompletionAckMessage while executing",
      });
    },
  );

  it("V5: a failure proposal with metadata is refused (573), not dropped", () => {
    const r = processing(5).run(proposeOneRun({ failure: FAILURE_WITH_METADATA }));
    expect(r.thrown).toBe(r.vm.error);
    expect(r.error).toMatchObject({
      code: 573,
      message: "Failure metadata is not supported by service protocol V5",
    });
  });

  it.each([6, 7] as const)("V%i: a failure proposal carries its metadata", (version) => {
    const r = processing(version).run(proposeOneRun({ failure: FAILURE_WITH_METADATA }));
    expect(r.frames[1]).toEqual(proposal(version, { failure: FAILURE_WITH_METADATA }));
  });
});

describe("run on replay", () => {
  it("with its completion journaled: the closure never starts and the result is ready", () => {
    const r = replaying(
      runCommand(1, "myrun"),
      completion(CommandType.Run, 1, result.value('"run result"')),
    ).run((vm) => {
      vm.sysInput();
      let started = 0;
      const leaf = vm.sysRun("myrun", () => started++);
      return { started, result: resultOf(vm, leaf) };
    });
    expect(r.frames).toEqual([]);
    expect(r.value).toEqual({ started: 0, result: { kind: "value", value: RUN_RESULT } });
  });

  it("without its completion, as the last command: the closure starts at once", () => {
    const r = replaying(runCommand(1, "myrun")).run((vm) => {
      vm.sysInput();
      let started = 0;
      vm.sysRun("myrun", () => started++);
      vm.proposeRun(1, { value: RUN_RESULT });
      return started;
    });
    expect(r.value).toBe(1);
    expect(toHex(r.bytes)).toBe(toHex(hex(A3_PROPOSE_V6)));
  });

  it("a journaled failure completion settles the run as failed", () => {
    const r = replaying(
      runCommand(1),
      completion(CommandType.Run, 1, result.failure(500, "gave up")),
    ).run((vm) => {
      vm.sysInput();
      let started = 0;
      const leaf = vm.sysRun("", () => started++);
      return [started, evaluate(leaf, vm.notifications)?.failed];
    });
    expect(r.value).toEqual([0, true]);
  });

  it("without its completion while commands remain: the closure waits for the replay's end", () => {
    const r = replaying(
      runCommand(1, "a"),
      runCommand(2, "b"),
      frame(CommandType.SetState, { key: utf8("k"), value: { content: utf8("1") } }),
    ).run((vm) => {
      vm.sysInput();
      const started: string[] = [];
      vm.sysRun("a", () => started.push("a"));
      vm.sysRun("b", () => started.push("b"));
      const beforeLast = [...started];
      vm.sysSetState("k", utf8("1"));
      return { beforeLast, afterLast: started, phase: vm.phase };
    });
    expect(r.value).toEqual({ beforeLast: [], afterLast: ["a", "b"], phase: "Processing" });
    expect(r.frames).toEqual([]);
  });

  it("a journal repeating a completion id is refused (570) before any closure starts", () => {
    let started = 0;
    const r = replaying(runCommand(1, "a"), runCommand(1, "b")).run((vm) => {
      vm.sysInput();
      vm.sysRun("a", () => started++);
    });
    expect(started).toBe(0);
    expect(r.thrown).toBe(r.vm.error);
    expect(r.frames).toEqual(
      mismatch(
        r,
        "Journal mismatch at command #2: completion id 1 is already taken by command #1; a " +
          "handler allocates every completion id once, so no handler can replay this journal",
        { relatedCommandIndex: 2, relatedCommandType: CommandType.Run, relatedCommandName: "b" },
      ),
    );
  });

  it("a Call repeating an id of an earlier command is refused too", () => {
    const r = replaying(
      frame(CommandType.Sleep, { resultCompletionId: 2 }),
      frame(CommandType.Call, {
        serviceName: "s",
        handlerName: "h",
        invocationIdNotificationIdx: 1,
        resultCompletionId: 2,
      }),
    ).run();
    expect(r.error).toMatchObject({ code: 570, relatedCommandIndex: 2 });
    expect(r.errorMessage).toMatch(/completion id 2 is already taken by command #1/);
  });

  it("awaiting a run the journal never completed while commands remain is a mismatch (570)", () => {
    let started = 0;
    const r = replaying(
      runCommand(1, "a"),
      frame(CommandType.Sleep, { resultCompletionId: 2, name: "nap" }),
    ).run((vm) => {
      vm.sysInput();
      const leaf = vm.sysRun("a", () => started++);
      vm.suspend([leaf]); // what the scheduler does once the handler is blocked on it
    });
    expect(started).toBe(0);
    expect(r.frames).toEqual(
      mismatch(
        r,
        "Journal mismatch at command #2: the handler waits on completion 1, which the journal " +
          "never settles, yet the journal goes on with SleepCommand. The code probably added an " +
          "await since the journal was written.",
        {
          relatedCommandIndex: 2,
          relatedCommandType: CommandType.Sleep,
          relatedCommandName: "nap",
        },
      ),
    );
  });
});

describe("runRetryInfo (docs/protocol.md §9)", () => {
  /**
   * The counters of run "r" (completion 1), started after the given StartMessage counters, with
   * its RunCommand journaled or not; `then` runs before the counters are read.
   */
  const retryInfo = (
    start: { retryCount: number; durationMs: number },
    { isJournaled = true, then = (_vm: JournalVm) => {} } = {},
  ) => {
    const invocation = journalCase().start(start).input(inputCommand());
    if (isJournaled) invocation.command(runCommand(1, "r"));
    return invocation.run((vm) => {
      vm.sysInput();
      vm.sysRun("r");
      then(vm);
      return vm.runRetryInfo(1);
    }).value;
  };

  it("the replayed run that failed last time takes the Start counters", () => {
    expect(retryInfo({ retryCount: 3, durationMs: 1721 })).toEqual({
      retryCount: 3,
      durationMs: 1721,
    });
  });

  it("a retry count of 0 means no duration either", () => {
    expect(retryInfo({ retryCount: 0, durationMs: 527 })).toEqual({ retryCount: 0, durationMs: 0 });
  });

  it("is reset once a new command was written after replay", () => {
    const then = (vm: JournalVm) => void vm.sysSleep(1);
    expect(retryInfo({ retryCount: 3, durationMs: 1721 }, { then })).toEqual({
      retryCount: 0,
      durationMs: 0,
    });
  });

  it("a run first issued in this attempt starts from zero", () => {
    expect(retryInfo({ retryCount: 3, durationMs: 1721 }, { isJournaled: false })).toEqual({
      retryCount: 0,
      durationMs: 0,
    });
  });
});
