// SPDX-License-Identifier: MIT
import { CancelledError } from "../errors.js";

let attemptEnded: Error | undefined;

/**
 * The abort reason when an attempt ends, shared (creating a DOMException per attempt costs) and
 * made on first use: an Error made while the module is evaluated captures a stack trace whose
 * frame is the whole bundle's top level, and runtimes that record where an error was made (workerd,
 * Deno) then parse the whole bundle a second time at start-up to find its source position.
 */
function attemptEndedReason(): Error {
  return (attemptEnded ??= Object.freeze(new Error("The invocation attempt ended")));
}

/**
 * The attempt's abort signals, created only when user code asks for one: most invocations never
 * do, and AbortController/AbortSignal.any are among the costliest objects on the invoke path.
 */
export class AttemptSignals {
  #ended: AbortController | undefined;
  #cancelled: AbortController | undefined;
  #run: AbortSignal | undefined;
  #isEnded = false;
  #isCancelled = false;

  /** Aborts when the attempt ends (completed, suspended or failed). */
  get attempt(): AbortSignal {
    if (this.#ended === undefined) {
      this.#ended = new AbortController();
      if (this.#isEnded) this.#ended.abort(attemptEndedReason());
    }
    return this.#ended.signal;
  }

  /** Given to `ctx.run` closures: aborts when the attempt ends or the invocation is cancelled. */
  get runSignal(): AbortSignal {
    if (this.#run === undefined) {
      if (this.#cancelled === undefined) {
        this.#cancelled = new AbortController();
        if (this.#isCancelled) this.#cancelled.abort(new CancelledError());
      }
      this.#run = AbortSignal.any([this.attempt, this.#cancelled.signal]);
    }
    return this.#run;
  }

  markEnded(): void {
    if (this.#isEnded) return;
    this.#isEnded = true;
    this.#ended?.abort(attemptEndedReason());
  }

  markCancelled(): void {
    if (this.#isCancelled) return;
    this.#isCancelled = true;
    this.#cancelled?.abort(new CancelledError());
  }
}
