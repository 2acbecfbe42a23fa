// SPDX-License-Identifier: MIT
// State commands and the local eager/lazy view (docs/protocol.md §5.1, §5.4).
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
  toHex,
  utf8,
} from "./testing/journal-case.js";

/** The settled result of a leaf, or "pending". */
function resultOf(vm: JournalVm, leaf: Leaf) {
  const outcome = evaluate(leaf, vm.notifications);
  return outcome?.kind === "leaf" ? outcome.result : "pending";
}

const STATE = { a: '"va"', b: '"vb"' };

describe("get state while processing", () => {
  it("eager hit with full state: GetEagerStateCommand with the value, ready at once", () => {
    const r = journalCase()
      .start({ state: STATE })
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        const leaf = vm.sysGetState("a");
        return { leaf, result: resultOf(vm, leaf) };
      });
    expect(r.frames).toEqual([
      decoded(CommandType.GetEagerState, {
        key: utf8("a"),
        result: { case: "value", value: { content: utf8('"va"') } },
      }),
    ]);
    expect(r.value).toEqual({
      leaf: { kind: "completion", id: 1 },
      result: { kind: "value", value: utf8('"va"') },
    });
  });

  it("eager miss with full state: GetEagerStateCommand with void", () => {
    const r = journalCase()
      .start({ state: STATE })
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        return resultOf(vm, vm.sysGetState("zz"));
      });
    expect(r.frames).toEqual([
      decoded(CommandType.GetEagerState, { key: utf8("zz"), result: { case: "void", value: {} } }),
    ]);
    expect(r.value).toEqual({ kind: "void" });
  });

  it("an empty value is present-but-empty, distinct from absent (`72 00` on the wire)", () => {
    const r = journalCase()
      .start({ state: { e: "" } })
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        return resultOf(vm, vm.sysGetState("e"));
      });
    expect(toHex(r.bytes)).toBe("0407000000000005" + "0a0165" + "7200");
    expect(r.value).toEqual({ kind: "value", value: new Uint8Array(0) });
  });

  it("partial state, key known: still eager", () => {
    const r = journalCase()
      .start({ state: STATE, partialState: true })
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        return resultOf(vm, vm.sysGetState("b"));
      });
    expect(r.frames.map((f) => f.type)).toEqual([CommandType.GetEagerState]);
    expect(r.value).toEqual({ kind: "value", value: utf8('"vb"') });
  });

  it("partial state, key unknown: GetLazyStateCommand settled by its completion", () => {
    const r = journalCase()
      .start({ state: STATE, partialState: true })
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        const found = vm.sysGetState("c");
        const missing = vm.sysGetState("d");
        const before = [resultOf(vm, found), resultOf(vm, missing)];
        runtime.send(
          completion(CommandType.GetLazyState, 2, result.void()),
          completion(CommandType.GetLazyState, 1, result.value('"vc"')),
        );
        return { before, after: [resultOf(vm, found), resultOf(vm, missing)] };
      });
    expect(r.frames).toEqual([
      decoded(CommandType.GetLazyState, { key: utf8("c"), resultCompletionId: 1 }),
      decoded(CommandType.GetLazyState, { key: utf8("d"), resultCompletionId: 2 }),
    ]);
    expect(r.value).toEqual({
      before: ["pending", "pending"],
      after: [{ kind: "value", value: utf8('"vc"') }, { kind: "void" }],
    });
  });

  it("eager gets and eager keys consume completion ids", () => {
    const r = journalCase()
      .start({ state: STATE })
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        return [vm.sysGetState("a"), vm.sysGetState("nope"), vm.sysGetStateKeys(), vm.sysSleep(9)];
      });
    expect(r.value?.map((l) => l.id)).toEqual([1, 2, 3, 4]);
    expect(r.frames[3]).toEqual(
      decoded(CommandType.Sleep, { wakeUpTime: 9n, resultCompletionId: 4 }),
    );
  });
});

