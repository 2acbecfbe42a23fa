// SPDX-License-Identifier: MIT
// Sleep (docs/protocol.md §6.2) and the A.1/A.2 wire captures of Appendix A, byte for byte.
import { describe, expect, it } from "vitest";
import {
  A1_INPUT,
  A1_RESPONSE,
  A1_START,
  A2_JOURNAL,
  A2_RESPONSE,
  A2_START,
} from "./__fixtures__/appendix-a.js";
import { evaluate } from "./futures.js";
import { CommandType, MessageType } from "./message-types.js";
import {
  completion,
  decoded,
  frame,
  hex,
  inputCommand,
  journalCase,
  result,
  toHex,
  utf8,
} from "./testing/journal-case.js";

const WAKE_UP = 1795411639709;
const A1_HEADERS = [
  ["x-restate-ingress-path", "/MyService/sleeper"],
  ["user-agent", "curl/7.88.1"],
  ["accept", "*/*"],
  ["content-type", "application/json"],
  ["content-length", "4"],
] as const;
const A1_START_FIELDS = {
  id: "86b83c778950dc10b420d2ee2d0f2ac208efc635dd96fa50",
  debugId: "inv_11rKpC4ZG91A2sNU9SjjNLh9T9i8lFNbWk",
  partialState: true,
  seed: 6539124921464848530n,
};

describe("SleepCommand", () => {
  it("carries wake_up_time, the next completion id and the name", () => {
    const r = journalCase()
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        return [vm.sysSleep(1000, "nap"), vm.sysSleep(2000)];
      });
    expect(r.value).toEqual([
      { kind: "completion", id: 1 },
      { kind: "completion", id: 2 },
    ]);
    expect(r.frames).toEqual([
      decoded(CommandType.Sleep, { wakeUpTime: 1000n, resultCompletionId: 1, name: "nap" }),
      decoded(CommandType.Sleep, { wakeUpTime: 2000n, resultCompletionId: 2, name: "" }),
    ]);
    expect(r.isClosed).toBe(false);
  });

  it("is settled by a live SleepCompletionNotification", () => {
    const r = journalCase()
      .start()
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        const leaf = vm.sysSleep(WAKE_UP);
        const before = evaluate(leaf, vm.notifications);
        runtime.send(completion(CommandType.Sleep, 1, result.void()));
        return { before, after: evaluate(leaf, vm.notifications) };
      });
    expect(r.value?.before).toBeUndefined();
    expect(r.value?.after).toEqual({
      kind: "leaf",
      seq: 0,
      failed: false,
      result: { kind: "void" },
    });
  });

  it("suspends on V6 with waiting_completions", () => {
    const r = journalCase({ version: 6 })
      .start()
      .input(inputCommand())
      .closeInput()
      .run((vm) => {
        vm.sysInput();
        vm.suspend([vm.sysSleep(WAKE_UP, "nap")]);
      });
    expect(r.frames).toEqual([
      decoded(CommandType.Sleep, {
        wakeUpTime: BigInt(WAKE_UP),
        resultCompletionId: 1,
        name: "nap",
      }),
      decoded(MessageType.Suspension, { waitingCompletions: [1] }),
    ]);
    expect(r.isClosed).toBe(true);
    expect(r.isOutputClosed).toBe(true);
  });

  it("on V5 suspends with the same flat list", () => {
    const r = journalCase({ version: 5, explicitCancellation: false })
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.suspend([vm.sysSleep(WAKE_UP)]);
      });
    expect(r.frames[1]).toEqual(
      decoded(MessageType.Suspension, { waitingCompletions: [1], waitingSignals: [1] }),
    );
  });
});

describe("Appendix A.1 / A.2", () => {
  it("our StartMessage and InputCommand encoding reproduces the A.1 request", () => {
    const request = journalCase()
      .start({ ...A1_START_FIELDS, knownEntries: 1, durationMs: 3 })
      .input(inputCommand('"hi"', A1_HEADERS))
      .requestBytes();
    expect(toHex(request)).toBe(toHex(hex(A1_START + A1_INPUT)));
  });

  it("A.1: same request bytes in, same response bytes out", () => {
    const r = journalCase({ version: 6 })
      .bytes(A1_START + A1_INPUT)
      .closeInput()
      .run((vm) => {
        const input = vm.sysInput();
        vm.suspend([vm.sysSleep(WAKE_UP, "nap")]);
        return input;
      });
    expect(toHex(r.bytes)).toBe(toHex(hex(A1_RESPONSE)));
    expect(r.value).toEqual({ headers: A1_HEADERS, value: utf8('"hi"') });
    expect(r.vm.start).toMatchObject({
      debugId: A1_START_FIELDS.debugId,
      knownEntries: 1,
      durationMs: 3,
      randomSeed: A1_START_FIELDS.seed,
    });
  });

  it("A.2: the resumed attempt replays the sleep and answers Output + End", () => {
    const r = journalCase({ version: 6 })
      .bytes(A2_START + A1_INPUT + A2_JOURNAL)
      .closeInput()
      .run((vm) => {
        vm.sysInput();
        expect(vm.isReplaying).toBe(true);
        const sleep = vm.sysSleep(WAKE_UP + 12_345, "nap"); // wake-up time is not compared
        expect(vm.phase).toBe("Processing");
        const outcome = evaluate(sleep, vm.notifications);
        if (outcome?.kind !== "leaf") throw new Error("sleep should be completed by the journal");
        vm.sysOutput({ value: utf8('"woke up"') });
        vm.sysEnd();
        return outcome.result;
      });
    expect(r.value).toEqual({ kind: "void" });
    expect(toHex(r.bytes)).toBe(toHex(hex(A2_RESPONSE)));
    expect(r.vm.start.knownEntries).toBe(3);
  });

  it("A.2 built from our own frames gives the same response", () => {
    const r = journalCase({ version: 6 })
      .start({ ...A1_START_FIELDS, durationMs: 4 })
      .input(inputCommand('"hi"', A1_HEADERS))
      .command(
        frame(CommandType.Sleep, {
          wakeUpTime: BigInt(WAKE_UP),
          resultCompletionId: 1,
          name: "nap",
        }),
      )
      .notification(completion(CommandType.Sleep, 1, result.void()))
      .closeInput()
      .run((vm) => {
        vm.sysInput();
        vm.sysSleep(WAKE_UP, "nap");
        vm.sysOutput({ value: utf8('"woke up"') });
        vm.sysEnd();
      });
    expect(toHex(r.bytes)).toBe(toHex(hex(A2_RESPONSE)));
  });
});
