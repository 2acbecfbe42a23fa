// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import {
  awakeableId,
  decodeBase64Url,
  encodeBase64Url,
  invocationDebugId,
  parseAwakeableId,
} from "./ids.js";
import { toHex } from "./testing/bytes.js";

function hex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// docs/protocol.md Appendix A.8 and the §10 observed example.
const A8_ID = hex("0618183eea04e869d049d2c4dc1293fcea54450af56ba4eb");
const OBSERVED_ID = hex("e972c2fa62110074ae3ed8b436991eab1654df508267ad2c");

describe("invocationDebugId", () => {
  it("formats the A.8 id", () => {
    expect(invocationDebugId(A8_ID)).toBe("inv_195JGzOPHaHs7aEkWoBs19SqN0CtVUiXfO");
  });

  it("formats the id observed on a real runtime (§10)", () => {
    expect(invocationDebugId(OBSERVED_ID)).toBe("inv_19XsVXlN3HM51miUjQsZ6neL7Dbsbbdmge");
  });

  it("pads to widths 11 and 22 and reaches the maximum values", () => {
    expect(invocationDebugId(new Uint8Array(24))).toBe("inv_1" + "0".repeat(33));
    const one = new Uint8Array(24);
    one[0] = 1; // little-endian: partition key 1
    one[8] = 61; // uuid 61 = "Z"
    expect(invocationDebugId(one)).toBe("inv_1" + "0".repeat(10) + "1" + "0".repeat(21) + "Z");
    const max = invocationDebugId(new Uint8Array(24).fill(0xff));
    expect(max).toBe("inv_1" + "lYGhA16ahyf" + "7N42dgm5tFLK9N8MT7fHC7");
  });

  it("rejects ids that are not 24 bytes", () => {
    expect(() => invocationDebugId(new Uint8Array(23))).toThrow(RangeError);
  });
});

describe("awakeableId", () => {
  it("builds the A.8 awakeable ids", () => {
    expect(awakeableId(A8_ID, 17)).toBe("sign_1BhgYPuoE6GnQSdLE3BKT_OpURQr1a6TrAAAAEQ");
    expect(awakeableId(A8_ID, 18)).toBe("sign_1BhgYPuoE6GnQSdLE3BKT_OpURQr1a6TrAAAAEg");
  });

  it("builds the awakeable id of the observed invocation (§10)", () => {
    expect(awakeableId(OBSERVED_ID, 17)).toBe("sign_16XLC-mIRAHSuPti0NpkeqxZU31CCZ60sAAAAEQ");
  });

  it("writes the signal index as u32 big-endian", () => {
    const parsed = parseAwakeableId(awakeableId(A8_ID, 0xfedc_ba98));
    expect(parsed?.signalIndex).toBe(0xfedc_ba98);
  });

  it("rejects indexes that are not u32", () => {
    expect(() => awakeableId(A8_ID, -1)).toThrow(RangeError);
    expect(() => awakeableId(A8_ID, 2 ** 32)).toThrow(RangeError);
    expect(() => awakeableId(A8_ID, 1.5)).toThrow(RangeError);
  });
});

describe("parseAwakeableId", () => {
  it("parses sign_1 ids", () => {
    expect(parseAwakeableId("sign_1BhgYPuoE6GnQSdLE3BKT_OpURQr1a6TrAAAAEQ")).toEqual({
      invocationId: A8_ID,
      signalIndex: 17,
    });
    expect(parseAwakeableId("sign_16XLC-mIRAHSuPti0NpkeqxZU31CCZ60sAAAAEQ")).toEqual({
      invocationId: OBSERVED_ID,
      signalIndex: 17,
    });
  });

  it("parses legacy prom_1 ids and padded base64url", () => {
    expect(parseAwakeableId("prom_1BhgYPuoE6GnQSdLE3BKT_OpURQr1a6TrAAAAEg")).toEqual({
      invocationId: A8_ID,
      signalIndex: 18,
    });
    expect(parseAwakeableId("sign_1BhgYPuoE6GnQSdLE3BKT_OpURQr1a6TrAAAAEg==")?.signalIndex).toBe(
      18,
    );
    expect(parseAwakeableId("sign_1AQAAABE=")).toEqual({
      invocationId: Uint8Array.of(1),
      signalIndex: 17,
    });
  });

  it.each([
    "",
    "sign_1",
    "sign_2BhgYPuoE6GnQSdLE3BKT_OpURQr1a6TrAAAAEQ",
    "inv_195JGzOPHaHs7aEkWoBs19SqN0CtVUiXfO",
    "sign_1BhgYPuoE6GnQSdLE3BKT/OpURQr1a6TrAAAAEQ", // standard alphabet
    "sign_1BhgYPuoE6GnQSdLE3BKT_OpURQr1a6TrAAAAEQ=", // wrong padding
    "sign_1BhgYPuoE6GnQSdLE3BKT_OpURQr1a6TrAAAAER", // non-zero trailing bits
    "sign_1AAAAAA", // only the index, no id bytes
    "sign_1ab c",
    "sign_1é",
  ])("returns undefined for %j", (garbage) => {
    expect(parseAwakeableId(garbage)).toBeUndefined();
  });
});

describe("base64url", () => {
  it("encodes RFC 4648 test vectors in the url-safe alphabet without padding", () => {
    const text = new TextEncoder();
    const cases = [
      ["", ""],
      ["f", "Zg"],
      ["fo", "Zm8"],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg"],
      ["fooba", "Zm9vYmE"],
      ["foobar", "Zm9vYmFy"],
    ] as const;
    for (const [plain, encoded] of cases) {
      expect(encodeBase64Url(text.encode(plain))).toBe(encoded);
      expect(decodeBase64Url(encoded)).toEqual(text.encode(plain));
    }
    expect(encodeBase64Url(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe("-_-_");
  });

  it("round-trips every length and byte value", () => {
    const bytes = Uint8Array.from({ length: 100 }, (_, i) => (i * 37 + 11) & 0xff);
    // One comparison for all 101 lengths (a deep equal per byte array is most of the cost).
    const hexOf = (b: Uint8Array | undefined) => (b === undefined ? "-" : toHex(b));
    const rows = Array.from({ length: bytes.length + 1 }, (_, n) => {
      const slice = bytes.subarray(0, n);
      const encoded = encodeBase64Url(slice);
      const padded = encoded + "=".repeat((4 - (encoded.length % 4)) % 4);
      const alphabet = /^[A-Za-z0-9_-]*$/.test(encoded) ? "url-safe" : encoded;
      return `${n} ${alphabet} ${hexOf(decodeBase64Url(encoded))} ${hexOf(decodeBase64Url(padded))}`;
    });
    expect(rows).toEqual(
      rows.map((_, n) => {
        const hex = toHex(bytes.subarray(0, n));
        return `${n} url-safe ${hex} ${hex}`;
      }),
    );
  });

  it.each(["A", "AAAAA", "Zg=", "Zg===", "Z=g=", "Zh", "+/+/", "Zm9v\n"])("rejects %j", (text) => {
    expect(decodeBase64Url(text)).toBeUndefined();
  });
});
