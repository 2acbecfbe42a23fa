// SPDX-License-Identifier: MIT
// The virtual clock: time only moves when the test says so, and timers fire in time order.

/** A scheduled timer; `cancel()` makes it a no-op. */
export interface TimerHandle {
  readonly at: number;
  cancel(): void;
}

interface Timer extends TimerHandle {
  readonly seq: number;
  readonly fire: () => void;
  isCancelled: boolean;
}

/**
 * Virtual time in milliseconds since the Unix epoch. Nothing here runs by itself: the runtime
 * asks for the timers that are due and fires them.
 */
export class VirtualClock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];

  constructor(now: number) {
    this.#now = now;
  }

  /** The current virtual time. */
  now(): number {
    return this.#now;
  }

  /** Moves time forward to `at` (never backwards). */
  moveTo(at: number): void {
    if (at > this.#now) this.#now = at;
  }

  /** Schedules `fire` at virtual time `at`; timers at the same time fire in scheduling order. */
  schedule(at: number, fire: () => void): TimerHandle {
    const timer: Timer = {
      at,
      seq: this.#seq++,
      fire,
      isCancelled: false,
      cancel() {
        timer.isCancelled = true;
      },
    };
    this.#timers.push(timer);
    return timer;
  }

  /** When the earliest live timer is due, if any. */
  nextAt(): number | undefined {
    let next: number | undefined;
    for (const t of this.#timers) {
      if (!t.isCancelled && (next === undefined || t.at < next)) next = t.at;
    }
    return next;
  }

  /** Removes and returns the live timers due at the current time, in firing order. */
  takeDue(): Array<() => void> {
    const due = this.#timers
      .filter((t) => !t.isCancelled && t.at <= this.#now)
      .sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.#timers = this.#timers.filter((t) => !t.isCancelled && t.at > this.#now);
    return due.map((t) => t.fire);
  }

  /** How many live timers are pending. */
  get pending(): number {
    return this.#timers.filter((t) => !t.isCancelled).length;
  }
}
