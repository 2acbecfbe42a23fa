// SPDX-License-Identifier: MIT
// Connects one HTTP exchange to one invocation attempt: request body chunks go to the runner as
// they arrive, and the runner's frames become the response body as they are written.
import {
  startInvocation,
  type InvocationInput,
  type InvocationParams,
  type InvocationSink,
} from "../context/invocation.js";

/**
 * One object per attempt: it is the response stream's source and the runner's sink at once, so
 * the invoke path allocates no closures.
 *
 * Closing rule (PROTOCOL.md §1.4): the response ends once the runner has ended the attempt *and*
 * the request body has ended. In bidi mode the runtime closes the request right after our
 * terminator, so waiting costs nothing; ending earlier would let `@hono/node-server` reset the
 * still-open HTTP/2 request stream, which can race with the terminator frame.
 */
class InvocationPump implements InvocationSink {
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #input: InvocationInput | undefined;
  /** The runner still accepts input: neither `end()` nor `abort()` was called on it. */
  #isInputOpen = true;
  #isAttemptOver = false;
  #isRequestDone = false;
  #isClosed = false;

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#controller = controller;
  }

  /** The response's reader went away (client disconnected). */
  cancel(reason: unknown): void {
    this.#isClosed = true;
    this.#abortInput(reason);
    this.#reader?.cancel(reason).catch(ignore);
  }

  write(chunk: Uint8Array): void {
    if (!this.#isClosed) this.#controller?.enqueue(chunk);
  }

  end(): void {
    this.#isAttemptOver = true;
    // The runner has nothing more to say; later request chunks are drained, not delivered.
    this.#isInputOpen = false;
    if (this.#isRequestDone) this.#close();
  }

  run(params: InvocationParams, body: ReadableStream<Uint8Array> | null): void {
    this.#input = startInvocation(params, this);
    void this.#readRequest(body);
  }

  async #readRequest(body: ReadableStream<Uint8Array> | null): Promise<void> {
    if (body !== null) {
      const reader = body.getReader();
      this.#reader = reader;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          if (this.#isInputOpen) this.#input?.push(value);
        }
      } catch (error) {
        this.#abortInput(error);
        this.#fail(error);
        return;
      }
    }
    if (this.#isInputOpen) {
      this.#isInputOpen = false;
      this.#input?.end();
    }
    this.#isRequestDone = true;
    if (this.#isAttemptOver) this.#close();
  }

  #abortInput(reason: unknown): void {
    if (!this.#isInputOpen) return;
    this.#isInputOpen = false;
    this.#input?.abort(reason);
  }

  #close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#controller?.close();
  }

  /** The request stream broke: the exchange is dead, so the response is errored too. */
  #fail(error: unknown): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#controller?.error(error);
  }
}

function ignore(): void {}

/**
 * Starts one invocation attempt and returns the response body that streams its frames.
 *
 * The request body is read chunk by chunk and never buffered whole: in bidi mode it stays open
 * while the handler runs and carries completions.
 *
 * @example
 * const body = streamInvocation(params, c.req.raw.body);
 * return new Response(body, { headers: { "content-type": contentType } });
 */
export function streamInvocation(
  params: InvocationParams,
  body: ReadableStream<Uint8Array> | null,
): ReadableStream<Uint8Array> {
  const pump = new InvocationPump();
  // The constructor calls `start` synchronously, so the controller exists before the runner runs.
  const stream = new ReadableStream<Uint8Array>(pump);
  pump.run(params, body);
  return stream;
}
