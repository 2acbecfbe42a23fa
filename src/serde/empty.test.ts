// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { TerminalError } from "../errors.js";
import { empty } from "./empty.js";

describe("serde.empty", () => {
  it("has no content type, meaning no body", () => {
    expect(empty.contentType).toBeUndefined();
    expect("contentType" in empty).toBe(false);
  });

  it("writes no bytes and reads none", () => {
    expect(empty.serialize()).toEqual(new Uint8Array(0));
    expect(empty.deserialize(new Uint8Array(0))).toBeUndefined();
  });

  it("refuses input with a terminal 400", () => {
    expect(() => empty.deserialize(new Uint8Array([1]))).toThrow(TerminalError);
    expect(() => empty.deserialize(new Uint8Array([1]))).toThrow(
      expect.objectContaining({ code: 400, message: "expected no input" }),
    );
  });
});
