// SPDX-License-Identifier: MIT
// Per-key exclusivity of virtual objects: one exclusive handler per key at a time, the others wait
// in the key's inbox in arrival order. Shared handlers never take the lock.
import type { Invocation } from "./invocation.js";

interface Lock {
  owner: string;
  readonly inbox: Invocation[];
}

/** The exclusive locks of every object key. */
export class ObjectLocks {
  readonly #locks = new Map<string, Lock>();

  /** Takes the key's lock for `invocation`, or queues it; true if it may run now. */
  acquire(key: string, invocation: Invocation): boolean {
    const lock = this.#locks.get(key);
    if (lock === undefined) {
      this.#locks.set(key, { owner: invocation.id, inbox: [] });
      return true;
    }
    if (lock.owner === invocation.id) return true;
    if (!lock.inbox.includes(invocation)) lock.inbox.push(invocation);
    return false;
  }

  /**
   * Releases the lock `invocation` holds (or drops it from the inbox). Returns the next invocation
   * of the inbox, which now owns the lock and should start.
   */
  release(key: string, invocation: Invocation): Invocation | undefined {
    const lock = this.#locks.get(key);
    if (lock === undefined) return undefined;
    if (lock.owner !== invocation.id) {
      const at = lock.inbox.indexOf(invocation);
      if (at >= 0) lock.inbox.splice(at, 1);
      return undefined;
    }
    const next = lock.inbox.shift();
    if (next === undefined) this.#locks.delete(key);
    else lock.owner = next.id;
    return next;
  }
}
