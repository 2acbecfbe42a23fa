// SPDX-License-Identifier: MIT
// Run: RunCommand, ProposeRunCompletion, V7 acks, replay and retry counters (docs/protocol.md §6.4, §9).
import type { MessageInitShape } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  A3_ACK,
  A3_PROPOSE_V6,
  A3_PROPOSE_V7,
  A3_RUN,
  A3_RUN_COMPLETION,
} from "./__fixtures__/appendix-a.js";
import type { FailureSchema } from "./gen/protocol_pb.js";
import { type Leaf, evaluate } from "./futures.js";
import { REQUESTED_ACK } from "./framing.js";
import { CommandType, MessageType } from "./message-types.js";
import type { JournalVm, ProtocolVersion } from "./vm.js";
import {
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

describe("run while processing (A.3)", () => {
  it("V6: RunCommand and ProposeRunCompletion match A.3; the RunCompletion settles it", () => {
    const r = journalCase({ version: 6 })
      .start()
      .input(inputCommand())
      .run((vm, runtime) => {
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
    const r = journalCase({ version: 7 })
      .start()
      .input(inputCommand())
      .run((vm, runtime) => {
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
      decoded(
        MessageType.ProposeRunCompletion,
        { resultCompletionId: 1, result: { case: "value", value: RUN_RESULT } },
        REQUESTED_ACK,
      ),
    ]);
    expect(toHex(r.bytes)).toContain(toHex(hex(A3_PROPOSE_V7)));
    expect(r.value).toEqual({
      beforeAck: "pending",
      afterAck: { kind: "value", value: RUN_RESULT },
      winner: 1, // the sleep completion arrived before the ack
    });
  });

  it("V7: a failure proposal is cached with its metadata", () => {
    const r = journalCase({ version: 7 })
      .start()
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        const leaf = vm.sysRun();
        vm.proposeRun(1, {
          failure: { code: 418, message: "teapot", metadata: [{ key: "k", value: "v" }] },
        });
        runtime.send(runAck(1));
        return resultOf(vm, leaf);
      });
    expect(r.frames[1]).toEqual(
      decoded(
        MessageType.ProposeRunCompletion,
        {
          resultCompletionId: 1,
          result: {
            case: "failure",
            value: { code: 418, message: "teapot", metadata: [{ key: "k", value: "v" }] },
          },
        },
        REQUESTED_ACK,
      ),
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
    const r = journalCase({ version: 7 })
      .start()
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        vm.sysRun();
        vm.proposeRun(1, { value: RUN_RESULT });
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
      const r = journalCase({ version })
        .start()
        .input(inputCommand())
        .run((vm, runtime) => {
          vm.sysInput();
          vm.sysRun();
          vm.proposeRun(1, { value: RUN_RESULT });
          runtime.send(runAck(1));
        });
      expect(r.frames[1]).toEqual(
        decoded(MessageType.ProposeRunCompletion, {
          resultCompletionId: 1,
          result: { case: "value", value: RUN_RESULT },
        }),
      );
      expect(r.error).toMatchObject({
        code: 571,
        message: "Unexpected ProposeRunCompletionAckMessage while executing",
      });
    },
  );

  it("V5: a failure proposal with metadata is refused (573), not dropped", () => {
    const r = journalCase({ version: 5 })
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.sysRun();
        vm.proposeRun(1, {
          failure: { code: 500, message: "boom", metadata: [{ key: "attempt", value: "3" }] },
        });
      });
    expect(r.thrown).toBe(r.vm.error);
    expect(r.error).toMatchObject({
      code: 573,
      message: "Failure metadata is not supported by service protocol V5",
    });
  });

  const metadataCases: Array<[ProtocolVersion, MessageInitShape<typeof FailureSchema>]> = [
    [6, { code: 500, message: "boom", metadata: [{ key: "attempt", value: "3" }] }],
    [7, { code: 500, message: "boom", metadata: [{ key: "attempt", value: "3" }] }],
  ];
  it.each(metadataCases)("V%i: a failure proposal carries its metadata", (version, wire) => {
    const r = journalCase({ version })
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.sysRun();
        vm.proposeRun(1, {
          failure: { code: 500, message: "boom", metadata: [{ key: "attempt", value: "3" }] },
        });
      });
    expect(r.frames[1]).toEqual(
      decoded(
        MessageType.ProposeRunCompletion,
        {
          resultCompletionId: 1,
          result: { case: "failure", value: wire },
        },
        version >= 7 ? REQUESTED_ACK : 0,
      ),
    );
  });
});

