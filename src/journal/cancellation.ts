// SPDX-License-Identifier: MIT
// Cancellation (docs/protocol.md §6.6). Implicit (the default): every await also listens to the
// cancel signal; when it wins, the calls still running are cancelled too. Explicit: the handler
// awaits the cancel signal itself (`ctx.cancellation()`). Either way a cancel is consumed once and
// the next await listens for the next cancel signal, as the official core does: the runtime
// delivers one signal per cancel request. Decided from the notification table alone, so a replay
// decides the same.
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
  readonly #table: NotificationTable;
  readonly #isCancellable: boolean;
  #calls: TrackedCall[] = [];
  /** Cancel signals consumed so far: the next one to listen for is arrival number `#consumed`. */
  #consumed = 0;

  /** `isCancellable` false: the handler observes the cancel signal itself (explicit mode). */
  constructor(table: NotificationTable, isCancellable: boolean) {
    this.#table = table;
    this.#isCancellable = isCancellable;
  }

  /** The cancel signal not consumed yet: what awaits listen for, and what `cancellation()` is. */
  get leaf(): Leaf {
    return { kind: "signal", id: CANCEL_SIGNAL_ID, nth: this.#consumed };
  }

  /** True once the runtime has delivered a cancel signal. */
  get isReceived(): boolean {
    return this.#table.has({ kind: "signal", id: CANCEL_SIGNAL_ID });
  }

  /** Records a call, to propagate a cancel to. */
  trackCall(id: Leaf, result: Leaf): void {
    if (this.#isCancellable) this.#calls.push({ id, result });
  }

  /**
   * What an await on `future` settles to: its outcome, or the cancel when that arrived first (or
   * settles it: awaiting `cancellation()` itself is cancelled, never resolved, in implicit mode).
   * A cancel waits until the invocation ids of the calls it must reach are known.
   */
  decide(future: Future): Outcome | CancelOutcome | undefined {
    const outcome = evaluate(future, this.#table);
    if (!this.#isCancellable) return outcome;
    const cancel = this.#table.get(this.leaf);
    if (cancel === undefined || (outcome !== undefined && outcome.seq < cancel.seq)) {
      return outcome;
    }
    return this.#missing(cancel.seq).length === 0 ? { kind: "cancel", seq: cancel.seq } : undefined;
  }

  /**
   * Consumes the pending cancel signal, once it has arrived; afterwards awaits listen for the next
   * one. Implicit mode: returns the invocation ids of the calls to cancel, the calls whose result
   * had not arrived before the cancel did; they are then forgotten, like the official core's.
   */
  consume(): string[] {
    const cancel = this.#table.get(this.leaf);
    if (cancel === undefined) return [];
    this.#consumed++;
    const ids: string[] = [];
    for (const call of this.#pendingCalls(cancel.seq)) {
      const entry = this.#table.get(call.id);
      if (entry?.result.kind === "invocationId") ids.push(entry.result.invocationId);
    }
    this.#calls = [];
    return ids;
  }

  /** What a suspension waits for besides the handler's awaits. */
  suspensionLeaves(): Leaf[] {
    if (!this.#isCancellable) return [];
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
