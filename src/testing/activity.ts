// SPDX-License-Identifier: MIT
// Knowing when the runtime has nothing left to do: pending jobs, running work, and the event-loop
// watch that tells blocked bidi attempts to suspend.
import { ensureError } from "../errors.js";

/** Consecutive idle event-loop turns after which blocked bidi attempts are told to suspend. */
const QUIET_TURNS = 3;

/** An attempt as the watch sees it. */
export interface Watched {
  readonly isInputOpen: boolean;
  endInput(): void;
}

/** Counts the runtime's pending work and detects quiescence. */
export class Activity {
  readonly #errors: Error[] = [];
  #jobs = 0;
  #events = 0;
  #isWatching = false;

  /** Something happened (a frame, a delivery): resets the quiet-turn count. */
  bump(): void {
    this.#events++;
  }

  /** True when no job and no tracked work is pending. */
  get isSettled(): boolean {
    return this.#jobs === 0;
  }

  /** Runs `fn` in a microtask, counted as pending work until it ran. */
  job(fn: () => void): void {
    this.#jobs++;
    queueMicrotask(() => {
      this.#jobs--;
      this.#events++;
      try {
        fn();
      } catch (e) {
        this.fail(e);
      }
    });
  }

  /** Counts `work` as pending until it settles (mock implementations). */
  track<T>(work: Promise<T>): Promise<T> {
    this.#jobs++;
    return work.finally(() => {
      this.#jobs--;
      this.#events++;
    });
  }

  /** Records an internal error of the runtime; `idle()` rethrows it. */
  fail(error: unknown): void {
    this.#errors.push(ensureError(error));
  }

  /**
   * Resolves once `isIdle()` held for two consecutive event-loop turns (so that microtasks and
   * the engine's own `setImmediate` ticks have run). Rejects with the first internal error.
   */
  async idle(isIdle: () => boolean): Promise<void> {
    let quiet = 0;
    while (quiet < 2) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      quiet = isIdle() && this.isSettled ? quiet + 1 : 0;
    }
    const error = this.#errors.shift();
    if (error !== undefined) throw error;
  }

  /**
   * While some attempt's input is open, watches the event loop: once nothing has happened for a
   * few turns, every such attempt is blocked on something only time or the test can bring, so
   * its input is closed and it suspends (what the server's inactivity timeout does).
   */
  watch(attempts: () => Iterable<Watched>): void {
    if (this.#isWatching) return;
    this.#isWatching = true;
    let seen = this.#events;
    let quiet = 0;
    const tick = () => {
      const open = [...attempts()].filter((a) => a.isInputOpen);
      if (open.length === 0) {
        this.#isWatching = false;
        return;
      }
      if (this.#events !== seen || this.#jobs > 0) {
        seen = this.#events;
        quiet = 0;
      } else if (++quiet >= QUIET_TURNS) {
        for (const attempt of open) attempt.endInput();
        quiet = 0;
      }
      setImmediate(tick);
    };
    setImmediate(tick);
  }
}
