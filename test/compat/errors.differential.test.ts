// SPDX-License-Identifier: MIT
// The public error classes, built the same way from both packages: every own field (value,
// enumerability, order) must be the same, so code that inspects, logs or serializes an error
// (`e.metadata`, `"cause" in e`, `JSON.stringify(e)`) sees no difference after the switch.
import * as official from "@restatedev/restate-sdk";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as ours from "../../src/index.js";

type ErrorsModule = Pick<
  typeof ours,
  | "RestateError"
  | "TerminalError"
  | "TimeoutError"
  | "CancelledError"
  | "RetryableError"
  | "PauseError"
>;

/** Every own property but the stack (it names the files), as a comparable record. */
function fields(e: object): Array<[string, unknown, boolean | undefined]> {
  return Reflect.ownKeys(e)
    .filter((key) => key !== "stack")
    .map((key) => {
      const descriptor = Object.getOwnPropertyDescriptor(e, key);
      return [String(key), descriptor?.value, descriptor?.enumerable];
    });
}

const cause = new Error("root");
const CASES: ReadonlyArray<[string, (m: ErrorsModule) => Error]> = [
  ["RestateError, no options", (m) => new m.RestateError("x")],
  ["RestateError with code and cause", (m) => new m.RestateError("x", { errorCode: 401, cause })],
  ["TerminalError, no options", (m) => new m.TerminalError("x")],
  ["TerminalError with code", (m) => new m.TerminalError("x", { errorCode: 404 })],
  ["TerminalError with metadata", (m) => new m.TerminalError("x", { metadata: { a: "b" } })],
  ["TimeoutError", (m) => new m.TimeoutError()],
  ["CancelledError", (m) => new m.CancelledError()],
  ["RetryableError, no options", (m) => new m.RetryableError("x")],
  [
    "RetryableError with every option",
    (m) => new m.RetryableError("x", { retryAfter: { seconds: 2 }, errorCode: 503, cause }),
  ],
  ["RetryableError.from(Error)", (m) => m.RetryableError.from(cause)],
  [
    "RetryableError.from(Error, retryAfter)",
    (m) => m.RetryableError.from(cause, { retryAfter: 9 }),
  ],
  ["RetryableError.from(string)", (m) => m.RetryableError.from("flaky")],
  ["RetryableError.from(object)", (m) => m.RetryableError.from({ reason: 1 })],
  ["RetryableError.from(code+message)", (m) => m.RetryableError.from({ code: 7, message: "m" })],
  [
    "RetryableError.from(error with errorCode)",
    (m) => m.RetryableError.from(Object.assign(new Error("e"), { errorCode: 429 })),
  ],
  ["PauseError, no options", (m) => new m.PauseError("x")],
  ["PauseError with code and cause", (m) => new m.PauseError("x", { errorCode: 422, cause })],
  ["PauseError.from(Error)", (m) => m.PauseError.from(cause)],
  ["PauseError.from(string)", (m) => m.PauseError.from("stuck")],
  ["PauseError.from(object)", (m) => m.PauseError.from({ reason: 1 })],
  ["PauseError.from(code+message)", (m) => m.PauseError.from({ code: 7, message: "m" })],
  [
    "PauseError.from(error with errorCode)",
    (m) => m.PauseError.from(Object.assign(new Error("e"), { errorCode: 429 })),
  ],
];

describe("error classes: the same fields as the official SDK's", () => {
  it.each(CASES)("%s", (_name, build) => {
    const theirs = build(official);
    const mine = build(ours);
    expect(fields(mine)).toEqual(fields(theirs));
    expect(JSON.stringify(mine)).toBe(JSON.stringify(theirs));
    expect(mine.message).toBe(theirs.message);
    expect(String(mine)).toBe(String(theirs));
  });

  it("PauseError.from builds a RetryableError in both, so a run retries it rather than pausing", () => {
    expect(official.PauseError.from(cause)).toBeInstanceOf(official.RetryableError);
    expect(ours.PauseError.from(cause)).toBeInstanceOf(ours.RetryableError);
    expect(ours.PauseError.from(cause)).not.toBeInstanceOf(ours.PauseError);
    expectTypeOf(ours.PauseError.from(cause)).toEqualTypeOf<ours.RetryableError>();
  });
});
