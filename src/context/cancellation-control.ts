// SPDX-License-Identifier: MIT
// `ctx.cancellation()` and `ctx.cancelPreviousCalls()` (`internal.ContextInternal`): cancellation
// as a handler with `explicitCancellation: true` observes and propagates it itself. The engine
// decides when a cancel signal has arrived; this keeps the handler-side bookkeeping the official
// SDK keeps: one cancellation promise at a time, and the calls made since the last propagation.
import type { JournalVm } from "../journal/vm.js";
import type { Leaf, Outcome } from "../journal/futures.js";
import { CancelledError } from "../errors.js";
import type { PromiseHost } from "./restate-promise.js";
import type { InvocationId, RestatePromise } from "./types.js";

/** The cancellation promise handed out now, and whether its cancel signal was observed. */
interface Pending {
  readonly promise: RestatePromise<void>;
  isObserved: boolean;
}

/** The explicit-cancellation side of one attempt. */
export class CancellationControl {
  readonly #vm: JournalVm;
  readonly #promises: PromiseHost;
  readonly #isExplicit: boolean;
  /** Invocation-id leaves of the calls made since the last `cancelPreviousCalls()`. */
  readonly #calls: Leaf[] = [];
  #pending: Pending | undefined;

  constructor(vm: JournalVm, promises: PromiseHost, isExplicit: boolean) {
    this.#vm = vm;
    this.#promises = promises;
    this.#isExplicit = isExplicit;
  }

  /** A call was journaled: `cancelPreviousCalls()` reaches it (explicit mode only). */
  trackCall(invocationId: Leaf): void {
    if (this.#isExplicit) this.#calls.push(invocationId);
  }

  /**
   * Resolves when the runtime delivers a cancel signal. The same promise until it has resolved,
   * then a fresh one for the next signal. Without explicit cancellation the engine turns the
   * signal into a `CancelledError` at the await, so this never resolves.
   */
  cancellation(): RestatePromise<void> {
    if (this.#pending !== undefined && !this.#pending.isObserved) return this.#pending.promise;
    const leaf = this.#vm.cancellationLeaf();
    const pending: Pending = {
      isObserved: false,
      promise: this.#promises.wrap(leaf, () => {
        // Implicit mode: a signal consumed by another await (this one listened for it too).
        if (!this.#isExplicit) throw new CancelledError();
        if (!pending.isObserved) {
          pending.isObserved = true;
          this.#vm.deliverCancel();
        }
      }),
    };
    this.#pending = pending;
    return pending.promise;
  }

  /**
   * Cancels the calls made since the last time (each gets the cancel signal, in call order, once
   * its invocation id is known) and resolves with their invocation ids. A no-op resolving with
   * none without explicit cancellation, where the engine propagates a cancel itself.
   */
  cancelPreviousCalls(): RestatePromise<InvocationId[]> {
    const calls = this.#isExplicit ? this.#calls.splice(0) : [];
    let cancelled: InvocationId[] | undefined;
    return this.#promises.wrap({ kind: "allSettled", children: calls }, (outcome) => {
      // Journals the cancels once, however often the promise is awaited.
      cancelled ??= this.#cancelAll(outcome);
      return cancelled;
    });
  }

  #cancelAll(outcome: Outcome): InvocationId[] {
    const children = outcome.kind === "combinator" ? outcome.children : [];
    const ids: InvocationId[] = [];
    for (const child of children) {
      if (child?.kind !== "leaf" || child.result.kind !== "invocationId") continue;
      this.#vm.sysCancel(child.result.invocationId);
      ids.push(child.result.invocationId);
    }
    return ids;
  }
}
