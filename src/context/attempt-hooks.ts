// SPDX-License-Identifier: MIT
// One attempt's hooks: the providers are called once, their interceptors composed once, and the
// handler chain raced against the end of the attempt so no interceptor waits on a `next()` that
// can never settle. Built only when a handler has hooks: an attempt without any never sees this.
import { RestateError } from "../errors.js";
import type { HookContext, HooksProvider, Interceptor, OutgoingCall, RunInfo } from "./hooks.js";

/** The code of the error `next()` rejects with when the attempt suspends (as the official SDK). */
const SUSPENDED_CODE = 599;

/**
 * What `next()` rejects with when the attempt ends before the handler does: a suspension (code
 * 599), or a failure that already ended the attempt (a run to retry, a journal mismatch; the
 * runtime retries). Rethrow it.
 */
export class AttemptEndedError extends RestateError {
  override name = "AttemptEndedError";

  constructor(message: string, code: number) {
    super(message, { errorCode: code });
  }
}

/**
 * True when `e` says the attempt suspended (it waits for a timer, a call or a signal). Use it in a
 * handler interceptor to tell a suspension from a failure.
 *
 * @example
 * try { await next(); } catch (e) { if (!isSuspendedError(e)) failures.add(1); throw e; }
 */
export function isSuspendedError(e: unknown): boolean {
  const like = e as { code?: unknown } | null;
  return e instanceof Error && like?.code === SUSPENDED_CODE;
}

type Next = () => Promise<void>;

/** Guards `next` so that a second call fails instead of running the body twice. */
function once(next: Next): Next {
  let isCalled = false;
  return () => {
    if (isCalled) return Promise.reject(new Error("Interceptor called next() more than once"));
    isCalled = true;
    return next();
  };
}

/** The composed interceptors of one attempt. */
export class AttemptHooks {
  readonly #handlers: Array<NonNullable<Interceptor["handler"]>> = [];
  readonly #runs: Array<NonNullable<Interceptor["run"]>> = [];
  readonly #calls: Array<NonNullable<Interceptor["call"]>> = [];
  #ended: Promise<never> | undefined;
  #endWith: ((error: Error) => void) | undefined;
  #endError: Error | undefined;

  /** Calls every provider once, service hooks first, in list order. */
  constructor(providers: readonly HooksProvider[], context: HookContext) {
    for (const provide of providers) {
      const interceptor = provide(context).interceptor;
      if (interceptor?.handler !== undefined) this.#handlers.push(interceptor.handler);
      if (interceptor?.run !== undefined) this.#runs.push(interceptor.run);
      if (interceptor?.call !== undefined) this.#calls.push(interceptor.call);
    }
  }

  get hasRunInterceptors(): boolean {
    return this.#runs.length > 0;
  }

  get hasCallInterceptors(): boolean {
    return this.#calls.length > 0;
  }

  /** The attempt ended (suspended or failed) while the handler chain may still be pending. */
  attemptEnded(failure: { readonly message: string; readonly code: number } | undefined): void {
    if (this.#endError !== undefined) return;
    this.#endError =
      failure === undefined
        ? new AttemptEndedError("Suspended invocation", SUSPENDED_CODE)
        : new AttemptEndedError(failure.message, failure.code);
    this.#endWith?.(this.#endError);
  }

  /** Rejects once the attempt has ended early; never resolves. */
  #endedPromise(): Promise<never> {
    if (this.#ended === undefined) {
      this.#ended =
        this.#endError !== undefined
          ? Promise.reject(this.#endError)
          : new Promise<never>((_, reject) => (this.#endWith = reject));
      // Awaited only through races; a rejection nobody raced must not be reported as unhandled.
      this.#ended.catch(() => undefined);
    }
    return this.#ended;
  }

  /** Runs `body` (the handler) inside the handler interceptors, outermost first. */
  aroundHandler(body: Next): Promise<void> {
    if (this.#handlers.length === 0) return body();
    const ended = this.#endedPromise();
    let next = body;
    for (let i = this.#handlers.length - 1; i >= 0; i--) {
      const interceptor = this.#handlers[i]!;
      const inner = next;
      const racing = once(() => Promise.race([inner(), ended]));
      next = () => Promise.race([interceptor(racing), ended]);
    }
    return next();
  }

  /** Runs `body` (one run closure) inside the run interceptors, outermost first. */
  aroundRun(name: string, body: Next, info: RunInfo): Promise<void> {
    let next = body;
    for (let i = this.#runs.length - 1; i >= 0; i--) {
      const interceptor = this.#runs[i]!;
      const inner = once(next);
      next = () => interceptor(name, inner, info);
    }
    return next();
  }

  /** Journals one call or send (`body`) inside the call interceptors, outermost first. */
  aroundCall(request: OutgoingCall, body: () => void): void {
    let isJournaled = false;
    let next = (): void => {
      isJournaled = true;
      body();
    };
    for (let i = this.#calls.length - 1; i >= 0; i--) {
      const interceptor = this.#calls[i]!;
      const inner = next;
      let isCalled = false;
      const guarded = (): void => {
        if (isCalled) throw new Error("Call interceptor called next() more than once");
        isCalled = true;
        inner();
      };
      next = () => interceptor(request, guarded);
    }
    next();
    if (!isJournaled) {
      throw new Error(
        `A call interceptor did not call next(): ${request.service}/${request.handler} was not sent`,
      );
    }
  }
}
