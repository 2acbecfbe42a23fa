// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_MESSAGE_SIZE,
  FRAME_HEADER_SIZE,
  FrameDecoder,
  FrameTooLargeError,
  REQUESTED_ACK,
  encodeFrame,
  writeFrameHeader,
} from "./framing.js";
import type { Frame } from "./framing.js";

/** Hex with any whitespace, as printed in docs/protocol.md Appendix A. */
function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

interface Fixture {
  readonly name: string;
  /** Concatenated frames, as on the wire. */
  readonly wire: string;
  /** Expected header fields of each frame, in order. */
  readonly headers: readonly (readonly [type: number, flags: number, length: number])[];
}

// Transcribed from docs/protocol.md Appendix A (captured from runtime 1.7.12).
const FIXTURES: readonly Fixture[] = [
  {
    name: "A.1 request (Start + InputCommand)",
    wire: `0000000000000052 0a1886b83c778950dc10b420d2ee2d0f2ac208efc635dd96fa50
      1226696e765f3131724b7043345a4739314132734e5539536a6a4e4c6839543969386c464e62576b
      1801 2801 4003 489281c4ae86efe8df5a
      0400000000000097 0a2c0a16782d726573746174652d696e67726573732d7061746812122f4d79536572766963652f736c6565706572
      0a190a0a757365722d6167656e74120b6375726c2f372e38382e31
      0a0d0a0661636365707412032a2f2a
      0a200a0c636f6e74656e742d7479706512106170706c69636174696f6e2f6a736f6e
      0a130a0e636f6e74656e742d6c656e677468120134
      72060a0422686922`,
    headers: [
      [0x0000, 0, 0x52],
      [0x0400, 0, 0x97],
    ],
  },
  {
    name: "A.1 response (Sleep + Suspension)",
    wire: "040c00000000000e 089dfbfdb6a0345801 62036e6170 0001000000000003 0a0101",
    headers: [
      [0x040c, 0, 0x0e],
      [0x0001, 0, 3],
    ],
  },
  {
    name: "A.2 replayed command and completion, then Output + End",
    wire: `040c00000000000e 089dfbfdb6a034580162036e6170 800c000000000004 0801 2200
      040100000000000d 720b0a0922776f6b6520757022 0003000000000000`,
    headers: [
      [0x040c, 0, 0x0e],
      [0x800c, 0, 4],
      [0x0401, 0, 0x0d],
      [0x0003, 0, 0],
    ],
  },
  {
    name: "A.3 run (V6 and V7)",
    wire: `0411000000000009 5801 62056d7972756e
      0005000000000010 0801 720c2272756e20726573756c7422
      8011000000000012 0801 2a0e0a0c2272756e20726573756c7422
      0005800000000010 0801720c2272756e20726573756c7422
      0007000000000002 0801`,
    headers: [
      [0x0411, 0, 9],
      [0x0005, 0, 0x10],
      [0x8011, 0, 0x12],
      [0x0005, REQUESTED_ACK, 0x10],
      [0x0007, 0, 2],
    ],
  },
  {
    name: "A.4 call",
    wire: `040d000000000029 0a094d7953657276696365 12096d7948616e646c6572
      1a0d2266726f6d2063616c6c657222 5001 5802
      800e00000000002b 0801 820126696e765f313549356a6f337638727052314e3239676c7756654c6d694a4a54697a3735744d35
      800d000000000017 0802 2a130a112268656c6c6f2066726f6d2066616b6522`,
    headers: [
      [0x040d, 0, 0x29],
      [0x800e, 0, 0x2b],
      [0x800d, 0, 0x17],
    ],
  },
  {
    name: "A.5 signals",
    wire: `fbff000000000004 1001 2200
      fbff000000000018 1011 2a140a127b227265736f6c766564223a22796573227d
      fbff000000000017 1011 321308f403120e6e6f70652c2072656a6563746564
      fbff000000000016 1a056d79736967 2a0d0a0b227369672076616c756522`,
    headers: [
      [0xfbff, 0, 4],
      [0xfbff, 0, 0x18],
      [0xfbff, 0, 0x17],
      [0xfbff, 0, 0x16],
    ],
  },
  {
    name: "A.6 SDK misc",
    wire: `0001000000000003 120111
      0001000000000007 1a056d79736967
      0001000000000007 22050a01012801
      0401000000000010 7a0e089903120963616e63656c6c6564
      041000000000002c 0a26696e765f31304e6d4e4e366837774f7a30554930426c6e4b6f32345a51424e3641306d3979321001 2200
      000200000000002b 08f403 120e626f6f6d20617474656d70742031 1a0a737461636b2068657265 2000 2a056d7972756e 309108`,
    headers: [
      [0x0001, 0, 3],
      [0x0001, 0, 7],
      [0x0001, 0, 7],
      [0x0401, 0, 0x10],
      [0x0410, 0, 0x2c],
      [0x0002, 0, 0x2b],
    ],
  },
];

