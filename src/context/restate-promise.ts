// SPDX-License-Identifier: MIT
import type { Future, Leaf, Outcome } from "../journal/futures.js";
import type { RelatedCommand } from "../journal/errors.js";
import { type TerminalError, TimeoutError, isTerminalError } from "../errors.js";
import type { Duration } from "../definitions/duration.js";
import type { Serde } from "../serde/serde.js";
import type { RestatePromise as RestatePromiseType } from "./types.js";
import { type Awaitable, type Decoded, type Scheduler, isPending } from "./scheduler.js";

/**
 * What a promise needs from the context that owns it: sleeps for `orTimeout`, and a way to end
 * the attempt when a mapper throws.
 */
export interface TimerSource {
  sleepFuture(duration: Duration): Future;
  /**
   * Ends the attempt on `cause` (the runtime retries), relating it to `related` when given; what
   * awaited the failing operation never settles.
   */
  endAttempt(cause: unknown, related?: RelatedCommand): Promise<never>;
}

/** Makes durable promises over engine futures; the context is the one host of an attempt. */
export interface PromiseHost {
  /** Wraps a future in a durable promise that decodes its outcome with `decode`. */
  wrap<T>(future: Future, decode: (outcome: Outcome) => Decoded<T>): FuturePromise<T>;
  /**
   * A promise of one notification's payload, deserialized (empty bytes for void); `related` is
   * the command whose result it is, named when the payload cannot be read.
   */
  valuePromise<T>(leaf: Leaf, serde: Serde<T>, related?: RelatedCommand): FuturePromise<T>;
  /**
   * A promise of one notification's payload: `read` of its bytes (after the journal value codec,
   * if any, decoded them), or `absent` when the notification carries no value.
   */
  payloadPromise<T>(
    leaf: Leaf,
    read: (bytes: Uint8Array) => T,
    absent: T,
    related?: RelatedCommand,
  ): FuturePromise<T>;
  /** The command written last, of type `type`. */
  lastCommand(type: number): RelatedCommand;
  /** The bytes to journal for a serialized value: the journal value codec's encoding, if any. */
  encode(bytes: Uint8Array): Uint8Array;
  /**
   * The bytes to journal for `value` in the next command, of type `type`; undefined once the
   * attempt is ended because the serde (or the codec) could not write it, as the official SDK
   * does: the runtime retries, and the failure names the command it was meant for.
   */
  serializeFor<T>(type: number, serde: Serde<T>, value: T): Uint8Array | undefined;
  /** Ends the attempt on `cause`; see {@link TimerSource.endAttempt}. */
  endAttempt(cause: unknown, related?: RelatedCommand): Promise<never>;
}

/**
 * A `RestatePromise` over one engine future (its settled-value counterpart is `SettledPromise`).
 * A lazily awaited durable promise: nothing is evaluated until something calls `then`: that is
 * the await point the scheduler needs to know about to decide whether to suspend.
 */
export class FuturePromise<T> implements RestatePromiseType<T>, Awaitable<T> {
  readonly [Symbol.toStringTag] = "RestatePromise";
  readonly future: Future;
  readonly scheduler: Scheduler;
  readonly timers: TimerSource;
  readonly #decode: (outcome: Outcome) => Decoded<T>;
  #native: Promise<T> | undefined;

  constructor(
    scheduler: Scheduler,
    timers: TimerSource,
    future: Future,
    decode: (outcome: Outcome) => Decoded<T>,
  ) {
    this.scheduler = scheduler;
    this.timers = timers;
    this.future = future;
    this.#decode = decode;
  }

  decode(outcome: Outcome): Decoded<T> {
    return this.#decode(outcome);
  }

  get #promise(): Promise<T> {
    return (this.#native ??= this.scheduler.await(this));
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

  orTimeout(duration: Duration): RestatePromiseType<T> {
    const future: Future = {
      kind: "race",
      children: [this.future, this.timers.sleepFuture(duration)],
    };
    return new FuturePromise(this.scheduler, this.timers, future, (outcome) => {
      const child = childOutcome(outcome, 0);
      if (child !== undefined && (outcome as { winner: number }).winner === 0)
        return this.decode(child);
      throw new TimeoutError();
    });
  }

  map<U>(mapper: (value?: T, failure?: TerminalError) => U): RestatePromiseType<U> {
    const timers = this.timers;
    // A terminal error the mapper throws rejects the await; any other ends the attempt (the
    // runtime retries), as with the official SDK.
    const mapped = (value?: T, failure?: TerminalError): U | Promise<never> => {
      try {
        return mapper(value, failure);
      } catch (e) {
        if (isTerminalError(e)) throw e;
        return timers.endAttempt(e);
      }
    };
    const onFailure = (e: unknown): U | Promise<never> => {
      if (isTerminalError(e)) return mapped(undefined, e);
      throw e;
    };
    return new FuturePromise(this.scheduler, this.timers, this.future, (outcome) => {
      let value: Decoded<T>;
      try {
        value = this.decode(outcome);
      } catch (e) {
        return onFailure(e);
      }
      return isPending(value) ? value.then((v) => mapped(v), onFailure) : mapped(value);
    });
  }
}

/** The outcome of child `index` of a combinator outcome. */
export function childOutcome(outcome: Outcome, index: number): Outcome | undefined {
  return outcome.kind === "combinator" ? outcome.children[index] : undefined;
}
