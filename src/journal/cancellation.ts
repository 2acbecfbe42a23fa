// SPDX-License-Identifier: MIT
// Cancellation (docs/protocol.md §6.6). Implicit (the default): every await also listens to the
// cancel signal; when it wins, every call made since the last cancel is cancelled too (a no-op for
// the runtime when a call has completed), as the official core does. Explicit: the handler
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

/** The first cancel signal's arrival. */
const FIRST_CANCEL: Leaf = { kind: "signal", id: CANCEL_SIGNAL_ID, nth: 0 };

/** The cancellation state of one attempt. */
export class Cancellation {
  readonly #table: NotificationTable;
  readonly #isCancellable: boolean;
  /** Invocation-id leaves of the calls made since the last cancel, in call order. */
  #calls: Leaf[] = [];
  /** Cancel signals consumed so far: the next one to listen for is arrival number `#consumed`. */
  #consumed = 0;
  /** The leaf of arrival `#consumed`, made once per cancel rather than once per await. */
  #leaf: Leaf = FIRST_CANCEL;

  /** `isCancellable` false: the handler observes the cancel signal itself (explicit mode). */
  constructor(table: NotificationTable, isCancellable: boolean) {
    this.#table = table;
    this.#isCancellable = isCancellable;
  }

  /** The cancel signal not consumed yet: what awaits listen for, and what `cancellation()` is. */
  get leaf(): Leaf {
    return this.#leaf;
  }

  /** True once the runtime has delivered a cancel signal. */
  get isReceived(): boolean {
    return this.#table.has(FIRST_CANCEL);
  }

  /** Records a call (the leaf of its invocation id), to propagate a cancel to. */
  trackCall(id: Leaf): void {
    if (this.#isCancellable) this.#calls.push(id);
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
    return this.#missing().length === 0 ? { kind: "cancel", seq: cancel.seq } : undefined;
  }

  /**
   * Consumes the pending cancel signal, once it has arrived; afterwards awaits listen for the next
   * one. Implicit mode: returns the invocation ids of the calls to cancel, every call made since
   * the last cancel, finished or not; they are then forgotten, like the official core's.
   */
  consume(): string[] {
    const cancel = this.#table.get(this.leaf);
    if (cancel === undefined) return [];
    this.#consumed++;
    this.#leaf = { kind: "signal", id: CANCEL_SIGNAL_ID, nth: this.#consumed };
    const ids: string[] = [];
    for (const call of this.#calls) {
      const entry = this.#table.get(call);
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
    const missing = this.#missing();
    return missing.length > 0 ? missing : [this.leaf];
  }

  /** Invocation ids a pending cancel still waits for. */
  #missing(): Leaf[] {
    return this.#calls.filter((call) => !this.#table.has(call));
  }
}