describe("run on replay", () => {
  it("with its completion journaled: the closure never starts and the result is ready", () => {
    const r = journalCase()
      .start()
      .input(inputCommand())
      .command(frame(CommandType.Run, { resultCompletionId: 1, name: "myrun" }))
      .notification(completion(CommandType.Run, 1, result.value('"run result"')))
      .run((vm) => {
        vm.sysInput();
        let started = 0;
        const leaf = vm.sysRun("myrun", () => started++);
        return { started, result: resultOf(vm, leaf) };
      });
    expect(r.frames).toEqual([]);
    expect(r.value).toEqual({ started: 0, result: { kind: "value", value: RUN_RESULT } });
  });

  it("without its completion, as the last command: the closure starts at once", () => {
    const r = journalCase()
      .start()
      .input(inputCommand())
      .command(frame(CommandType.Run, { resultCompletionId: 1, name: "myrun" }))
      .run((vm) => {
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
    const r = journalCase()
      .start()
      .input(inputCommand())
      .command(frame(CommandType.Run, { resultCompletionId: 1 }))
      .notification(completion(CommandType.Run, 1, result.failure(500, "gave up")))
      .run((vm) => {
        vm.sysInput();
        let started = 0;
        const leaf = vm.sysRun("", () => started++);
        return [started, evaluate(leaf, vm.notifications)?.failed];
      });
    expect(r.value).toEqual([0, true]);
  });

  it("without its completion while commands remain: the closure waits for the replay's end", () => {
    const r = journalCase()
      .start()
      .input(inputCommand())
      .command(frame(CommandType.Run, { resultCompletionId: 1, name: "a" }))
      .command(frame(CommandType.Run, { resultCompletionId: 2, name: "b" }))
      .command(frame(CommandType.SetState, { key: utf8("k"), value: { content: utf8("1") } }))
      .run((vm) => {
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
    const r = journalCase()
      .start()
      .input(inputCommand())
      .command(frame(CommandType.Run, { resultCompletionId: 1, name: "a" }))
      .command(frame(CommandType.Run, { resultCompletionId: 1, name: "b" }))
      .run((vm) => {
        vm.sysInput();
        vm.sysRun("a", () => started++);
      });
    expect(started).toBe(0);
    expect(r.thrown).toBe(r.vm.error);
    expect(r.frames).toEqual([
      decoded(MessageType.Error, {
        code: 570,
        message:
          "Journal mismatch at command #2: completion id 1 is already taken by command #1; a " +
          "handler allocates every completion id once, so no handler can replay this journal",
        stacktrace: r.error?.stacktrace ?? "",
        relatedCommandIndex: 2,
        relatedCommandType: CommandType.Run,
        relatedCommandName: "b",
      }),
    ]);
  });

  it("a Call repeating an id of an earlier command is refused too", () => {
    const r = journalCase()
      .start()
      .input(inputCommand())
      .command(frame(CommandType.Sleep, { resultCompletionId: 2 }))
      .command(
        frame(CommandType.Call, {
          serviceName: "s",
          handlerName: "h",
          invocationIdNotificationIdx: 1,
          resultCompletionId: 2,
        }),
      )
      .run();
    expect(r.error).toMatchObject({ code: 570, relatedCommandIndex: 2 });
    expect(r.errorMessage).toMatch(/completion id 2 is already taken by command #1/);
  });

  it("awaiting a run the journal never completed while commands remain is a mismatch (570)", () => {
    let started = 0;
    const r = journalCase()
      .start()
      .input(inputCommand())
      .command(frame(CommandType.Run, { resultCompletionId: 1, name: "a" }))
      .command(frame(CommandType.Sleep, { resultCompletionId: 2, name: "nap" }))
      .run((vm) => {
        vm.sysInput();
        const leaf = vm.sysRun("a", () => started++);
        vm.suspend([leaf]); // what the scheduler does once the handler is blocked on it
      });
    expect(started).toBe(0);
    expect(r.frames).toEqual([
      decoded(MessageType.Error, {
        code: 570,
        message:
          "Journal mismatch at command #2: the handler waits on completion 1, which the journal " +
          "never settles, yet the journal goes on with SleepCommand. The code probably added an " +
          "await since the journal was written.",
        stacktrace: r.error?.stacktrace ?? "",
        relatedCommandIndex: 2,
        relatedCommandType: CommandType.Sleep,
        relatedCommandName: "nap",
      }),
    ]);
  });
});

describe("runRetryInfo (docs/protocol.md §9)", () => {
  const replayedRun = (start: { retryCount: number; durationMs: number }) =>
    journalCase()
      .start(start)
      .input(inputCommand())
      .command(frame(CommandType.Run, { resultCompletionId: 1, name: "r" }));

  it("the replayed run that failed last time takes the Start counters", () => {
    const r = replayedRun({ retryCount: 3, durationMs: 1721 }).run((vm) => {
      vm.sysInput();
      vm.sysRun("r");
      return vm.runRetryInfo(1);
    });
    expect(r.value).toEqual({ retryCount: 3, durationMs: 1721 });
  });

  it("a retry count of 0 means no duration either", () => {
    const r = replayedRun({ retryCount: 0, durationMs: 527 }).run((vm) => {
      vm.sysInput();
      vm.sysRun("r");
      return vm.runRetryInfo(1);
    });
    expect(r.value).toEqual({ retryCount: 0, durationMs: 0 });
  });

  it("is reset once a new command was written after replay", () => {
    const r = replayedRun({ retryCount: 3, durationMs: 1721 }).run((vm) => {
      vm.sysInput();
      vm.sysRun("r");
      vm.sysSleep(1);
      return vm.runRetryInfo(1);
    });
    expect(r.value).toEqual({ retryCount: 0, durationMs: 0 });
  });

  it("a run first issued in this attempt starts from zero", () => {
    const r = journalCase()
      .start({ retryCount: 3, durationMs: 1721 })
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.sysRun("fresh");
        return vm.runRetryInfo(1);
      });
    expect(r.value).toEqual({ retryCount: 0, durationMs: 0 });
  });
});
