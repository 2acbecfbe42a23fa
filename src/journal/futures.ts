// SPDX-License-Identifier: MIT
// What a handler waits on (a tree of notification ids and combinators), the table of notifications
// received so far, and the evaluation of one against the other (docs/protocol.md §5.2, §7.1).

/** The result a notification carries. */
export type NotificationResult =
  | { readonly kind: "void" }
  | { readonly kind: "value"; readonly value: Uint8Array }
  | {
      readonly kind: "failure";
      readonly code: number;
      readonly message: string;
      readonly metadata: ReadonlyArray<{ readonly key: string; readonly value: string }>;
    }
  | { readonly kind: "invocationId"; readonly invocationId: string }
  | { readonly kind: "stateKeys"; readonly keys: readonly string[] };

/**
 * A notification id: a completion id, a signal index, or a signal name. A signal index can arrive
 * more than once (the cancel signal, once per cancel request): `nth` picks an arrival, from 0.
 */
export type Leaf =
  | { readonly kind: "completion"; readonly id: number }
  | { readonly kind: "signal"; readonly id: number; readonly nth?: number }
  | { readonly kind: "named"; readonly id: string };

/** Combinators, with JS promise semantics (docs/protocol.md §15 `CombinatorType`). */
export type CombinatorKind = "race" | "allSettled" | "any" | "all";

/** A value known without the runtime (e.g. `RestatePromise.resolve(1)`); never waited on. */
export interface Settled {
  readonly kind: "settled";
  readonly failed: boolean;
}

/** The tree a handler awaits. */
export type Future =
  Leaf | Settled | { readonly kind: CombinatorKind; readonly children: readonly Future[] };

/** Wire values of `CombinatorType`. */
export const COMBINATOR_TYPE: Readonly<Record<CombinatorKind, number>> = {
  race: 1,
  allSettled: 2,
  any: 3,
  all: 4,
};

/** The evaluation of a settled node; `seq` is the arrival position that settled it. */
export type Outcome =
  | {
      readonly kind: "leaf";
      readonly seq: number;
      readonly failed: boolean;
      readonly result: NotificationResult;
    }
  | {
      readonly kind: "combinator";
      readonly seq: number;
      readonly failed: boolean;
      /** The deciding child (race, any, failing all); -1 when every child decided. */
      readonly winner: number;
      readonly children: ReadonlyArray<Outcome | undefined>;
    };

interface Entry {
  readonly seq: number;
  readonly result: NotificationResult;
}

/** Notifications received in this attempt, with their arrival order. */
export class NotificationTable {
  readonly #completions = new Map<number, Entry>();
  /** Every arrival of each signal index, in order. */
  readonly #signals = new Map<number, Entry[]>();
  readonly #named = new Map<string, Entry>();
  #seq = 0;

  /**
   * Records a notification; a repeated id keeps the first result, except that each arrival of a
   * signal index is kept, for the leaf that asks for it by `nth`.
   */
  add(leaf: Leaf, result: NotificationResult): void {
    this.#insert(leaf, { seq: this.#seq++, result });
  }

  /**
   * Records a result known without the runtime (eager state reads). Like a `Settled` value it
   * sorts before every notification: live, such a result is ready before anything arriving later,
   * while on replay the journal's notifications are all in the table first, so an arrival
   * position would make replay pick a different race winner than the original attempt.
   */
  addKnown(leaf: Leaf, result: NotificationResult): void {
    this.#insert(leaf, { seq: -1, result });
  }

  #insert(leaf: Leaf, entry: Entry): void {
    switch (leaf.kind) {
      case "completion":
        if (!this.#completions.has(leaf.id)) this.#completions.set(leaf.id, entry);
        return;
      case "signal": {
        const arrivals = this.#signals.get(leaf.id);
        if (arrivals === undefined) this.#signals.set(leaf.id, [entry]);
        else arrivals.push(entry);
        return;
      }
      case "named":
        if (!this.#named.has(leaf.id)) this.#named.set(leaf.id, entry);
        return;
    }
  }

  get(leaf: Leaf): Entry | undefined {
    switch (leaf.kind) {
      case "completion":
        return this.#completions.get(leaf.id);
      case "signal":
        return this.#signals.get(leaf.id)?.[leaf.nth ?? 0];
      case "named":
        return this.#named.get(leaf.id);
    }
  }

  has(leaf: Leaf): boolean {
    return this.get(leaf) !== undefined;
  }
}

/**
 * Evaluates a future against the notifications known so far: its outcome once settled, else
 * undefined. Children are ordered by arrival, so a race picks the same winner on every replay.
 */
export function evaluate(future: Future, table: NotificationTable): Outcome | undefined {
  switch (future.kind) {
    case "completion":
    case "signal":
    case "named": {
      const entry = table.get(future);
      if (entry === undefined) return undefined;
      return {
        kind: "leaf",
        seq: entry.seq,
        failed: entry.result.kind === "failure",
        result: entry.result,
      };
    }
    case "settled":
      return { kind: "leaf", seq: -1, failed: future.failed, result: { kind: "void" } };
    default:
      return evaluateCombinator(future.kind, future.children, table);
  }
}

function evaluateCombinator(
  kind: CombinatorKind,
  futures: readonly Future[],
  table: NotificationTable,
): Outcome | undefined {
  const children = futures.map((f) => evaluate(f, table));
  let firstDone = -1;
  let firstOk = -1;
  let firstFailed = -1;
  let lastSeq = -1;
  let pending = 0;
  children.forEach((c, i) => {
    if (c === undefined) {
      pending++;
      return;
    }
    if (firstDone < 0 || c.seq < children[firstDone]!.seq) firstDone = i;
    if (!c.failed && (firstOk < 0 || c.seq < children[firstOk]!.seq)) firstOk = i;
    if (c.failed && (firstFailed < 0 || c.seq < children[firstFailed]!.seq)) firstFailed = i;
    if (c.seq > lastSeq) lastSeq = c.seq;
  });
  const settle = (winner: number, failed: boolean, seq: number): Outcome => ({
    kind: "combinator",
    seq,
    failed,
    winner,
    children,
  });
  const seqOf = (i: number) => children[i]!.seq;
  switch (kind) {
    case "race":
      return firstDone >= 0
        ? settle(firstDone, children[firstDone]!.failed, seqOf(firstDone))
        : undefined;
    case "any":
      if (firstOk >= 0) return settle(firstOk, false, seqOf(firstOk));
      // Every child failed (an empty `any` too, at seq -1, like `Promise.any([])`).
      return pending === 0 ? settle(-1, true, lastSeq) : undefined;
    case "all":
      if (firstFailed >= 0) return settle(firstFailed, true, seqOf(firstFailed));
      return pending === 0 ? settle(-1, false, lastSeq) : undefined;
    case "allSettled":
      return pending === 0 ? settle(-1, false, lastSeq) : undefined;
  }
}

/** The leaves of the unsettled part of a future (what a V5/V6 suspension lists). */
export function pendingLeaves(future: Future, table: NotificationTable, into: Leaf[] = []): Leaf[] {
  switch (future.kind) {
    case "completion":
    case "signal":
    case "named":
      if (!table.has(future)) into.push(future);
      return into;
    case "settled":
      return into;
    default:
      for (const child of future.children) {
        if (evaluate(child, table) === undefined) pendingLeaves(child, table, into);
      }
      return into;
  }
}
