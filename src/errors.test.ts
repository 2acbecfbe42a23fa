// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import {
  CancelledError,
  ensureError,
  isCancelledError,
  isPauseError,
  isRetryableError,
  isTerminalError,
  isTimeoutError,
  PauseError,
  RestateError,
  retryDelayOf,
  RetryableError,
  TerminalError,
  TimeoutError,
} from "./errors.js";

/** Builds what a second copy of the package (or the official SDK) would throw. */
function foreign(name: string, props: Record<string, unknown> = {}): Error {
  return Object.assign(new Error("from elsewhere"), { name }, props);
}

describe("TerminalError", () => {
  it("defaults to code 500, empty metadata and an undefined cause", () => {
    const e = new TerminalError("nope");
    expect(e).toBeInstanceOf(RestateError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("TerminalError");
    expect(e.message).toBe("nope");
    expect(e.code).toBe(500);
    expect(e.metadata).toEqual({});
    expect(Object.hasOwn(e, "cause")).toBe(true);
    expect(e.cause).toBeUndefined();
  });

  it("takes errorCode, metadata and cause", () => {
    const cause = new Error("root");
    const e = new TerminalError("missing", { errorCode: 404, metadata: { sku: "a" }, cause });
    expect(e.code).toBe(404);
    expect(e.metadata).toEqual({ sku: "a" });
    expect(e.cause).toBe(cause);
  });

  it("has timeout and cancelled subclasses with fixed codes and messages", () => {
    const timeout = new TimeoutError();
    expect(timeout).toBeInstanceOf(TerminalError);
    expect([timeout.name, timeout.code, timeout.message]).toEqual([
      "TimeoutError",
      408,
      "Timeout occurred",
    ]);
    const cancelled = new CancelledError();
    expect(cancelled).toBeInstanceOf(TerminalError);
    expect([cancelled.name, cancelled.code, cancelled.message]).toEqual([
      "CancelledError",
      409,
      "Cancelled",
    ]);
  });
});

describe("RestateError", () => {
  it("carries a code, 500 unless errorCode is given, and an optional cause", () => {
    const plain = new RestateError("boom");
    expect([plain.name, plain.code, plain.cause]).toEqual(["RestateError", 500, undefined]);
    const root = new Error("root");
    const coded = new RestateError("boom", { errorCode: 503, cause: root });
    expect([coded.code, coded.cause]).toEqual([503, root]);
  });
});

describe("RetryableError", () => {
  it("keeps retryAfter as given, a number or a duration object", () => {
    expect(new RetryableError("x", { retryAfter: 1500 }).retryAfter).toBe(1500);
    const duration = { days: 1, hours: 1, minutes: 1, seconds: 1, milliseconds: 1 };
    const e = new RetryableError("x", { retryAfter: duration });
    expect(e.retryAfter).toBe(duration);
    expect(e.name).toBe("RetryableError");
    expect(e).toBeInstanceOf(RestateError);
    expect(e).not.toBeInstanceOf(TerminalError);
  });

  it("defaults to code 500 and no delay", () => {
    const e = new RetryableError("x");
    expect(e.retryAfter).toBeUndefined();
    expect(e.code).toBe(500);
  });

  it("wraps anything with from(), keeping the message and the cause", () => {
    const root = new Error("socket hang up");
    const e = RetryableError.from(root, { retryAfter: { seconds: 2 }, errorCode: 503 });
    expect(e.message).toBe("socket hang up");
    expect(e.cause).toBe(root);
    expect(e.retryAfter).toEqual({ seconds: 2 });
    expect(e.code).toBe(503);
    // Worded as the official SDK words a thrown non-error.
    expect(RetryableError.from("plain").message).toBe('Non-Error value: "plain"');
  });
});

describe("retryDelayOf", () => {
  it("converts a RetryableError's delay to whole milliseconds", () => {
    expect(retryDelayOf(new RetryableError("x", { retryAfter: 1500 }))).toBe(1500);
    const all = { days: 1, hours: 1, minutes: 1, seconds: 1, milliseconds: 1 };
    expect(retryDelayOf(new RetryableError("x", { retryAfter: all }))).toBe(
      86_400_000 + 3_600_000 + 60_000 + 1_000 + 1,
    );
    expect(retryDelayOf(new RetryableError("x", { retryAfter: { seconds: 0.0015 } }))).toBe(2);
    expect(retryDelayOf(foreign("RetryableError", { retryAfter: { minutes: 1 } }))).toBe(60_000);
  });

  it("has no delay for other errors, no retryAfter, or an unusable one", () => {
    expect(retryDelayOf(new RetryableError("x"))).toBeUndefined();
    expect(retryDelayOf(new TerminalError("x"))).toBeUndefined();
    expect(retryDelayOf(Object.assign(new Error("x"), { retryAfter: 10 }))).toBeUndefined();
    expect(retryDelayOf(new RetryableError("x", { retryAfter: -1 }))).toBeUndefined();
    expect(retryDelayOf(new RetryableError("x", { retryAfter: Number.NaN }))).toBeUndefined();
  });
});

describe("PauseError", () => {
  it("is a RestateError with the official name, code and cause", () => {
    const cause = new TerminalError("bad row");
    const e = new PauseError("needs a human", { errorCode: 422, cause });
    expect(e).toBeInstanceOf(RestateError);
    expect(e).not.toBeInstanceOf(TerminalError);
    expect(e).not.toBeInstanceOf(RetryableError);
    expect([e.name, e.message, e.code, e.cause]).toEqual([
      "PauseError",
      "needs a human",
      422,
      cause,
    ]);
    expect(new PauseError("x").code).toBe(500);
  });

  it("from() wraps anything in a RetryableError (not a PauseError), as the official SDK does", () => {
    const root = Object.assign(new Error("stuck"), { errorCode: 503 });
    const e = PauseError.from(root);
    expect(e).toBeInstanceOf(RetryableError);
    expect(e).not.toBeInstanceOf(PauseError);
    expect(isPauseError(e)).toBe(false);
    expect([e.name, e.message, e.code, e.cause, e.retryAfter]).toEqual([
      "RetryableError",
      "stuck",
      503,
      root,
      undefined,
    ]);
    expect(PauseError.from({ reason: "x" }).message).toBe('Non-Error value: {"reason":"x"}');
  });

  it("is recognised by isPauseError, also from another copy of the package", () => {
    expect(isPauseError(new PauseError("x"))).toBe(true);
    expect(isPauseError(foreign("PauseError"))).toBe(true);
    expect(isPauseError(new RetryableError("x"))).toBe(false);
    expect(isPauseError({ name: "PauseError" })).toBe(false);
    expect(isTerminalError(new PauseError("x"))).toBe(false);
    expect(isRetryableError(new PauseError("x"))).toBe(false);
  });
});

describe("guards", () => {
  it("recognise this package's errors", () => {
    expect(isTerminalError(new TerminalError("x"))).toBe(true);
    expect(isTerminalError(new TimeoutError())).toBe(true);
    expect(isTerminalError(new CancelledError())).toBe(true);
    expect(isTimeoutError(new TimeoutError())).toBe(true);
    expect(isCancelledError(new CancelledError())).toBe(true);
    expect(isRetryableError(new RetryableError("x"))).toBe(true);
    expect(isTimeoutError(new CancelledError())).toBe(false);
    expect(isCancelledError(new TerminalError("x", { errorCode: 409 }))).toBe(false);
    expect(isTerminalError(new RetryableError("x"))).toBe(false);
  });

  it("recognise subclasses by instanceof", () => {
    class NotFound extends TerminalError {
      override name = "NotFound";
    }
    expect(isTerminalError(new NotFound("x", { errorCode: 404 }))).toBe(true);
  });

  it("recognise errors from another copy of the package by name", () => {
    expect(isTerminalError(foreign("TerminalError", { code: 500 }))).toBe(true);
    expect(isTerminalError(foreign("CancelledError", { code: 409 }))).toBe(true);
    expect(isCancelledError(foreign("CancelledError", { code: 409 }))).toBe(true);
    expect(isTimeoutError(foreign("TimeoutError", { code: 408 }))).toBe(true);
    expect(isRetryableError(foreign("RetryableError", { retryAfter: 10 }))).toBe(true);
    expect(isRetryableError(foreign("RetryableError", { retryAfter: { seconds: 1 } }))).toBe(true);
    expect(isRetryableError(foreign("RetryableError"))).toBe(true);
  });

  it("do not mistake look-alikes for restate errors", () => {
    expect(isTerminalError(new Error("x"))).toBe(false);
    expect(isTerminalError("TerminalError")).toBe(false);
    expect(isTerminalError({ name: "TerminalError", code: 500 })).toBe(false);
    expect(isTerminalError(foreign("TerminalError"))).toBe(false);
    expect(isRetryableError(foreign("RetryableError", { retryAfter: "soon" }))).toBe(false);
    // AbortSignal.timeout() rejects with this; it must stay a retryable failure.
    const abort = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(isTimeoutError(abort)).toBe(false);
    expect(isTerminalError(abort)).toBe(false);
    expect(isTimeoutError(foreign("TimeoutError"))).toBe(false);
  });
});

describe("ensureError", () => {
  it("returns errors unchanged", () => {
    const e = new TypeError("bad");
    expect(ensureError(e)).toBe(e);
    const t = new TerminalError("t");
    expect(ensureError(t)).toBe(t);
  });

  it("wraps other values with a readable message and the value as cause", () => {
    const wrapped = ensureError("boom");
    expect(wrapped).toBeInstanceOf(Error);
    expect(wrapped.message).toBe("boom");
    expect(wrapped.cause).toBe("boom");
    expect(ensureError({ message: "from an object" }).message).toBe("from an object");
    expect(ensureError({ reason: "x", n: 1 }).message).toBe('{"reason":"x","n":1}');
    expect(ensureError(42).message).toBe("42");
    expect(ensureError(undefined).message).toBe("undefined");
    expect(ensureError(null).message).toBe("null");
    expect(ensureError(10n).message).toBe("10");
    expect(ensureError(function boom() {}).message).toBe("[function boom]");
  });

  it("falls back when an object cannot be stringified", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(ensureError(cyclic).message).toBe("[object Object]");
  });
});
