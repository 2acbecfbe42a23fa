// SPDX-License-Identifier: MIT
// Awakeables, named signals and the cancel signal (docs/protocol.md §6.5, §6.6).
import { describe, expect, it } from "vitest";
import {
  A5_AWAKEABLE_REJECTED,
  A5_AWAKEABLE_RESOLVED,
  A5_CANCEL,
  A5_NAMED,
  A6_SUSPEND_AWAKEABLE,
  A6_SUSPEND_NAMED,
  A8_AWAKEABLE_17,
  A8_AWAKEABLE_18,
  A8_DEBUG_ID,
  A8_ID,
} from "./__fixtures__/appendix-a.js";
import { CANCEL_SIGNAL_ID } from "./cancellation.js";
import { type Leaf, evaluate } from "./futures.js";
import { CommandType } from "./message-types.js";
import type { JournalVm } from "./vm.js";
import {
  decoded,
  frame,
  hex,
  inputCommand,
  journalCase,
  toHex,
  utf8,
} from "./testing/journal-case.js";

function resultOf(vm: JournalVm, leaf: Leaf) {
  const outcome = evaluate(leaf, vm.notifications);
  return outcome?.kind === "leaf" ? outcome.result : "pending";
}

const a8 = () => journalCase().start({ id: A8_ID, debugId: A8_DEBUG_ID }).input(inputCommand());

describe("awakeables", () => {
  it("mint sign_1 ids from signal index 17 (A.8), writing nothing", () => {
    const r = a8().run((vm) => {
      vm.sysInput();
      return [vm.sysAwakeable(), vm.sysAwakeable(), vm.sysSleep(1).id];
    });
    expect(r.value).toEqual([
      { id: A8_AWAKEABLE_17, leaf: { kind: "signal", id: 17 } },
      { id: A8_AWAKEABLE_18, leaf: { kind: "signal", id: 18 } },
      1, // awakeables use signal indexes, not completion ids
    ]);
    expect(r.frames.map((f) => f.type)).toEqual([CommandType.Sleep]);
  });

  it("are resolved by SignalNotification{idx 17, value} (A.5)", () => {
    const r = a8().run((vm, runtime) => {
      vm.sysInput();
      const { leaf } = vm.sysAwakeable();
      const before = resultOf(vm, leaf);
      runtime.send(hex(A5_AWAKEABLE_RESOLVED));
      return [before, resultOf(vm, leaf)];
    });
    expect(r.value).toEqual(["pending", { kind: "value", value: utf8('{"resolved":"yes"}') }]);
    expect(r.frames).toEqual([]);
  });

  it("are rejected by SignalNotification{idx 17, failure} (A.5)", () => {
    const r = a8().run((vm, runtime) => {
      vm.sysInput();
      const { leaf } = vm.sysAwakeable();
      runtime.send(hex(A5_AWAKEABLE_REJECTED));
      return resultOf(vm, leaf);
    });
    expect(r.value).toEqual({
      kind: "failure",
      code: 500,
      message: "nope, rejected",
      metadata: [],
    });
  });

  it("keep a signal that arrived (in the journal) before the awakeable was created", () => {
    const r = journalCase()
      .start({ id: A8_ID, knownEntries: 2 }) // Input + the signal notification
      .input(inputCommand())
      .bytes(A5_AWAKEABLE_RESOLVED)
      .run((vm) => {
        vm.sysInput();
        return resultOf(vm, vm.sysAwakeable().leaf);
      });
    expect(r.value).toEqual({ kind: "value", value: utf8('{"resolved":"yes"}') });
  });

  it("suspension on an awakeable lists signal 17 (A.6)", () => {
    const r = a8().run((vm) => {
      vm.sysInput();
      vm.suspend([vm.sysAwakeable().leaf]);
    });
    expect(toHex(r.bytes)).toBe(toHex(hex(A6_SUSPEND_AWAKEABLE)));
  });
});

describe("named signals", () => {
  it("are settled by SignalNotification{name} (A.5), writing nothing", () => {
    const r = a8().run((vm, runtime) => {
      vm.sysInput();
      const leaf = vm.sysNamedSignal("mysig");
      runtime.send(hex(A5_NAMED));
      return { leaf, result: resultOf(vm, leaf) };
    });
    expect(r.value).toEqual({
      leaf: { kind: "named", id: "mysig" },
      result: { kind: "value", value: utf8('"sig value"') },
    });
    expect(r.frames).toEqual([]);
  });

  it("suspension on a named signal lists its name (A.6)", () => {
    const r = a8().run((vm) => {
      vm.sysInput();
      vm.suspend([vm.sysNamedSignal("mysig")]);
    });
    expect(toHex(r.bytes)).toBe(toHex(hex(A6_SUSPEND_NAMED)));
  });
});

describe("cancel signal", () => {
  it("is signal index 1, settled by SignalNotification{idx 1, void} (A.5)", () => {
    const r = a8().run((vm, runtime) => {
      vm.sysInput();
      const leaf: Leaf = { kind: "signal", id: CANCEL_SIGNAL_ID };
      runtime.send(hex(A5_CANCEL));
      return { leaf, result: resultOf(vm, leaf) };
    });
    expect(r.value).toEqual({ leaf: { kind: "signal", id: 1 }, result: { kind: "void" } });
  });
});

describe("complete awakeable", () => {
  it("writes CompleteAwakeableCommand with a value or a failure, and allocates no id", () => {
    const r = a8().run((vm) => {
      vm.sysInput();
      vm.sysCompleteAwakeable(A8_AWAKEABLE_17, { value: utf8('"ok"') });
      vm.sysCompleteAwakeable(A8_AWAKEABLE_18, {
        failure: { code: 400, message: "bad", metadata: [{ key: "why", value: "test" }] },
      });
      return vm.sysSleep(1).id;
    });
    expect(r.frames.slice(0, 2)).toEqual([
      decoded(CommandType.CompleteAwakeable, {
        awakeableId: A8_AWAKEABLE_17,
        result: { case: "value", value: { content: utf8('"ok"') } },
      }),
      decoded(CommandType.CompleteAwakeable, {
        awakeableId: A8_AWAKEABLE_18,
        result: {
          case: "failure",
          value: { code: 400, message: "bad", metadata: [{ key: "why", value: "test" }] },
        },
      }),
    ]);
    expect(r.value).toBe(1);
  });

  it("is compared on replay (awakeable id and result)", () => {
    const journaled = frame(CommandType.CompleteAwakeable, {
      awakeableId: A8_AWAKEABLE_17,
      result: { case: "value", value: { content: utf8('"ok"') } },
    });
    const same = journalCase()
      .start()
      .input(inputCommand())
      .command(journaled)
      .run((vm) => {
        vm.sysInput();
        vm.sysCompleteAwakeable(A8_AWAKEABLE_17, { value: utf8('"ok"') });
      });
    expect(same.frames).toEqual([]);
    const other = journalCase()
      .start()
      .input(inputCommand())
      .command(journaled)
      .run((vm) => {
        vm.sysInput();
        vm.sysCompleteAwakeable(A8_AWAKEABLE_18, { value: utf8('"ok"') });
      });
    expect(other.error).toMatchObject({ code: 570, relatedCommandIndex: 1 });
  });
});
