// SPDX-License-Identifier: MIT
// Implicit cancellation (docs/protocol.md §6.6): the cancel signal settles awaits, reaches the calls
// made since the last cancel, and is part of every suspension until it is delivered.
import { describe, expect, it } from "vitest";
import { A5_CANCEL } from "./__fixtures__/appendix-a.js";
import { CommandType, MessageType } from "./message-types.js";
import {
  completion,
  decoded,
  frame,
  hex,
  inputCommand,
  journalCase,
  result,
  signal,
} from "./testing/journal-case.js";

const implicit = () => journalCase({ explicitCancellation: false }).start().input(inputCommand());
const cancelCall = (target: string) =>
  decoded(CommandType.SendSignal, {
    targetInvocationId: target,
    signalId: { case: "idx", value: 1 },
    result: { case: "void", value: {} },
  });

describe("cancel signal", () => {
  it("settles an await whose own result arrived later, once", () => {
    const r = implicit().run((vm, runtime) => {
      vm.sysInput();
      const sleep = vm.sysSleep(1);
      runtime.send(hex(A5_CANCEL), completion(CommandType.Sleep, 1, result.void()));
      const first = vm.awaitOutcome(sleep)?.kind;
      const delivered = vm.deliverCancel();
      return { first, delivered, then: vm.awaitOutcome(sleep)?.kind };
    });
    expect(r.value).toEqual({ first: "cancel", delivered: undefined, then: "leaf" });
  });

  it("does not settle an await whose result arrived first", () => {
    const r = implicit().run((vm, runtime) => {
      vm.sysInput();
      const sleep = vm.sysSleep(1);
      runtime.send(completion(CommandType.Sleep, 1, result.void()), hex(A5_CANCEL));
      return vm.awaitOutcome(sleep)?.kind;
    });
    expect(r.value).toBe("leaf");
  });

  it("is ignored with explicit cancellation (the handler awaits it itself)", () => {
    const r = journalCase({ explicitCancellation: true })
      .start()
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        const sleep = vm.sysSleep(1);
        runtime.send(hex(A5_CANCEL));
        return { outcome: vm.awaitOutcome(sleep), isReceived: vm.isCancelReceived };
      });
    expect(r.value).toEqual({ outcome: undefined, isReceived: true });
  });
});

describe("propagation to calls", () => {
  const call = { service: "s", handler: "h", parameter: new Uint8Array(0) };

  it("cancels every call made so far, in call order, also one whose result came before the cancel", () => {
    const r = implicit().run((vm, runtime) => {
      vm.sysInput();
      vm.sysCall(call); // completions 1 (invocation id) and 2 (result): done before the cancel
      vm.sysCall(call); // completions 3 and 4: still running when the cancel arrives
      const sleep = vm.sysSleep(1);
      runtime.send(
        completion(CommandType.Call, 1, result.invocationId("inv_1done")),
        completion(CommandType.Call, 2, result.value("1")),
        completion(CommandType.Call, 3, result.invocationId("inv_1running")),
        hex(A5_CANCEL),
        completion(CommandType.Call, 4, result.value("2")),
      );
      expect(vm.awaitOutcome(sleep)?.kind).toBe("cancel");
      vm.deliverCancel();
    });
    // As the official core: a finished call is cancelled too (the runtime ignores it).
    expect(r.frames.slice(3)).toEqual([cancelCall("inv_1done"), cancelCall("inv_1running")]);
  });

  it("waits for a running call's invocation id before delivering, and suspends on it", () => {
    const r = implicit().run((vm, runtime) => {
      vm.sysInput();
      vm.sysCall(call);
      const sleep = vm.sysSleep(1);
      runtime.send(hex(A5_CANCEL));
      const before = vm.awaitOutcome(sleep);
      runtime.send(completion(CommandType.Call, 1, result.invocationId("inv_1callee")));
      const after = vm.awaitOutcome(sleep)?.kind;
      return { before, after };
    });
    expect(r.value).toEqual({ before: undefined, after: "cancel" });

    const suspended = implicit().run((vm, runtime) => {
      vm.sysInput();
      vm.sysCall(call);
      const sleep = vm.sysSleep(1);
      runtime.send(signal(1, result.void()));
      vm.suspend([sleep]);
    });
    expect(suspended.frames.at(-1)).toEqual(
      decoded(MessageType.Suspension, { waitingCompletions: [3, 1] }),
    );
  });
});

