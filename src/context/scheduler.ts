// SPDX-License-Identifier: MIT
// Decides, for one attempt, when the handler's awaits settle and when the attempt must wait for
// input, wait for a run, or suspend (docs/protocol.md §7.2); what an await settles to (an outcome or
// the cancel) is the engine's decision. The only place that awaits the engine.
import type { CancelOutcome, JournalVm } from "../journal/vm.js";
import type { Future, Outcome } from "../journal/futures.js";
import { CancelledError } from "../errors.js";

/**
 * What decoding an outcome gives: the value itself, or, only when a journal value codec must
 * decode the payload first, a promise of it.
 */
export type Decoded<T> = T | PromiseLike<T>;

/** A durable promise as the scheduler sees it: a future and how to turn its outcome into a value. */
export interface Awaitable<T> {
  readonly future: Future;
  /** Returns the value (or its promise), or throws the failure. */
  decode(outcome: Outcome): Decoded<T>;
}

/** True for a decoded value that is still to come (a journal value codec is decoding it). */
export function isPending<T>(decoded: Decoded<T>): decoded is PromiseLike<T> {
  return (
    typeof decoded === "object" &&
    decoded !== null &&
    typeof (decoded as { then?: unknown }).then === "function"
  );
}

/** The next macrotask: `setImmediate` on Node, a zero timeout where it does not exist (Workers). */
const defer: (task: () => void) => void =
  typeof setImmediate === "function" ? (task) => setImmediate(task) : (task) => setTimeout(task, 0);

interface Waiter {
  readonly awaitable: Awaitable<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Resolves awaits against the engine's notifications and suspends when nothing can progress. */
export class Scheduler {
  readonly #vm: JournalVm;
  readonly #waiters = new Set<Waiter>();
  #isTickScheduled = false;
  #runningClosures = 0;

  constructor(vm: JournalVm) {
    this.#vm = vm;
  }

  /** Awaits a durable promise: settles at once if the journal already decides it. */
  await<T>(awaitable: Awaitable<T>): Promise<T> {
    const outcome = this.#vm.awaitOutcome(awaitable.future);
    // Decided already (every await of a replay): a settled promise, without a waiter.
    if (outcome !== undefined && outcome.kind !== "cancel") {
      try {
        const value = awaitable.decode(outcome);
        // A value a journal value codec still decodes is adopted as before, by a resolver.
        if (!isPending(value)) return Promise.resolve(value);
        return new Promise<T>((resolve) => resolve(value));
      } catch (e) {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what decoding threw, passed on as is (as the waiter path does)
        return Promise.reject(e);
      }
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        awaitable,
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      if (!this.#settle(waiter, outcome)) {
        this.#waiters.add(waiter);
        this.schedule();
      }
    });
  }

  /** A run closure started; suspension waits until it has proposed its result. */
  closureStarted(): void {
    this.#runningClosures++;
  }

  closureFinished(): void {
    this.#runningClosures--;
    this.schedule();
  }

  /**
   * New notifications arrived: settle what they decide right away (continuations still run as
   * microtasks), and re-check for suspension on the next macrotask if anything is left waiting.
   */
  onInput(): void {
    if (this.#waiters.size === 0 || this.#vm.isClosed) return;
    this.#settleReady();
    if (this.#waiters.size > 0) this.schedule();
  }

  /** Something changed (input arrived, input closed): re-evaluate soon. */
  schedule(): void {
    if (this.#isTickScheduled) return;
    this.#isTickScheduled = true;
    // A macrotask, not a microtask: user code must get to register every await it is about to
    // make before we decide that the attempt is blocked.
    defer(this.#tick);
  }

  readonly #tick = (): void => {
    this.#isTickScheduled = false;
    if (this.#vm.isClosed || this.#waiters.size === 0) return;
    if (this.#settleReady()) return;
    // While replaying, no input can unblock the handler (the engine reports the mismatch).
    if (this.#runningClosures > 0 || (!this.#vm.isInputClosed && !this.#vm.isReplaying)) return;
    const futures = [...this.#waiters].map((w) => w.awaitable.future);
    this.#waiters.clear();
    this.#vm.suspend(futures);
  };

  /** Settles every waiter the known notifications decide, in arrival order; true if any. */
  #settleReady(): boolean {
    const ready: Array<[Waiter, Outcome | CancelOutcome]> = [];
    for (const waiter of this.#waiters) {
      const outcome = this.#outcomeOf(waiter);
      if (outcome !== undefined) ready.push([waiter, outcome]);
    }
    if (ready.length > 0) {
      // Settle in arrival order so continuations run in the order the runtime stored results.
      ready.sort((a, b) => a[1].seq - b[1].seq);
      for (const [waiter, outcome] of ready) {
        // A cancel is delivered once; a later waiter that only saw the cancel re-evaluates.
        const current = outcome.kind === "cancel" ? this.#outcomeOf(waiter) : outcome;
        if (this.#settle(waiter, current)) this.#waiters.delete(waiter);
      }
      return true;
    }
    return false;
  }

  #outcomeOf(waiter: Waiter): Outcome | CancelOutcome | undefined {
    return this.#vm.awaitOutcome(waiter.awaitable.future);
  }

  #settle(waiter: Waiter, outcome: Outcome | CancelOutcome | undefined): boolean {
    if (outcome === undefined) return false;
    if (outcome.kind === "cancel") {
      waiter.reject(this.#vm.deliverCancel() ?? new CancelledError());
      return true;
    }
    try {
      waiter.resolve(waiter.awaitable.decode(outcome));
    } catch (e) {
      waiter.reject(e);
    }
    return true;
  }
}
