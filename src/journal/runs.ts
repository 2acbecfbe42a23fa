// SPDX-License-Identifier: MIT
// The runs of one attempt (docs/protocol.md §6.4, §9): when a closure may execute, the V7 proposals
// waiting for their ack, and which runs were replayed (for the retry counters of a failing run).
import type { NotificationResult } from "./futures.js";

/** Run bookkeeping for the VM. */
export class RunTracker {
  readonly #proposed = new Map<number, NotificationResult>();
  readonly #replayed = new Set<number>();
  #deferred: Array<() => void> | undefined;

  /** V7: keeps a proposal until the runtime acknowledges it. */
  propose(completionId: number, result: NotificationResult): void {
    this.#proposed.set(completionId, result);
  }

  /** The proposal an ack stands for (undefined: not proposed in this attempt). */
  takeProposal(completionId: number): NotificationResult | undefined {
    const proposed = this.#proposed.get(completionId);
    this.#proposed.delete(completionId);
    return proposed;
  }

  markReplayed(completionId: number): void {
    this.#replayed.add(completionId);
  }

  isReplayed(completionId: number): boolean {
    return this.#replayed.has(completionId);
  }

  /**
   * Holds back a closure whose RunCommand was replayed without its result while journaled
   * commands remain: a side effect never runs before the replay has matched every command.
   */
  defer(execute: () => void): void {
    (this.#deferred ??= []).push(execute);
  }

  /** The replay is over: starts the held-back closures, in the order their runs were issued. */
  startDeferred(): void {
    const deferred = this.#deferred;
    if (deferred === undefined) return;
    this.#deferred = undefined;
    for (const execute of deferred) execute();
  }
}