function decodeAll(chunks: readonly Uint8Array[], decoder = new FrameDecoder()): Frame[] {
  const frames = chunks.flatMap((chunk) => decoder.push(chunk));
  expect(decoder.isIdle).toBe(true);
  expect(decoder.bufferedBytes).toBe(0);
  return frames;
}

function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
  return chunks;
}

/** Frames as plain comparable values. */
function summary(frames: readonly Frame[]): [number, number, string][] {
  return frames.map((f) => [f.type, f.flags, toHex(f.payload)]);
}

describe("encodeFrame / writeFrameHeader", () => {
  it("writes the big-endian header followed by the payload", () => {
    expect(toHex(encodeFrame(0x0411, hex("5801 62056d7972756e")))).toBe(
      "0411000000000009580162056d7972756e",
    );
    expect(toHex(encodeFrame(0x0005, hex("0801"), REQUESTED_ACK))).toBe("00058000000000020801");
    expect(toHex(encodeFrame(0x0003, new Uint8Array(0)))).toBe("0003000000000000");
  });

  it("writes a header at an offset and handles u16/u32 extremes", () => {
    const target = new Uint8Array(12).fill(0xaa);
    writeFrameHeader(target, 2, 0xffff, 0xffff, 0xffff_ffff);
    expect(toHex(target)).toBe("aaaaffffffffffffffffaaaa");
    writeFrameHeader(target, 4, 0xfc00, 0, 0x0102_0304);
    expect(toHex(target)).toBe("aaaafffffc00000001020304");
  });

  it("rejects values that do not fit the header", () => {
    const target = new Uint8Array(FRAME_HEADER_SIZE);
    expect(() => writeFrameHeader(target, 0, 0x1_0000, 0, 0)).toThrow(RangeError);
    expect(() => writeFrameHeader(target, 0, 1, -1, 0)).toThrow(RangeError);
    expect(() => writeFrameHeader(target, 0, 1, 0, 2 ** 32)).toThrow(RangeError);
    expect(() => writeFrameHeader(target, 0, 1.5, 0, 0)).toThrow(RangeError);
    expect(() => writeFrameHeader(target, 1, 1, 0, 0)).toThrow(RangeError);
  });
});

describe.each(FIXTURES)("fixture $name", ({ wire, headers }) => {
  const bytes = hex(wire);
  const expected = summary(new FrameDecoder().push(bytes));

  it("decodes to the expected headers", () => {
    const frames = decodeAll([bytes]);
    expect(frames.map((f) => [f.type, f.flags, f.payload.length])).toEqual(headers);
  });

  it("re-encodes byte for byte", () => {
    const frames = decodeAll([bytes]);
    const encoded = frames.map((f) => toHex(encodeFrame(f.type, f.payload, f.flags))).join("");
    expect(encoded).toBe(toHex(bytes));
  });

  it("decodes identically when split in two at every offset", () => {
    // One comparison for every cut (an expect per cut is most of the cost): the cuts that decode
    // differently, with what they gave.
    const wanted = JSON.stringify(expected);
    const differing = [];
    for (let cut = 0; cut <= bytes.length; cut++) {
      const got = JSON.stringify(summary(decodeAll([bytes.slice(0, cut), bytes.slice(cut)])));
      if (got !== wanted) differing.push({ cut, got });
    }
    expect(differing).toEqual([]);
  });

  it.each([1, 2, 3, 7, 8, 9])("decodes identically in %i-byte chunks", (size) => {
    expect(summary(decodeAll(chunked(bytes, size)))).toEqual(expected);
  });

  it("decodes identically with empty chunks interleaved", () => {
    const chunks = chunked(bytes, 5).flatMap((c) => [new Uint8Array(0), c]);
    expect(summary(decodeAll([...chunks, new Uint8Array(0)]))).toEqual(expected);
  });
});