describe("state keys while processing", () => {
  it("eager: sorted keys of the view, without cleared keys", () => {
    const r = journalCase()
      .start({ state: { b: "1", c: "2", a: "3" } })
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.sysClearState("c");
        vm.sysSetState("aa", utf8("4"));
        return resultOf(vm, vm.sysGetStateKeys());
      });
    expect(r.frames).toEqual([
      decoded(CommandType.ClearState, { key: utf8("c") }),
      decoded(CommandType.SetState, { key: utf8("aa"), value: { content: utf8("4") } }),
      decoded(CommandType.GetEagerStateKeys, {
        value: { keys: [utf8("a"), utf8("aa"), utf8("b")] },
      }),
    ]);
    expect(r.value).toEqual({ kind: "stateKeys", keys: ["a", "aa", "b"] });
  });

  it("lazy: GetLazyStateKeysCommand settled by its completion", () => {
    const r = journalCase()
      .start({ partialState: true })
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        const keys = vm.sysGetStateKeys();
        const before = resultOf(vm, keys);
        runtime.send(completion(CommandType.GetLazyStateKeys, 1, result.stateKeys(["x", "y"])));
        return [before, resultOf(vm, keys)];
      });
    expect(r.frames).toEqual([decoded(CommandType.GetLazyStateKeys, { resultCompletionId: 1 })]);
    expect(r.value).toEqual(["pending", { kind: "stateKeys", keys: ["x", "y"] }]);
  });
});

describe("set / clear / clearAll", () => {
  it("update the local view that later gets read eagerly", () => {
    const r = journalCase()
      .start({ state: { a: "1" }, partialState: true })
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.sysSetState("n", utf8("new"));
        const set = resultOf(vm, vm.sysGetState("n"));
        vm.sysClearState("a");
        const cleared = resultOf(vm, vm.sysGetState("a"));
        return { set, cleared };
      });
    expect(r.value).toEqual({
      set: { kind: "value", value: utf8("new") },
      cleared: { kind: "void" },
    });
    expect(r.frames).toEqual([
      decoded(CommandType.SetState, { key: utf8("n"), value: { content: utf8("new") } }),
      decoded(CommandType.GetEagerState, {
        key: utf8("n"),
        result: { case: "value", value: { content: utf8("new") } },
      }),
      decoded(CommandType.ClearState, { key: utf8("a") }),
      decoded(CommandType.GetEagerState, { key: utf8("a"), result: { case: "void", value: {} } }),
    ]);
  });

  it("clearAll empties the view and makes later gets and keys eager", () => {
    const r = journalCase()
      .start({ state: { a: "1" }, partialState: true })
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.sysClearAllState();
        return [resultOf(vm, vm.sysGetState("a")), resultOf(vm, vm.sysGetState("never-seen"))];
      });
    expect(r.frames).toEqual([
      decoded(CommandType.ClearAllState, {}),
      decoded(CommandType.GetEagerState, { key: utf8("a"), result: { case: "void", value: {} } }),
      decoded(CommandType.GetEagerState, {
        key: utf8("never-seen"),
        result: { case: "void", value: {} },
      }),
    ]);
    expect(r.value).toEqual([{ kind: "void" }, { kind: "void" }]);
    const keys = journalCase()
      .start({ partialState: true })
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.sysClearAllState();
        vm.sysSetState("z", utf8("1"));
        return resultOf(vm, vm.sysGetStateKeys());
      });
    expect(keys.frames[2]).toEqual(
      decoded(CommandType.GetEagerStateKeys, { value: { keys: [utf8("z")] } }),
    );
    expect(keys.value).toEqual({ kind: "stateKeys", keys: ["z"] });
  });
});

