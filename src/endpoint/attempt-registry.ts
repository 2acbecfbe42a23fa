// SPDX-License-Identifier: MIT
// The attempts in flight on a listening endpoint, for a graceful shutdown: stop taking new ones,
// ask the running ones to finish or suspend at their next await, and know when they are all over.

/** An attempt that can be asked to stop taking input. */
export interface DrainableAttempt {
  /**
   * Ends the attempt's input as if the request had ended: the handler runs on until it waits on
   * something not yet delivered, and the attempt then suspends (or ends, if it completes first).
   */
  drain(): void;
}

/**
 * Attempts in flight. One `Set` entry per attempt; nothing else is allocated on the invoke path.
 *
 * @internal
 */
export class AttemptRegistry {
  readonly #attempts = new Set<DrainableAttempt>();
  #isDraining = false;
  #onEmpty: (() => void) | undefined;

  /** True once {@link AttemptRegistry.drain} was called: no new attempt may start. */
  get isDraining(): boolean {
    return this.#isDraining;
  }

  get size(): number {
    return this.#attempts.size;
  }

  add(attempt: DrainableAttempt): void {
    this.#attempts.add(attempt);
    if (this.#isDraining) attempt.drain();
  }

  delete(attempt: DrainableAttempt): void {
    if (this.#attempts.delete(attempt) && this.#attempts.size === 0) this.#onEmpty?.();
  }

  /** Drains every attempt; resolves once none is left. */
  drain(): Promise<void> {
    this.#isDraining = true;
    for (const attempt of this.#attempts) attempt.drain();
    if (this.#attempts.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#onEmpty = resolve;
    });
  }
}