describe("FrameDecoder", () => {
  it("decodes the REQUESTED_ACK flag (A.3 V7)", () => {
    const [frame] = decodeAll([hex("0005800000000010 0801720c2272756e20726573756c7422")]);
    expect(frame?.type).toBe(0x0005);
    expect(frame?.flags).toBe(REQUESTED_ACK);
    expect((frame?.flags ?? 0) & REQUESTED_ACK).not.toBe(0);
  });

  it("returns views into the chunk when a frame lies inside it, copies otherwise", () => {
    const bytes = hex("0003000000000000 0007000000000002 0801");
    const decoder = new FrameDecoder();
    const frames = decoder.push(bytes);
    expect(frames[1]?.payload.buffer).toBe(bytes.buffer);
    expect(frames[1]?.payload.byteOffset).toBe(16);

    const first = bytes.slice(0, 12);
    const split = decoder.push(first).concat(decoder.push(bytes.slice(12)));
    expect(split).toHaveLength(2);
    expect(split[1]?.payload.buffer).not.toBe(first.buffer);
    expect(toHex(split[1]?.payload ?? new Uint8Array())).toBe("0801");
  });

  it("decodes zero-length frames, including one split inside its header", () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(hex("000300"))).toEqual([]);
    expect(decoder.isIdle).toBe(false);
    expect(decoder.bufferedBytes).toBe(3);
    const frames = decoder.push(hex("0000000000 0003000000000000"));
    expect(summary(frames)).toEqual([
      [3, 0, ""],
      [3, 0, ""],
    ]);
    expect(decoder.isIdle).toBe(true);
  });

  it("reports truncated input as not idle", () => {
    const bytes = hex("0401000000000010 7a0e089903120963616e63656c6c6564");
    for (let cut = 1; cut < bytes.length; cut++) {
      const decoder = new FrameDecoder();
      expect(decoder.push(bytes.subarray(0, cut))).toEqual([]);
      expect(decoder.isIdle, `cut at ${cut}`).toBe(false);
      expect(decoder.bufferedBytes).toBe(cut);
    }
  });

  it("tracks buffered bytes across a frame completed later", () => {
    const decoder = new FrameDecoder();
    decoder.push(hex("0007000000000002 08"));
    expect(decoder.bufferedBytes).toBe(9);
    expect(summary(decoder.push(hex("01 00")))).toEqual([[7, 0, "0801"]]);
    expect(decoder.bufferedBytes).toBe(1);
    expect(decoder.isIdle).toBe(false);
  });

  it("accepts a payload exactly at the limit", () => {
    const decoder = new FrameDecoder({ maxMessageSize: 2 });
    expect(summary(decoder.push(hex("0007000000000002 0801")))).toEqual([[7, 0, "0801"]]);
  });

  it("defaults the limit to 32 MiB", () => {
    expect(DEFAULT_MAX_MESSAGE_SIZE).toBe(32 * 1024 * 1024);
    const decoder = new FrameDecoder();
    expect(() => decoder.push(hex("0400000002000001"))).toThrow(FrameTooLargeError);
    expect(new FrameDecoder().push(hex("0400000002000000"))).toEqual([]);
  });

  it("rejects an oversized length as soon as the header is complete", () => {
    const decoder = new FrameDecoder({ maxMessageSize: 16 });
    // 2^32-1 bytes would be a 4 GiB allocation; the check must come first.
    expect(decoder.push(hex("04000000ffff"))).toEqual([]);
    let error: unknown;
    try {
      decoder.push(hex("ffff"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FrameTooLargeError);
    const tooLarge = error as FrameTooLargeError;
    expect(tooLarge.name).toBe("FrameTooLargeError");
    expect(tooLarge.declaredLength).toBe(0xffff_ffff);
    expect(tooLarge.maxMessageSize).toBe(16);
    expect(tooLarge.message).toBe(
      "frame declares a payload of 4294967295 bytes, above the maximum message size of 16 bytes",
    );
    expect(decoder.bufferedBytes).toBe(0);
    // The stream has lost its frame boundary: the decoder stays failed.
    expect(() => decoder.push(hex("0003000000000000"))).toThrow(tooLarge);
  });

  it("rejects an oversized frame that arrives whole in one chunk, after earlier frames", () => {
    const decoder = new FrameDecoder({ maxMessageSize: 16 });
    expect(() => decoder.push(hex("0003000000000000 0003000000000011"))).toThrow(
      FrameTooLargeError,
    );
  });

  it("rejects an invalid limit", () => {
    expect(() => new FrameDecoder({ maxMessageSize: -1 })).toThrow(RangeError);
    expect(() => new FrameDecoder({ maxMessageSize: 1.5 })).toThrow(RangeError);
  });
});
