// SPDX-License-Identifier: MIT
// Connects one Web-standard HTTP exchange to one invocation attempt: request body chunks go to
// the runner as they arrive, and the runner's frames become the response body as they are written.
import type { InvocationParams } from "../context/invocation.js";
import type { InvocationRunner } from "./endpoint-core.js";
import { InvocationPump } from "./invocation-pump.js";

/** The pump whose output is a `ReadableStream`: it is the stream's underlying source too. */
class StreamPump extends InvocationPump {
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#controller = controller;
  }

  /** The response's reader went away (client disconnected). */
  cancel(reason: unknown): void {
    this.disconnected(reason);
    this.#reader?.cancel(reason).catch(ignore);
  }

  protected emit(chunk: Uint8Array): void {
    this.#controller?.enqueue(chunk);
  }

  protected finish(): void {
    this.#controller?.close();
  }

  protected fail(error: unknown): void {
    this.#controller?.error(error);
  }

  async read(body: ReadableStream<Uint8Array> | null): Promise<void> {
    if (body !== null) {
      const reader = body.getReader();
      this.#reader = reader;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          this.push(value);
        }
      } catch (error) {
        this.requestFailed(error);
        return;
      }
    }
    this.requestEnded();
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
 * const body = streamInvocation(startInvocation, params, c.req.raw.body);
 * return new Response(body, { headers: { "content-type": contentType } });
 */
export function streamInvocation(
  runner: InvocationRunner,
  params: InvocationParams,
  body: ReadableStream<Uint8Array> | null,
): ReadableStream<Uint8Array> {
  const pump = new StreamPump();
  // The constructor calls `start` synchronously, so the controller exists before the runner runs.
  const stream = new ReadableStream<Uint8Array>(pump);
  pump.run(runner, params);
  void pump.read(body);
  return stream;
}
