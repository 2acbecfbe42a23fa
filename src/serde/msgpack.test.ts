// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { TerminalError } from "../errors.js";
import { msgpack } from "./msgpack.js";

describe("serde.msgpack", () => {
  it("round-trips nested objects", () => {
    const value = { user: { name: "Ada", tags: ["a", "b"], age: 36, admin: false, boss: null } };
    expect(msgpack.deserialize(msgpack.serialize(value))).toEqual(value);
    expect(msgpack.contentType).toBe("application/msgpack");
  });

  it("keeps bytes as bytes, nested or top-level", () => {
    const blob = new Uint8Array([0, 1, 2, 254, 255]);
    const back = msgpack.deserialize<{ file: { blob: Uint8Array } }>(
      msgpack.serialize({ file: { blob } }),
    );
    expect(back.file.blob).toBeInstanceOf(Uint8Array);
    expect(back.file.blob).toEqual(blob);
    expect(msgpack.deserialize(msgpack.serialize(blob))).toEqual(blob);
  });

  it("returns exact-size output that later calls do not overwrite", () => {
    const first = msgpack.serialize("first");
    msgpack.serialize("second value, longer than the first");
    expect(first.byteLength).toBe(first.buffer.byteLength);
    expect(msgpack.deserialize(first)).toBe("first");
  });

  it("treats undefined as an empty body, both ways", () => {
    expect(msgpack.serialize(undefined)).toEqual(new Uint8Array(0));
    expect(msgpack.deserialize(new Uint8Array(0))).toBeUndefined();
  });

  it("fails terminally (400) on malformed input", () => {
    // 0xc1 is the one byte MessagePack never uses.
    expect(() => msgpack.deserialize(new Uint8Array([0xc1]))).toThrow(TerminalError);
    expect(() => msgpack.deserialize(new Uint8Array([0xc1]))).toThrow(
      expect.objectContaining({ code: 400 }),
    );
  });
});

describe("serde.msgpack preview", () => {
  it("shows the decoded value as JSON and reads JSON back into the same bytes", () => {
    const value = { name: "Ada", tags: ["a"], n: 1.5, ok: true, none: null };
    const bytes = msgpack.serialize(value);
    const text = msgpack.preview.toJsonString(msgpack.deserialize(bytes));
    expect(JSON.parse(text)).toEqual(value);
    expect(msgpack.serialize(msgpack.preview.fromJsonString(text))).toEqual(bytes);
  });

  it("shows byte strings as arrays of numbers, and an empty body as null", () => {
    const blob = msgpack.deserialize(msgpack.serialize({ blob: new Uint8Array([1, 255]) }));
    expect(msgpack.preview.toJsonString(blob)).toBe('{"blob":[1,255]}');
    expect(msgpack.preview.toJsonString(msgpack.deserialize(new Uint8Array(0)))).toBe("null");
  });

  it("rejects text that is not JSON", () => {
    expect(() => msgpack.preview.fromJsonString("{nope")).toThrow(SyntaxError);
  });
});
