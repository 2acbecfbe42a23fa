// SPDX-License-Identifier: MIT
// The codec against @msgpack/msgpack (a devDependency, the library this codec replaced): the same
// bytes for every value, the same values for every byte string.
import { decode as libraryDecode, encode as libraryEncode } from "@msgpack/msgpack";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeMsgpack, encodeMsgpack } from "./msgpack-codec.js";

const leaf = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom(0x7f, 0x80, 0xff, 0x100, 0xffff, 0x1_0000, 2 ** 32 - 1, 2 ** 32, -0x20, -0x21),
  fc.constantFrom(-0x80, -0x81, -0x8000, -0x8001, -(2 ** 31), -(2 ** 31) - 1, -0, Number.NaN),
  fc.double(),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "grapheme-ascii", minLength: 30, maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }),
  fc.date(),
);

const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("value"), { maxLength: 20 }),
    fc.dictionary(
      fc.string({ maxLength: 8 }).filter((k) => k !== "__proto__"),
      tie("value"),
      { maxKeys: 20 },
    ),
  ),
}));

/** True when no string (nor map key) in a decoded value holds U+FFFD, i.e. all were valid UTF-8. */
function hasNoReplacement(v: unknown): boolean {
  if (typeof v === "string") return !v.includes("\ufffd");
  if (Array.isArray(v)) return v.every(hasNoReplacement);
  if (v !== null && typeof v === "object" && !(v instanceof Uint8Array) && !(v instanceof Date)) {
    return Object.entries(v).every(([k, item]) => hasNoReplacement(k) && hasNoReplacement(item));
  }
  return true;
}

function same(a: Uint8Array, b: Uint8Array): void {
  expect(Array.from(a)).toEqual(Array.from(b));
}

describe("msgpack codec", () => {
  it("writes the same bytes as @msgpack/msgpack", () => {
    fc.assert(
      fc.property(value, (v) => {
        same(encodeMsgpack(v), libraryEncode(v));
      }),
      { numRuns: 500 },
    );
  });

  it("reads what @msgpack/msgpack writes as @msgpack/msgpack reads it", () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = libraryEncode(v);
        expect(decodeMsgpack(bytes)).toEqual(libraryDecode(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it("covers the large formats: 16/32-bit strings, binaries, arrays and maps", () => {
    const big = {
      s16: "x".repeat(300),
      s32: "y".repeat(70_000),
      b16: new Uint8Array(300),
      b32: new Uint8Array(70_000),
      a16: Array.from({ length: 20 }, (_, i) => i),
      a32: new Array<number>(70_000).fill(1),
      m16: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
      dates: [new Date(-1), new Date(2 ** 34 * 1000 + 5), new Date(Number.NaN), new Date(1500)],
    };
    const bytes = encodeMsgpack(big);
    same(bytes, libraryEncode(big));
    expect(decodeMsgpack(bytes)).toEqual(libraryDecode(bytes));
  });

  it("fails on the inputs @msgpack/msgpack fails on, and reads the others alike", () => {
    const outcome = (read: () => unknown) => {
      try {
        return { value: read() };
      } catch {
        return { failed: true };
      }
    };
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) => {
        const ours = outcome(() => decodeMsgpack(bytes));
        const theirs = outcome(() => libraryDecode(bytes));
        expect("failed" in ours).toBe("failed" in theirs);
        // Strings of invalid UTF-8 differ on purpose: the library reads short ones leniently
        // (overlong forms, stray bytes as Latin-1), this codec uses TextDecoder (U+FFFD for each).
        if ("value" in ours && hasNoReplacement(ours.value)) expect(ours).toEqual(theirs);
      }),
      { numRuns: 3000 },
    );
  });

  it("refuses what it cannot write, and keys that would corrupt the result", () => {
    expect(() => encodeMsgpack(() => 1)).toThrow(/Unrecognized object/);
    expect(() => encodeMsgpack(Symbol("s"))).toThrow(/Unrecognized object/);
    expect(() => encodeMsgpack(1n)).toThrow(/Unrecognized object/);
    let deep: unknown = 1;
    for (let i = 0; i < 101; i++) deep = [deep];
    expect(() => encodeMsgpack(deep)).toThrow(/Too deep/);
    // { "__proto__": 1 } written by hand: fixmap(1), fixstr(9) "__proto__", 1.
    const proto = new Uint8Array([0x81, 0xa9, ...new TextEncoder().encode("__proto__"), 0x01]);
    expect(() => decodeMsgpack(proto)).toThrow(/__proto__/);
    expect(() => decodeMsgpack(new Uint8Array([0x81, 0xc0, 0x01]))).toThrow(/type of key/);
    expect(() => decodeMsgpack(new Uint8Array([0x01, 0x02]))).toThrow(/Extra 1 byte/);
    expect(() => decodeMsgpack(new Uint8Array([0xcd, 0x01]))).toThrow(/Insufficient data/);
  });

  it("encodes values whose getters encode too (re-entrance)", () => {
    const inner = { a: [1, "two"] };
    const outer = {
      get nested() {
        return encodeMsgpack(inner);
      },
      after: "x".repeat(300),
    };
    const bytes = encodeMsgpack(outer);
    same(bytes, libraryEncode(outer));
    expect(decodeMsgpack((decodeMsgpack(bytes) as { nested: Uint8Array }).nested)).toEqual(inner);
  });
});
