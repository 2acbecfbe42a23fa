// SPDX-License-Identifier: MIT
// The response side of one attempt, shared by every transport: request chunks go to the runner as
// they arrive, the runner's frames go out as they are written, and one rule decides when the
// response ends. Subclasses only say how bytes leave (a Web stream, a Node response, a buffer).
import type { InvocationInput, InvocationParams, InvocationSink } from "../context/invocation.js";
import type { InvocationRunner } from "./endpoint-core.js";

/**
 * One object per attempt: the runner's sink and the transport's input at once, so the invoke
 * path allocates no closures.
 *
 * Closing rule (docs/protocol.md §1.4): the response ends once the runner has ended the attempt *and*
 * the request body has ended. In bidi mode the runtime closes the request right after our
 * terminator, so waiting costs nothing; ending earlier would let an HTTP/2 server reset the
 * still-open request stream, which can race with the terminator frame.
 *
 * @internal
 */
export abstract class InvocationPump implements InvocationSink {
  #input: InvocationInput | undefined;
  /** The runner still accepts input: neither `end()` nor `abort()` was called on it. */
  #isInputOpen = true;
  #isAttemptOver = false;
  #isRequestDone = false;
  #isClosed = false;

  /** Sends one chunk of the response body. */
  protected abstract emit(chunk: Uint8Array): void;
  /** Ends the response body normally. */
  protected abstract finish(): void;
  /** The request broke: the exchange is dead; errors the response. */
  protected abstract fail(error: unknown): void;

  /** Starts the attempt; call before feeding any input. */
  run(runner: InvocationRunner, params: InvocationParams): void {
    this.#input = runner(params, this);
  }

  /** Whether the response is over (closed, failed or abandoned). */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  // InvocationSink: the runner writes here.
  write(chunk: Uint8Array): void {
    if (!this.#isClosed) this.emit(chunk);
  }

  end(): void {
    this.#isAttemptOver = true;
    // The runner has nothing more to say; later request chunks are drained, not delivered.
    this.#isInputOpen = false;
    if (this.#isRequestDone) this.#close();
  }

  // The transport's side.
  /** A chunk of the request body arrived. */
  push(chunk: Uint8Array): void {
    if (this.#isInputOpen) this.#input?.push(chunk);
  }

  /** The request body ended normally. */
  requestEnded(): void {
    if (this.#isInputOpen) {
      this.#isInputOpen = false;
      this.#input?.end();
    }
    this.#isRequestDone = true;
    if (this.#isAttemptOver) this.#close();
  }

  /**
   * Ends the attempt's input early (graceful shutdown): the handler goes on until it waits on
   * something not delivered yet, then the attempt suspends; later request chunks are dropped.
   */
  drain(): void {
    if (this.#isInputOpen) {
      this.#isInputOpen = false;
      this.#input?.end();
    }
  }

  /** Reading the request failed: the attempt is aborted and the response errored. */
  requestFailed(error: unknown): void {
    this.#abortInput(error);
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.fail(error);
  }

  /** The client went away: the attempt is aborted, nothing more is written. */
  disconnected(reason: unknown): void {
    this.#isClosed = true;
    this.#abortInput(reason);
  }

  #abortInput(reason: unknown): void {
    if (!this.#isInputOpen) return;
    this.#isInputOpen = false;
    this.#input?.abort(reason);
  }

  #close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.finish();
  }
}
