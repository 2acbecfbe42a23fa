// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { DeterministicRandom, runtimeSeed, v5Seed } from "./rand.js";

function hex(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const u64 = (x: bigint): string => x.toString(16).padStart(16, "0");

// docs/protocol.md Appendix A.7, computed with the official TypeScript SDK 1.17.2.
const VECTORS = [
  {
    seed: 0n,
    next: ["53175d61490b23df", "61da6f3dc380d507", "5c0fdf91ec9a7bfc"],
    random: 0.7301489283209966,
    uuid: "df230b49-615d-4753-87d5-80c33d6fda61",
  },
  {
    seed: 1n,
    next: ["cfc5d07f6f03c29b", "bf424132963fe08d", "19a37d5757aaf520"],
    random: 0.18170139010006225,
    uuid: "9bc2036f-7fd0-45cf-8de0-3f96324142bf",
  },
  {
    seed: 2852343177690547853n,
    next: ["c76beaa25c37f7bc", "da0f073bbe6da15f", "4020b0e74674f012"],
    random: 0.37239187251520134,
    uuid: "bcf7375c-a2ea-4bc7-9fa1-6dbe3b070fda",
  },
] as const;

/** Straightforward BigInt xoshiro256++, as a second opinion on the 32-bit-halves version. */
function referenceNext(s: bigint[]): bigint {
  const m = (1n << 64n) - 1n;
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & m;
  const [s0 = 0n, s1 = 0n, s2 = 0n, s3 = 0n] = s;
  const result = (rotl((s0 + s3) & m, 23n) + s0) & m;
  const t = (s1 << 17n) & m;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  const n1 = s1 ^ n2;
  const n0 = s0 ^ n3;
  s.splice(0, 4, n0, n1, n2 ^ t, rotl(n3, 45n));
  return result;
}

describe("DeterministicRandom", () => {
  it("initialises the state with SplitMix64 (A.7, seed 0)", () => {
    expect(new DeterministicRandom(0n).state().map(u64)).toEqual([
      "e220a8397b1dcdaf",
      "6e789e6aa1b965f4",
      "06c45d188009454f",
      "f88bb8a8724c81ec",
    ]);
  });

  describe.each(VECTORS)("seed $seed", ({ seed, next, random, uuid }) => {
    it("produces the reference next() sequence", () => {
      const rand = new DeterministicRandom(seed);
      expect([rand.next(), rand.next(), rand.next()].map(u64)).toEqual(next);
    });

    it("produces the reference random()", () => {
      expect(new DeterministicRandom(seed).random()).toBe(random);
    });

    it("produces the reference uuidv4()", () => {
      expect(new DeterministicRandom(seed).uuidv4()).toBe(uuid);
    });

    it("derives random() and uuidv4() from next()", () => {
      const raw = new DeterministicRandom(seed);
      const derived = new DeterministicRandom(seed);
      for (let i = 0; i < 5; i++) {
        const n = raw.next();
        expect(derived.random()).toBe(Number(n & ((1n << 53n) - 1n)) / 2 ** 53);
      }
      // uuid bytes = next() little-endian ‖ next() little-endian, then version/variant bits.
      const bytes = [raw.next(), raw.next()].flatMap((n) =>
        Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn)),
      );
      bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
      bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
      const h = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
      const expected = [
        h.slice(0, 8),
        h.slice(8, 12),
        h.slice(12, 16),
        h.slice(16, 20),
        h.slice(20),
      ];
      expect(derived.uuidv4()).toBe(expected.join("-"));
    });
  });

  it("matches a plain BigInt xoshiro256++ over many draws and seeds", () => {
    for (const seed of [0n, 1n, 42n, 0xffff_ffff_ffff_ffffn, 0x8000_0000_0000_0000n]) {
      const rand = new DeterministicRandom(seed);
      const state = [...rand.state()];
      // One assertion per stream: a thousand expect() calls would cost more than the draws.
      const drawn = Array.from({ length: 1000 }, () => rand.next());
      expect(drawn).toEqual(Array.from({ length: 1000 }, () => referenceNext(state)));
      expect(rand.state()).toEqual(state);
    }
  });

  it("keeps random() in [0, 1) and uuidv4() well formed", () => {
    const rand = new DeterministicRandom(7n);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const draws = Array.from({ length: 1000 }, () => [rand.random(), rand.uuidv4()] as const);
    expect(draws.filter(([x]) => !(x >= 0 && x < 1))).toEqual([]);
    expect(draws.filter(([, id]) => !uuid.test(id))).toEqual([]);
  });

  it("is deterministic: equal seeds give equal streams", () => {
    const a = new DeterministicRandom(123n);
    const b = new DeterministicRandom(123n);
    for (let i = 0; i < 10; i++) expect(a.uuidv4()).toBe(b.uuidv4());
  });

  it("rejects seeds outside u64", () => {
    expect(() => new DeterministicRandom(-1n)).toThrow(RangeError);
    expect(() => new DeterministicRandom(1n << 64n)).toThrow(RangeError);
  });
});

describe("v5Seed", () => {
  it.each([
    ["0618183eea04e869d049d2c4dc1293fcea54450af56ba4eb", 4135451364933165156n],
    ["", 14709398186846620400n],
    ["00", 471626485989477485n],
  ])("hashes id %j to the official SDK's seed", (id, seed) => {
    expect(v5Seed(hex(id))).toBe(seed);
  });

  it("returns a u64 for ids of every tail length", () => {
    const seen = new Set<bigint>();
    for (let n = 0; n <= 17; n++) {
      const seed = v5Seed(new Uint8Array(n).fill(n));
      expect(seed >= 0n && seed < 1n << 64n).toBe(true);
      seen.add(seed);
    }
    expect(seen.size).toBe(18);
  });
});

describe("runtimeSeed", () => {
  // StartMessage.random_seed as restate-server 1.7.12 sent it: Appendix A.1 of the protocol
  // notes, and an invocation of examples/greeter.ts captured by exporting and replaying it.
  it.each([
    ["86b83c778950dc10b420d2ee2d0f2ac208efc635dd96fa50", 6539124921464848530n],
    ["fc6e76dd2be43c0d2f7e2f6eeb650f9aba787414299a5fc6", 9803887672038190275n],
  ])("derives the seed the server sent for id %s", (id, seed) => {
    expect(runtimeSeed(hex(id))).toBe(seed);
    expect(v5Seed(hex(id))).not.toBe(seed);
  });
});