describe("state on replay", () => {
  it("accepts a journaled GetEagerStateCommand and uses its inlined value", () => {
    const r = journalCase()
      .start({ state: { a: '"now"' } })
      .input(inputCommand())
      .command(
        frame(CommandType.GetEagerState, {
          key: utf8("a"),
          result: { case: "value", value: { content: utf8('"then"') } },
        }),
      )
      .run((vm) => {
        vm.sysInput();
        const leaf = vm.sysGetState("a");
        return { leaf, result: resultOf(vm, leaf), phase: vm.phase };
      });
    expect(r.frames).toEqual([]);
    expect(r.value).toEqual({
      leaf: { kind: "completion", id: 1 },
      result: { kind: "value", value: utf8('"then"') },
      phase: "Processing",
    });
  });

  it("accepts a journaled GetLazyStateCommand, settled by the replayed completion", () => {
    const r = journalCase()
      .start({ state: { a: '"now"' } }) // full state now, lazy back then: both are fine
      .input(inputCommand())
      .command(frame(CommandType.GetLazyState, { key: utf8("a"), resultCompletionId: 1 }))
      .notification(completion(CommandType.GetLazyState, 1, result.value('"then"')))
      .run((vm) => {
        vm.sysInput();
        return resultOf(vm, vm.sysGetState("a"));
      });
    expect(r.error).toBeUndefined();
    expect(r.value).toEqual({ kind: "value", value: utf8('"then"') });
    expect(r.frames).toEqual([]);
  });

  it("accepts a journaled GetEagerState void, and keeps allocating ids afterwards", () => {
    const r = journalCase()
      .start({ partialState: true })
      .input(inputCommand())
      .command(
        frame(CommandType.GetEagerState, { key: utf8("a"), result: { case: "void", value: {} } }),
      )
      .run((vm) => {
        vm.sysInput();
        return [resultOf(vm, vm.sysGetState("a")), vm.sysGetState("b")];
      });
    expect(r.value).toEqual([{ kind: "void" }, { kind: "completion", id: 2 }]);
    expect(r.frames).toEqual([
      decoded(CommandType.GetLazyState, { key: utf8("b"), resultCompletionId: 2 }),
    ]);
  });

  it("accepts journaled eager and lazy keys, returning the journaled keys", () => {
    const r = journalCase()
      .start({ state: { now: "1" } })
      .input(inputCommand())
      .command(frame(CommandType.GetEagerStateKeys, { value: { keys: [utf8("then")] } }))
      .command(frame(CommandType.GetLazyStateKeys, { resultCompletionId: 2 }))
      .notification(completion(CommandType.GetLazyStateKeys, 2, result.stateKeys(["lazy"])))
      .run((vm) => {
        vm.sysInput();
        return [resultOf(vm, vm.sysGetStateKeys()), resultOf(vm, vm.sysGetStateKeys())];
      });
    expect(r.error).toBeUndefined();
    expect(r.value).toEqual([
      { kind: "stateKeys", keys: ["then"] },
      { kind: "stateKeys", keys: ["lazy"] },
    ]);
  });

  it("replays set / clear / clearAll by comparing them, writing nothing", () => {
    const r = journalCase()
      .start({ partialState: true })
      .input(inputCommand())
      .command(frame(CommandType.SetState, { key: utf8("a"), value: { content: utf8("1") } }))
      .command(frame(CommandType.ClearState, { key: utf8("b") }))
      .command(frame(CommandType.ClearAllState, {}))
      .run((vm) => {
        vm.sysInput();
        vm.sysSetState("a", utf8("1"));
        vm.sysClearState("b");
        vm.sysClearAllState();
        return resultOf(vm, vm.sysGetState("a")); // clearAll replayed: the view is complete
      });
    expect(r.frames).toEqual([
      decoded(CommandType.GetEagerState, { key: utf8("a"), result: { case: "void", value: {} } }),
    ]);
    expect(r.value).toEqual({ kind: "void" });
  });
});

describe("eager results and arrival order (docs/protocol.md §5.2, §7.1)", () => {
  const sleep: Leaf = { kind: "completion", id: 1 };
  const get: Leaf = { kind: "completion", id: 2 };
  const winner = (vm: JournalVm) => {
    const o = evaluate({ kind: "race", children: [get, sleep] }, vm.notifications);
    return o?.kind === "combinator" ? o.winner : "pending";
  };

  it("an eager read wins a race against a notification, live and on replay alike", () => {
    const live = journalCase()
      .start({ state: { a: "1" } })
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        vm.sysSleep(1000);
        vm.sysGetState("a");
        const before = winner(vm);
        runtime.send(completion(CommandType.Sleep, 1, result.void()));
        return [before, winner(vm)];
      });
    expect(live.value).toEqual([0, 0]); // children: [get, sleep]
    // The next attempt: the sleep completion is in the journal, i.e. known before the read.
    const replayed = journalCase()
      .start({ state: { a: "1" } })
      .input(inputCommand())
      .command(frame(CommandType.Sleep, { wakeUpTime: 1000n, resultCompletionId: 1 }))
      .command(
        frame(CommandType.GetEagerState, {
          key: utf8("a"),
          result: { case: "value", value: { content: utf8("1") } },
        }),
      )
      .notification(completion(CommandType.Sleep, 1, result.void()))
      .run((vm) => {
        vm.sysInput();
        vm.sysSleep(1000);
        vm.sysGetState("a");
        return winner(vm);
      });
    expect(replayed.value).toBe(0);
  });

  it("eager keys are known results too", () => {
    const r = journalCase()
      .start({ state: { a: "1", e: "" } })
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        runtime.send(completion(CommandType.Sleep, 9, result.void()));
        const keys = vm.sysGetStateKeys();
        return [
          vm.notifications.get(keys),
          vm.notifications.get({ kind: "completion", id: 9 })?.seq,
        ];
      });
    // A present-but-empty value still lists its key.
    expect(r.value).toEqual([{ seq: -1, result: { kind: "stateKeys", keys: ["a", "e"] } }, 0]);
  });
});
