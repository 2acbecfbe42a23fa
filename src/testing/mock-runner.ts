// SPDX-License-Identifier: MIT
// Running one call of a mocked handler as an invocation: record it, run the implementation, and
// complete, fail or retry the invocation like the runtime would for a real handler.
import { ensureError, isTerminalError, retryDelayOf } from "../errors.js";
import { failureOf } from "../context/failures.js";
import type { Invocation } from "./invocation.js";
import type { MockCall, MockHandler } from "./mocks.js";
import type { Runtime } from "./runtime.js";
import { recordFailure } from "./control.js";

/** Runs one attempt of a mocked call. */
export async function runMock(
  runtime: Runtime,
  invocation: Invocation,
  mock: MockHandler,
): Promise<void> {
  invocation.attempts++;
  invocation.status = "running";
  // Cancelled or killed while the implementation ran: its outcome no longer matters.
  const isOver = () => invocation.result !== undefined;
  const { request } = invocation;
  const { codec } = runtime;
  let input: Uint8Array;
  try {
    input = codec.codec === undefined ? request.input : await codec.decode(request.input);
  } catch (e) {
    if (!isOver())
      recordFailure(runtime, invocation, { code: 500, message: ensureError(e).message });
    return;
  }
  const call: MockCall = {
    input: decodeInput(mock, input),
    headers: Object.fromEntries(request.headers),
    idempotencyKey: request.idempotencyKey,
    delay: request.invokeAt !== undefined ? request.invokeAt - invocation.createdAt : undefined,
    key: request.target.key,
    invocationId: invocation.id,
    attempt: invocation.attempts,
    caller: request.caller,
  };
  try {
    const output = await runtime.busy(mock.invoke(call));
    if (isOver()) return;
    const value = codec.encode(mock.outputSerde.serialize(output));
    runtime.complete(invocation, { kind: "value", value });
  } catch (e) {
    if (isOver()) return;
    if (isTerminalError(e)) {
      const { code, message, metadata } = failureOf(e);
      runtime.complete(invocation, { kind: "failure", code, message, metadata: metadata ?? [] });
      return;
    }
    const error = ensureError(e);
    const retryAfter = retryDelayOf(error);
    recordFailure(runtime, invocation, {
      code: 500,
      message: error.message,
      ...(error.stack !== undefined ? { stacktrace: error.stack } : {}),
      ...(retryAfter !== undefined ? { nextRetryDelay: retryAfter } : {}),
    });
  }
}

function decodeInput(mock: MockHandler, bytes: Uint8Array): unknown {
  try {
    return mock.inputSerde.deserialize(bytes);
  } catch {
    // A caller may use its own serde; the mock then sees the raw bytes.
    return bytes;
  }
}
