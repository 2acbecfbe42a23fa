// SPDX-License-Identifier: MIT
// SuspensionMessage: flat leaf lists on V5/V6, a Future tree on V7 (docs/protocol.md §7.2, A.6).
import { describe, expect, it } from "vitest";
import { A6_SUSPEND_V7 } from "./__fixtures__/appendix-a.js";
import type { Future } from "./futures.js";
import { CommandType, MessageType } from "./message-types.js";
import type { ProtocolVersion } from "./vm.js";
import {
  completion,
  decoded,
  hex,
  inputCommand,
  journalCase,
  result,
  toHex,
} from "./testing/journal-case.js";

describe.each([5, 6] as const)("V%i flat suspension", (version) => {
  it("lists the unsettled leaves only, by kind", () => {
    const r = journalCase({ version })
      .start()
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        const a = vm.sysSleep(1);
        const b = vm.sysSleep(2);
        const awk = vm.sysAwakeable().leaf;
        runtime.send(completion(CommandType.Sleep, 1, result.void()));
        vm.suspend([{ kind: "all", children: [a, b, awk, vm.sysNamedSignal("go")] }]);
      });
    expect(r.frames[2]).toEqual(
      decoded(MessageType.Suspension, {
        waitingCompletions: [2],
        waitingSignals: [17],
        waitingNamedSignals: ["go"],
      }),
    );
    expect(r.isClosed).toBe(true);
    expect(r.isOutputClosed).toBe(true);
  });

  it("implicit cancellation adds the cancel signal, once per leaf", () => {
    const r = journalCase({ version, explicitCancellation: false })
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        const sleep = vm.sysSleep(1);
        vm.suspend([sleep, { kind: "race", children: [sleep, sleep] }]);
      });
    // [observed] `{1:[1], 2:[1]}` for a cancellable sleep.
    expect(toHex(r.bytes.subarray(-14))).toBe("0001000000000006" + "0a0101" + "120101");
  });

  it("skips an already settled subtree of a race", () => {
    const r = journalCase({ version })
      .start()
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        const [a, b, c] = [vm.sysSleep(1), vm.sysSleep(2), vm.sysSleep(3)];
        runtime.send(completion(CommandType.Sleep, 1, result.failure(500, "x")));
        // any(a, all(b, c)): a failed, so only the all(b, c) leaves are awaited.
        vm.suspend([{ kind: "any", children: [a, { kind: "all", children: [b, c] }] }]);
      });
    expect(r.frames[3]).toEqual(decoded(MessageType.Suspension, { waitingCompletions: [2, 3] }));
  });
});

describe("V7 suspension", () => {
  const v7 = () => journalCase({ version: 7 }).start().input(inputCommand());

  it("a single completion matches A.6 (22050a01012801)", () => {
    const r = v7().run((vm) => {
      vm.sysInput();
      vm.suspend([vm.sysSleep(1)]);
    });
    expect(toHex(r.bytes.subarray(-15))).toBe(toHex(hex(A6_SUSPEND_V7)));
  });

  it("sends the tree with settled children removed", () => {
    const r = v7().run((vm, runtime) => {
      vm.sysInput();
      const [a, b, c] = [vm.sysSleep(1), vm.sysSleep(2), vm.sysSleep(3)];
      const awk = vm.sysAwakeable().leaf;
      runtime.send(completion(CommandType.Sleep, 1, result.void()));
      const tree: Future = {
        kind: "all",
        children: [
          a,
          b,
          { kind: "race", children: [c, vm.sysNamedSignal("n")] },
          { kind: "allSettled", children: [awk, { kind: "settled", failed: true }] },
        ],
      };
      vm.suspend([tree]);
    });
    expect(r.frames[3]).toEqual(
      decoded(MessageType.Suspension, {
        awaitingOn: {
          waitingCompletions: [2],
          nestedFutures: [
            { waitingCompletions: [3], waitingNamedSignals: ["n"], combinatorType: 1 },
            { waitingSignals: [17], combinatorType: 2 },
          ],
          combinatorType: 4,
        },
      }),
    );
  });

  it("maps each combinator to its CombinatorType", () => {
    const kinds = ["race", "allSettled", "any", "all"] as const;
    const r = v7().run((vm) => {
      vm.sysInput();
      const leaves = kinds.map((_k, i) => vm.sysSleep(i));
      vm.suspend([
        { kind: "race", children: kinds.map((kind, i) => ({ kind, children: [leaves[i]!] })) },
      ]);
    });
    expect(r.frames[4]).toEqual(
      decoded(MessageType.Suspension, {
        awaitingOn: {
          nestedFutures: [1, 2, 3, 4].map((t) => ({ waitingCompletions: [t], combinatorType: t })),
          combinatorType: 1,
        },
      }),
    );
  });

  // The official core's layout (test/compat/v7-wire.differential.test.ts compares the bytes): one
  // race node holds the awaited leaves and nests the awaited combinators.
  it("several awaited futures (here with the cancel signal) are raced in one node", () => {
    const r = journalCase({ version: 7, explicitCancellation: false })
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.suspend([vm.sysSleep(1)]);
      });
    expect(r.frames[1]).toEqual(
      decoded(MessageType.Suspension, {
        awaitingOn: { waitingCompletions: [1], waitingSignals: [1], combinatorType: 1 },
      }),
    );
  });

  it("the cancel signal beside an awaited combinator: the leaf listed, the combinator nested", () => {
    const r = journalCase({ version: 7, explicitCancellation: false })
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.suspend([{ kind: "all", children: [vm.sysSleep(1), vm.sysAwakeable().leaf] }]);
      });
    expect(r.frames[1]).toEqual(
      decoded(MessageType.Suspension, {
        awaitingOn: {
          waitingSignals: [1],
          nestedFutures: [{ waitingCompletions: [1], waitingSignals: [17], combinatorType: 4 }],
          combinatorType: 1,
        },
      }),
    );
  });

  it("V6 lists a node's leaves before its nested nodes' (the cancel signal first here)", () => {
    const r = journalCase({ version: 6, explicitCancellation: false })
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.suspend([{ kind: "race", children: [vm.sysSleep(1), vm.sysAwakeable().leaf] }]);
      });
    expect(r.frames[1]).toEqual(
      decoded(MessageType.Suspension, { waitingCompletions: [1], waitingSignals: [1, 17] }),
    );
  });

  it.each([5, 6] as const)("V%i never writes the V7 field", (version: ProtocolVersion) => {
    const r = journalCase({ version })
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.suspend([{ kind: "race", children: [vm.sysSleep(1), vm.sysNamedSignal("n")] }]);
      });
    expect(r.frames[1]).toEqual(
      decoded(MessageType.Suspension, { waitingCompletions: [1], waitingNamedSignals: ["n"] }),
    );
  });
});
