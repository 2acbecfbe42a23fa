// SPDX-License-Identifier: MIT
// Combinator evaluation against the notification table, in arrival order (docs/protocol.md §5.2, §7.1).
import { describe, expect, it } from "vitest";
import {
  type Future,
  type Leaf,
  type NotificationResult,
  NotificationTable,
  evaluate,
  pendingLeaves,
} from "./futures.js";

const c = (id: number): Leaf => ({ kind: "completion", id });
const ok: NotificationResult = { kind: "void" };
const value = (text: string): NotificationResult => ({
  kind: "value",
  value: new TextEncoder().encode(text),
});
const boom: NotificationResult = { kind: "failure", code: 500, message: "boom", metadata: [] };

/** A table that received `arrivals` in order. */
function table(...arrivals: Array<[Leaf, NotificationResult]>): NotificationTable {
  const t = new NotificationTable();
  for (const [leaf, result] of arrivals) t.add(leaf, result);
  return t;
}

/** The deciding child, failure flag and arrival position of a settled combinator. */
function verdict(future: Future, t: NotificationTable) {
  const o = evaluate(future, t);
  if (o === undefined) return "pending";
  return { failed: o.failed, seq: o.seq, winner: o.kind === "combinator" ? o.winner : undefined };
}

describe("NotificationTable", () => {
  it("records arrival order across completions, signals and names; the first result wins", () => {
    const t = table(
      [c(2), ok],
      [{ kind: "signal", id: 17 }, value("a")],
      [{ kind: "named", id: "s" }, ok],
      [c(2), boom],
    );
    expect(t.get(c(2))).toEqual({ seq: 0, result: ok });
    expect(t.get({ kind: "signal", id: 17 })?.seq).toBe(1);
    expect(t.get({ kind: "named", id: "s" })?.seq).toBe(2);
    expect(t.has({ kind: "signal", id: 2 })).toBe(false);
    expect(t.has(c(17))).toBe(false); // completion 17 is not signal 17
  });
});

describe("leaves", () => {
  it("settle with their result and arrival position", () => {
    const t = table([c(1), value("x")], [c(2), boom]);
    expect(evaluate(c(2), t)).toEqual({ kind: "leaf", seq: 1, failed: true, result: boom });
    expect(evaluate(c(3), t)).toBeUndefined();
  });
});

describe("race (FIRST_COMPLETED)", () => {
  const race: Future = { kind: "race", children: [c(1), c(2), c(3)] };

  it("is pending until a child settles", () => {
    expect(verdict(race, table())).toBe("pending");
  });

  it("picks the earliest arrival, not the first child", () => {
    expect(verdict(race, table([c(3), ok], [c(1), ok]))).toEqual({
      failed: false,
      seq: 0,
      winner: 2,
    });
  });

  it("fails when the earliest arrival failed", () => {
    expect(verdict(race, table([c(2), boom], [c(1), ok]))).toEqual({
      failed: true,
      seq: 0,
      winner: 1,
    });
  });

  it("an already-known value wins over notifications", () => {
    const known: Future = { kind: "race", children: [c(1), { kind: "settled", failed: false }] };
    expect(verdict(known, table([c(1), ok]))).toEqual({ failed: false, seq: -1, winner: 1 });
  });
});

describe("all (ALL_SUCCEEDED_OR_FIRST_FAILED)", () => {
  const all: Future = { kind: "all", children: [c(1), c(2), c(3)] };

  it("succeeds once every child succeeded, at the last arrival", () => {
    expect(verdict(all, table([c(2), ok], [c(3), ok]))).toBe("pending");
    expect(verdict(all, table([c(2), ok], [c(3), ok], [c(1), ok]))).toEqual({
      failed: false,
      seq: 2,
      winner: -1,
    });
  });

  it("fails on the first failure in arrival order, even with children pending", () => {
    expect(verdict(all, table([c(1), ok], [c(3), boom], [c(2), boom]))).toEqual({
      failed: true,
      seq: 1,
      winner: 2,
    });
    expect(verdict(all, table([c(2), boom]))).toEqual({ failed: true, seq: 0, winner: 1 });
  });

  it("of nothing succeeds at once", () => {
    expect(verdict({ kind: "all", children: [] }, table())).toEqual({
      failed: false,
      seq: -1,
      winner: -1,
    });
  });
});

describe("any (FIRST_SUCCEEDED_OR_ALL_FAILED)", () => {
  const any: Future = { kind: "any", children: [c(1), c(2)] };

  it("succeeds on the first success in arrival order", () => {
    expect(verdict(any, table([c(1), boom], [c(2), ok]))).toEqual({
      failed: false,
      seq: 1,
      winner: 1,
    });
  });

  it("waits while a child may still succeed", () => {
    expect(verdict(any, table([c(1), boom]))).toBe("pending");
  });

  it("fails when all children failed, at the last failure", () => {
    expect(verdict(any, table([c(2), boom], [c(1), boom]))).toEqual({
      failed: true,
      seq: 1,
      winner: -1,
    });
  });

  it("of nothing fails", () => {
    expect(verdict({ kind: "any", children: [] }, table())).toMatchObject({ failed: true });
  });
});

describe("allSettled (ALL_COMPLETED)", () => {
  it("settles, never failed, once every child settled", () => {
    const settled: Future = { kind: "allSettled", children: [c(1), c(2)] };
    expect(verdict(settled, table([c(1), boom]))).toBe("pending");
    expect(verdict(settled, table([c(1), boom], [c(2), boom]))).toEqual({
      failed: false,
      seq: 1,
      winner: -1,
    });
  });

  it("exposes each child's outcome", () => {
    const o = evaluate(
      { kind: "allSettled", children: [c(1), c(2)] },
      table([c(2), value("b")], [c(1), boom]),
    );
    expect(o?.kind === "combinator" && o.children.map((ch) => ch?.failed)).toEqual([true, false]);
  });
});

describe("nested combinators", () => {
  const nested: Future = {
    kind: "race",
    children: [{ kind: "all", children: [c(1), c(2)] }, c(3)],
  };

  it("an inner combinator settles at its own deciding arrival", () => {
    // all(1, 2) completes at the arrival of 2 (seq 2), after 3 (seq 1): 3 wins the race.
    expect(verdict(nested, table([c(1), ok], [c(3), ok], [c(2), ok]))).toEqual({
      failed: false,
      seq: 1,
      winner: 1,
    });
    // Same notifications, other order: the inner all wins.
    expect(verdict(nested, table([c(1), ok], [c(2), ok], [c(3), ok]))).toEqual({
      failed: false,
      seq: 1,
      winner: 0,
    });
  });

  it("an inner failure decides an outer all", () => {
    const outer: Future = {
      kind: "all",
      children: [c(1), { kind: "any", children: [c(2), c(3)] }],
    };
    expect(verdict(outer, table([c(2), boom], [c(3), boom]))).toEqual({
      failed: true,
      seq: 1,
      winner: 1,
    });
  });
});

describe("pendingLeaves", () => {
  it("lists only the unsettled leaves of unsettled subtrees", () => {
    const tree: Future = {
      kind: "all",
      children: [
        c(1),
        { kind: "race", children: [c(2), c(3)] }, // settled by 3
        { kind: "any", children: [c(4), { kind: "named", id: "n" }, { kind: "signal", id: 17 }] },
        { kind: "settled", failed: false },
      ],
    };
    expect(pendingLeaves(tree, table([c(3), ok], [c(4), boom]))).toEqual([
      c(1),
      { kind: "named", id: "n" },
      { kind: "signal", id: 17 },
    ]);
  });
});
