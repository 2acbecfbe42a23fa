// SPDX-License-Identifier: MIT
// Durable promises whose result is known without the runtime: `RestatePromise.resolve/reject`, and
// combinators over such promises only. They still carry a future, so that they nest inside a
// combinator the runtime does see, exactly like promises created by `ctx`.
import { type Future, type Outcome, NotificationTable, evaluate } from "../journal/futures.js";
import { type TerminalError, isTerminalError } from "../errors.js";
import type { Duration } from "../definitions/duration.js";
import type { RestatePromise } from "./types.js";
import type { Awaitable } from "./scheduler.js";

/** What a settled node knows: a value, a failure, or that it can never settle (`race([])`). */
export type Settlement<T> =
  | { readonly state: "fulfilled"; readonly value: T }
  | { readonly state: "rejected"; readonly error: unknown }
  | { readonly state: "pending" };

/** Settled leaves never look anything up: the table stays empty. */
const NO_NOTIFICATIONS = new NotificationTable();

/**
 * A promise whose settlement is fixed at creation. Awaiting it never suspends the invocation;
 * its future is a `settled` leaf (or, for a combinator that can never settle, that combinator).
 */
export class SettledPromise<T> implements RestatePromise<T>, Awaitable<T> {
  readonly [Symbol.toStringTag] = "RestatePromise";
  readonly future: Future;
  readonly settlement: Settlement<T>;
  #native: Promise<T> | undefined;

  constructor(settlement: Settlement<T>, future?: Future) {
    this.settlement = settlement;
    this.future = future ?? {
      kind: "settled",
      failed: settlement.state === "rejected",
    };
  }

  /** The value, or throws the failure; the outcome is ignored (the settlement is fixed). */
  decode(_outcome?: Outcome): T {
    switch (this.settlement.state) {
      case "fulfilled":
        return this.settlement.value;
      case "rejected":
        throw this.settlement.error;
      case "pending":
        throw new Error("RestatePromise: decoding a promise that never settles");
    }
  }

  get #promise(): Promise<T> {
    if (this.#native === undefined) {
      const s = this.settlement;
      this.#native =
        s.state === "fulfilled"
          ? Promise.resolve(s.value)
          : s.state === "rejected"
            ? // The reason is whatever the user rejected with, as `Promise.reject` keeps it.
              // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- user-chosen reason
              Promise.reject(s.error)
            : new Promise<T>(() => undefined);
    }
    return this.#native;
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#promise.then(onfulfilled, onrejected);
  }

  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#promise.catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#promise.finally(onfinally);
  }

  /** Already settled (or never settling without a timer to race): the timeout cannot apply. */
  orTimeout(_duration: Duration): RestatePromise<T> {
    return this;
  }

  map<U>(mapper: (value?: T, failure?: TerminalError) => U): RestatePromise<U> {
    const s = this.settlement;
    if (s.state === "pending") return new SettledPromise<U>(s, this.future);
    return settleWith(() => {
      if (s.state === "fulfilled") return mapper(s.value);
      if (isTerminalError(s.error)) return mapper(undefined, s.error);
      throw s.error;
    });
  }
}

/** A node from a thunk: its value, or its failure if the thunk throws. */
export function settleWith<T>(thunk: () => T): SettledPromise<T> {
  try {
    return new SettledPromise<T>({ state: "fulfilled", value: thunk() });
  } catch (error) {
    return new SettledPromise<T>({ state: "rejected", error });
  }
}

/**
 * Evaluates a future made of settled leaves only, with the engine's own evaluation, and decodes
 * the outcome: the same winner, value and failure a combinator the runtime sees would produce.
 */
export function settleFuture<T>(
  future: Future,
  decode: (outcome: Outcome) => T,
): SettledPromise<T> {
  const outcome = evaluate(future, NO_NOTIFICATIONS);
  if (outcome === undefined) return new SettledPromise<T>({ state: "pending" }, future);
  return settleWith(() => decode(outcome));
}
