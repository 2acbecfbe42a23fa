// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { TerminalError } from "../errors.js";
import type { NotificationResult, Outcome } from "../journal/futures.js";
import { errorOf, failureFromReason, failureOf, payloadOf } from "./failures.js";

const leaf = (result: NotificationResult): Outcome => ({
  kind: "leaf",
  seq: 0,
  failed: result.kind === "failure",
  result,
});

describe("failures", () => {
  it("turn a terminal error into a protocol failure and back, metadata included", () => {
    const error = new TerminalError("gone", { errorCode: 410, metadata: { a: "1", b: "2" } });
    const failure = failureOf(error);
    expect(failure).toEqual({
      code: 410,
      message: "gone",
      metadata: [
        { key: "a", value: "1" },
        { key: "b", value: "2" },
      ],
    });
    const back = errorOf(failure);
    expect(back).toBeInstanceOf(TerminalError);
    expect(back.code).toBe(410);
    expect(back.message).toBe("gone");
    expect(back.metadata).toEqual({ a: "1", b: "2" });
  });

  it("leave metadata out when there is none", () => {
    expect(failureOf(new TerminalError("x"))).not.toHaveProperty("metadata");
    expect(errorOf({ code: 500, message: "x", metadata: [] }).metadata).toEqual({});
  });

  it("default a rejection reason's code to 500", () => {
    expect(failureFromReason("no")).toEqual({ code: 500, message: "no" });
    expect(failureFromReason({ message: "no" })).toEqual({ code: 500, message: "no" });
    expect(failureFromReason({ message: "no", code: 403 })).toEqual({ code: 403, message: "no" });
  });

  it("give a leaf's value bytes, undefined for void, and throw its failure", () => {
    const bytes = new Uint8Array([1, 2]);
    expect(payloadOf(leaf({ kind: "value", value: bytes }))).toBe(bytes);
    expect(payloadOf(leaf({ kind: "void" }))).toBeUndefined();
    expect(() =>
      payloadOf(leaf({ kind: "failure", code: 404, message: "nf", metadata: [] })),
    ).toThrow(expect.objectContaining({ code: 404, message: "nf" }));
  });

  it("refuse outcomes that are not a single value", () => {
    const combinator: Outcome = {
      kind: "combinator",
      seq: 0,
      failed: false,
      winner: -1,
      children: [],
    };
    expect(() => payloadOf(combinator)).toThrow(TypeError);
    expect(() => payloadOf(leaf({ kind: "invocationId", invocationId: "i" }))).toThrow(
      /unexpected invocationId/,
    );
  });
});
