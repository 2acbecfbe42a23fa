// SPDX-License-Identifier: MIT
// Decides, for one attempt, what the handler's awaits resolve to and when the attempt must wait
// for input, wait for a run, or suspend (PROTOCOL.md §7.2). The only place that awaits the engine.
import type { JournalVm } from "../journal/vm.js";
import { type Future, type Leaf, type Outcome, evaluate } from "../journal/futures.js";
import { CancelledError } from "../errors.js";

/** A durable promise as the scheduler sees it: a future and how to turn its outcome into a value. */
export interface Awaitable<T> {
  readonly future: Future;
  /** Returns the value, or throws the failure. */
  decode(outcome: Outcome): T;
}

/** The next macrotask: `setImmediate` on Node, a zero timeout where it does not exist (Workers). */
const defer: (task: () => void) => void =
  typeof setImmediate === "function" ? (task) => setImmediate(task) : (task) => setTimeout(task, 0);

/** How the context takes part in delivering a cancellation (PROTOCOL.md §6.6). */
export interface CancellationHooks {
  /** Leaves that must have arrived before the cancel is delivered (e.g. call invocation ids). */
  prerequisites(cancelSeq: number): Leaf[];
  /** Called once, right before the first await rejects with `CancelledError`. */
  deliver(cancelSeq: number): void;
}

interface Waiter {
  readonly awaitable: Awaitable<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Resolves awaits against the engine's notifications and suspends when nothing can progress. */
export class Scheduler {
  private readonly vm: JournalVm;
  private readonly waiters = new Set<Waiter>();
  private readonly cancelLeaf;
  private readonly isCancellable: boolean;
  private isCancelConsumed = false;
  private isTickScheduled = false;
  private runningClosures = 0;
  /**
   * Cancellation hooks, set by the context: what must be known before the cancel can be
   * delivered (the invocation ids of calls to propagate it to), and what to do when it is.
   */
  cancellation: CancellationHooks | undefined;

  constructor(vm: JournalVm, options: { explicitCancellation?: boolean } = {}) {
    this.vm = vm;
    this.cancelLeaf = vm.cancelSignal();
    this.isCancellable = options.explicitCancellation !== true;
  }

  /** Awaits a durable promise: settles at once if the journal already decides it. */
  await<T>(awaitable: Awaitable<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        awaitable,
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      if (!this.settle(waiter, this.outcomeOf(waiter))) {
        this.waiters.add(waiter);
        this.schedule();
      }
    });
  }

  /** A run closure started; suspension waits until it has proposed its result. */
  closureStarted(): void {
    this.runningClosures++;
  }

  closureFinished(): void {
    this.runningClosures--;
    this.schedule();
  }

  /**
   * New notifications arrived: settle what they decide right away (continuations still run as
   * microtasks), and re-check for suspension on the next macrotask if anything is left waiting.
   */
  onInput(): void {
    if (this.waiters.size === 0 || this.vm.isClosed) return;
    this.settleReady();
    if (this.waiters.size > 0) this.schedule();
  }

  /** Something changed (input arrived, input closed): re-evaluate soon. */
  schedule(): void {
    if (this.isTickScheduled) return;
    this.isTickScheduled = true;
    // A macrotask, not a microtask: user code must get to register every await it is about to
    // make before we decide that the attempt is blocked.
    defer(this.tick);
  }

  private readonly tick = (): void => {
    this.isTickScheduled = false;
    if (this.vm.isClosed || this.waiters.size === 0) return;
    if (this.settleReady()) return;
    if (this.runningClosures > 0 || !this.vm.isInputClosed) return;
    const futures = [...this.waiters].map((w) => w.awaitable.future);
    const missing = this.missingForCancel();
    if (missing !== undefined) futures.push(...missing);
    else if (this.isCancellable && !this.isCancelConsumed) futures.push(this.cancelLeaf);
    this.waiters.clear();
    this.vm.suspend(futures);
  };

  /** Settles every waiter the known notifications decide, in arrival order; true if any. */
  private settleReady(): boolean {
    const ready: Array<[Waiter, Outcome | "cancel"]> = [];
    for (const waiter of this.waiters) {
      const outcome = this.outcomeOf(waiter);
      if (outcome !== undefined) ready.push([waiter, outcome]);
    }
    if (ready.length > 0) {
      // Settle in arrival order so continuations run in the order the runtime stored results.
      const cancelSeq = this.vm.notifications.get(this.cancelLeaf)?.seq ?? -1;
      const seq = (o: Outcome | "cancel") => (o === "cancel" ? cancelSeq : o.seq);
      ready.sort((a, b) => seq(a[1]) - seq(b[1]));
      for (const [waiter, outcome] of ready) {
        // A cancel is delivered once; a later waiter that only saw the cancel re-evaluates.
        const current = outcome === "cancel" ? this.outcomeOf(waiter) : outcome;
        if (this.settle(waiter, current)) this.waiters.delete(waiter);
      }
      return true;
    }
    return false;
  }

  private outcomeOf(waiter: Waiter): Outcome | "cancel" | undefined {
    const outcome = evaluate(waiter.awaitable.future, this.vm.notifications);
    if (this.isCancellable && !this.isCancelConsumed) {
      const cancel = this.vm.notifications.get(this.cancelLeaf);
      if (cancel !== undefined && (outcome === undefined || cancel.seq < outcome.seq)) {
        // Cancelling waits until the ids of the calls to propagate it to are known.
        return this.missingForCancel() === undefined ? "cancel" : undefined;
      }
    }
    return outcome;
  }

  private cancelSeq(): number {
    return this.vm.notifications.get(this.cancelLeaf)?.seq ?? -1;
  }

  /** The leaves a pending cancel still waits for; undefined when none (or no cancel pending). */
  private missingForCancel(): Leaf[] | undefined {
    if (!this.isCancellable || this.isCancelConsumed || this.cancellation === undefined) {
      return undefined;
    }
    const seq = this.cancelSeq();
    if (seq < 0) return undefined;
    const missing = this.cancellation
      .prerequisites(seq)
      .filter((leaf) => !this.vm.notifications.has(leaf));
    return missing.length > 0 ? missing : undefined;
  }

  /** True once the runtime has delivered this invocation's cancel signal. */
  get isCancelReceived(): boolean {
    return this.vm.notifications.has(this.cancelLeaf);
  }

  private settle(waiter: Waiter, outcome: Outcome | "cancel" | undefined): boolean {
    if (outcome === undefined) return false;
    if (outcome === "cancel") {
      this.isCancelConsumed = true;
      this.cancellation?.deliver(this.cancelSeq());
      waiter.reject(new CancelledError());
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