describe("repeated cancel signals (one per cancel request)", () => {
  const call = { service: "s", handler: "h", parameter: new Uint8Array(0) };

  it("explicit: each cancellation leaf settles on its own arrival, once the previous is consumed", () => {
    const r = journalCase({ explicitCancellation: true })
      .start()
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        const first = vm.cancellationLeaf();
        runtime.send(hex(A5_CANCEL), hex(A5_CANCEL));
        const settled = vm.awaitOutcome(first)?.kind;
        vm.deliverCancel();
        const second = vm.cancellationLeaf();
        const again = vm.awaitOutcome(second)?.kind;
        vm.deliverCancel();
        const third = vm.cancellationLeaf();
        return { first, second, third, settled, again, pending: vm.awaitOutcome(third) };
      });
    expect(r.value).toEqual({
      first: { kind: "signal", id: 1, nth: 0 },
      second: { kind: "signal", id: 1, nth: 1 },
      third: { kind: "signal", id: 1, nth: 2 },
      settled: "leaf",
      again: "leaf",
      pending: undefined,
    });
    expect(r.frames).toEqual([]);
  });

  it("explicit: waiting for the next cancel suspends on the cancel signal", () => {
    const r = journalCase({ explicitCancellation: true })
      .start()
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        runtime.send(hex(A5_CANCEL));
        vm.deliverCancel();
        vm.suspend([vm.cancellationLeaf()]);
      });
    expect(r.frames).toEqual([decoded(MessageType.Suspension, { waitingSignals: [1] })]);
  });

  it("implicit: a second cancel cancels again, reaching the calls made since the first", () => {
    const r = implicit().run((vm, runtime) => {
      vm.sysInput();
      vm.sysCall(call); // completions 1 and 2: cancelled by the first cancel
      const firstSleep = vm.sysSleep(1); // completion 3
      runtime.send(completion(CommandType.Call, 1, result.invocationId("inv_1early")));
      runtime.send(hex(A5_CANCEL));
      const first = vm.awaitOutcome(firstSleep)?.kind;
      vm.deliverCancel();
      vm.sysCall(call); // completions 4 and 5: made while compensating
      const secondSleep = vm.sysSleep(1); // completion 6
      const between = vm.awaitOutcome(secondSleep);
      runtime.send(completion(CommandType.Call, 4, result.invocationId("inv_1late")));
      runtime.send(hex(A5_CANCEL));
      const second = vm.awaitOutcome(secondSleep)?.kind;
      vm.deliverCancel();
      return { first, between, second };
    });
    expect(r.value).toEqual({ first: "cancel", between: undefined, second: "cancel" });
    const signals = r.frames.filter((f) => f.type === CommandType.SendSignal);
    expect(signals).toEqual([cancelCall("inv_1early"), cancelCall("inv_1late")]);
  });

  it("implicit: after a cancel, a suspension still listens for the next one", () => {
    const r = implicit().run((vm, runtime) => {
      vm.sysInput();
      const sleep = vm.sysSleep(1);
      runtime.send(hex(A5_CANCEL));
      vm.deliverCancel();
      vm.suspend([sleep]);
    });
    expect(r.frames.at(-1)).toEqual(
      decoded(MessageType.Suspension, { waitingCompletions: [1], waitingSignals: [1] }),
    );
  });

  it("replays two journaled cancels to the same decisions", () => {
    const r = journalCase({ explicitCancellation: false })
      .start()
      .input(inputCommand())
      .command(frame(CommandType.Sleep, { wakeUpTime: 1n, resultCompletionId: 1 }))
      .notification(signal(1, result.void()))
      .command(frame(CommandType.Sleep, { wakeUpTime: 2n, resultCompletionId: 2 }))
      .notification(signal(1, result.void()))
      .run((vm) => {
        vm.sysInput();
        const first = vm.awaitOutcome(vm.sysSleep(1))?.kind;
        vm.deliverCancel();
        const second = vm.awaitOutcome(vm.sysSleep(2))?.kind;
        vm.deliverCancel();
        return { first, second, phase: vm.phase };
      });
    expect(r.value).toEqual({ first: "cancel", second: "cancel", phase: "Processing" });
  });
});
