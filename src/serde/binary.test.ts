// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { binary } from "./binary.js";

describe("serde.binary", () => {
  it("passes bytes through without copying", () => {
    const bytes = new Uint8Array([0, 1, 255]);
    expect(binary.serialize(bytes)).toBe(bytes);
    expect(binary.deserialize(bytes)).toBe(bytes);
    expect(binary.contentType).toBe("application/octet-stream");
  });

  it("handles empty input", () => {
    expect(binary.deserialize(new Uint8Array(0))).toHaveLength(0);
  });
});
