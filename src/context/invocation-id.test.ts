// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { InvocationIdParser } from "./invocation-id.js";

describe("InvocationIdParser", () => {
  it("accepts invocation ids and refuses anything else", () => {
    expect(InvocationIdParser.fromString("inv_1abc")).toBe("inv_1abc");
    expect(() => InvocationIdParser.fromString("sign_1abc")).toThrow(TypeError);
  });
});
