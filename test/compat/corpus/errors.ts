// SPDX-License-Identifier: MIT
// The public errors: constructing them with every option, telling them apart, and reading them.
import * as restate from "@restatedev/restate-sdk";
import {
  CancelledError,
  internal,
  PauseError,
  RestateError,
  RetryableError,
  TerminalError,
  TimeoutError,
  type Context,
  type RetryableErrorOptions,
} from "@restatedev/restate-sdk";

export function makeErrors(): RestateError[] {
  const restateError = new RestateError("boom", { errorCode: 500, cause: new Error("root") });
  const plain = new RestateError("boom");
  const terminal = new TerminalError("bad input", { errorCode: 400, metadata: { field: "name" } });
  const bare = new TerminalError("bad input");
  const options: RetryableErrorOptions = { retryAfter: { seconds: 30 } };
  const retryable = new RetryableError("busy", { ...options, errorCode: 503, cause: "upstream" });
  const retryLater = new RetryableError("later", { retryAfter: 5_000 });
  const wrapped: RetryableError = RetryableError.from(new Error("flaky"), { retryAfter: 100 });
  const wrappedBare = RetryableError.from("flaky");
  const pause = new PauseError("needs a human", { errorCode: 500, cause: terminal });
  const pausedFrom = PauseError.from(new Error("stuck"));
  return [
    restateError,
    plain,
    terminal,
    bare,
    retryable,
    retryLater,
    wrapped,
    wrappedBare,
    pause,
    pausedFrom,
    new TimeoutError(),
    new CancelledError(),
  ];
}

export function describeError(error: unknown): string {
  if (error instanceof TimeoutError) return `${error.name} ${error.code}`;
  if (error instanceof CancelledError) return `${error.name} ${error.code} ${error.message}`;
  if (error instanceof TerminalError) {
    const metadata: Record<string, string> | undefined = error.metadata;
    return `${error.name} ${error.code} ${JSON.stringify(metadata)}`;
  }
  if (error instanceof RetryableError) {
    const after: restate.Duration | number | undefined = error.retryAfter;
    return `${error.name} ${error.code} ${JSON.stringify(after)}`;
  }
  if (error instanceof PauseError) return `${error.name} ${error.code}`;
  if (error instanceof RestateError) return `${error.name} ${error.code} ${String(error.cause)}`;
  if (internal.isSuspendedError(error)) return "suspended";
  return String(error);
}

export async function explicitCancellation(ctx: Context): Promise<string[]> {
  const internalCtx = ctx as internal.ContextInternal;
  if (!internalCtx.isProcessing()) return [];
  await internalCtx.cancellation();
  const cancelled: restate.InvocationId[] = await internalCtx.cancelPreviousCalls();
  return cancelled;
}

export const terminalErrors = service();

function service() {
  return restate.service({
    name: "Failing",
    handlers: {
      fail: async (_ctx: Context) => {
        throw new TerminalError("no", { errorCode: 422 });
      },
      retryLater: async (_ctx: Context) => {
        throw new RetryableError("later", { retryAfter: { minutes: 1 } });
      },
      pause: async (_ctx: Context) => {
        throw new PauseError("pause me");
      },
    },
  });
}
