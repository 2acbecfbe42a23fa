// SPDX-License-Identifier: MIT
// Implicit cancellation (docs/protocol.md §6.6): every await also listens to the cancel signal; when it
// wins, the calls still running are cancelled too. This decides, from the notification table
// alone, when a cancel settles an await and which calls it reaches, so a replay decides the same.
import type { Future, Leaf, NotificationTable, Outcome } from "./futures.js";
import { evaluate } from "./futures.js";

/** The built-in signal the runtime delivers to cancel an invocation. */
export const CANCEL_SIGNAL_ID = 1;

/** An await settled by the cancel signal, which arrived at position `seq`. */
export interface CancelOutcome {
  readonly kind: "cancel";
  readonly seq: number;
}

interface TrackedCall {
  readonly id: Leaf;
  readonly result: Leaf;
}

/** The cancellation state of one attempt. */
export class Cancellation {
  readonly leaf: Leaf = { kind: "signal", id: CANCEL_SIGNAL_ID };
  readonly #table: NotificationTable;
  readonly #isCancellable: boolean;
  readonly #calls: TrackedCall[] = [];
  #isConsumed = false;

  /** `isCancellable` false: the handler observes the cancel signal itself (explicit mode). */
  constructor(table: NotificationTable, isCancellable: boolean) {
    this.#table = table;
    this.#isCancellable = isCancellable;
  }

  /** True once the runtime has delivered the cancel signal. */
  get isReceived(): boolean {
    return this.#table.has(this.leaf);
  }

  /** Records a call, to propagate a cancel to. */
  trackCall(id: Leaf, result: Leaf): void {
    if (this.#isCancellable) this.#calls.push({ id, result });
  }

  /**
   * What an await on `future` settles to: its outcome, or the cancel when that arrived first.
   * A cancel waits until the invocation ids of the calls it must reach are known.
   */
  decide(future: Future): Outcome | CancelOutcome | undefined {
    const outcome = evaluate(future, this.#table);
    if (!this.#isCancellable || this.#isConsumed) return outcome;
    const cancel = this.#table.get(this.leaf);
    if (cancel === undefined || (outcome !== undefined && outcome.seq <= cancel.seq)) {
      return outcome;
    }
    return this.#missing(cancel.seq).length === 0 ? { kind: "cancel", seq: cancel.seq } : undefined;
  }

  /**
   * Delivers the cancel once: returns the invocation ids of the calls to cancel, the calls whose
   * result had not arrived before the cancel did.
   */
  consume(): string[] {
    const cancel = this.#table.get(this.leaf);
    if (this.#isConsumed || cancel === undefined) return [];
    this.#isConsumed = true;
    const ids: string[] = [];
    for (const call of this.#pendingCalls(cancel.seq)) {
      const entry = this.#table.get(call.id);
      if (entry?.result.kind === "invocationId") ids.push(entry.result.invocationId);
    }
    return ids;
  }

  /** What a suspension waits for besides the handler's awaits. */
  suspensionLeaves(): Leaf[] {
    if (!this.#isCancellable || this.#isConsumed) return [];
    const cancel = this.#table.get(this.leaf);
    if (cancel === undefined) return [this.leaf];
    const missing = this.#missing(cancel.seq);
    return missing.length > 0 ? missing : [this.leaf];
  }

  /** Invocation ids a pending cancel still waits for. */
  #missing(cancelSeq: number): Leaf[] {
    const missing: Leaf[] = [];
    for (const call of this.#pendingCalls(cancelSeq)) {
      if (!this.#table.has(call.id)) missing.push(call.id);
    }
    return missing;
  }

  /**
   * Calls whose result had not arrived when the cancel signal did. Judged by arrival order, not
   * by what is known now, so a replay (which knows every result up front) picks the same calls.
   */
  #pendingCalls(cancelSeq: number): TrackedCall[] {
    return this.#calls.filter((call) => {
      const result = this.#table.get(call.result);
      return result === undefined || result.seq > cancelSeq;
    });
  }
}
