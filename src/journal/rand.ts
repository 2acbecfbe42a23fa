// SPDX-License-Identifier: MIT
/**
 * Deterministic randomness (docs/protocol.md §11): every attempt of an invocation draws the same
 * numbers from the same seed, so `ctx.rand` survives replay.
 *
 * @module
 */

const U64_MASK = 0xffff_ffff_ffff_ffffn;
const TWO_32 = 0x1_0000_0000;
const TWO_53 = 2 ** 53;

const SPLITMIX_GAMMA = 0x9e37_79b9_7f4a_7c15n;
const SPLITMIX_MUL1 = 0xbf58_476d_1ce4_e5b9n;
const SPLITMIX_MUL2 = 0x94d0_49bb_1331_11ebn;

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/**
 * Seeded xoshiro256++ generator, bit-for-bit compatible with the official SDKs.
 *
 * The 256-bit state is held as eight unsigned 32-bit halves in plain number fields: `random()`
 * and `uuidv4()`, the hot paths, then need no BigInt arithmetic at all, and `next()` builds one
 * BigInt only for its result.
 *
 * @example
 * const rand = new DeterministicRandom(start.randomSeed);
 * rand.random(); // 0 <= x < 1, identical on every attempt
 */
export class DeterministicRandom {
  #s0h = 0;
  #s0l = 0;
  #s1h = 0;
  #s1l = 0;
  #s2h = 0;
  #s2l = 0;
  #s3h = 0;
  #s3l = 0;
  /** Result of the last {@link DeterministicRandom.#step}, as halves. */
  #hi = 0;
  #lo = 0;

  /**
   * @param seed - unsigned 64-bit seed (V6+: `StartMessage.random_seed`; V5: {@link v5Seed}).
   * @throws RangeError if `seed` is negative or does not fit 64 bits.
   */
  constructor(seed: bigint) {
    if (seed < 0n || seed > U64_MASK) {
      throw new RangeError(`random seed must be an unsigned 64-bit integer, got ${seed}`);
    }
    // SplitMix64 spreads the seed over the four state words (only done once, so BigInt is fine).
    let x = seed;
    const words: bigint[] = [];
    for (let i = 0; i < 4; i++) {
      x = (x + SPLITMIX_GAMMA) & U64_MASK;
      let z = x;
      z = ((z ^ (z >> 30n)) * SPLITMIX_MUL1) & U64_MASK;
      z = ((z ^ (z >> 27n)) * SPLITMIX_MUL2) & U64_MASK;
      words.push(z ^ (z >> 31n));
    }
    const [w0 = 0n, w1 = 0n, w2 = 0n, w3 = 0n] = words;
    [this.#s0h, this.#s0l] = halves(w0);
    [this.#s1h, this.#s1l] = halves(w1);
    [this.#s2h, this.#s2l] = halves(w2);
    [this.#s3h, this.#s3l] = halves(w3);
  }

  /** Next raw 64-bit output. */
  next(): bigint {
    this.#step();
    return (BigInt(this.#hi) << 32n) | BigInt(this.#lo);
  }

  /** Uniform float in [0, 1): the low 53 bits of `next()` divided by 2^53. */
  random(): number {
    this.#step();
    return ((this.#hi & 0x1f_ffff) * TWO_32 + this.#lo) / TWO_53;
  }

  /** Random (version 4, RFC 9562) UUID in lowercase 8-4-4-4-12 form, from two `next()` draws. */
  uuidv4(): string {
    // Bytes are the two draws as little-endian u64s: low half first, least significant byte first.
    this.#step();
    const a = this.#lo;
    const b = this.#hi;
    this.#step();
    const c = this.#lo;
    const d = this.#hi;
    const b6 = (((b >>> 16) & 0x0f) | 0x40) >>> 0;
    const b8 = ((c & 0x3f) | 0x80) >>> 0;
    return (
      le32(a) +
      "-" +
      hexByte(b) +
      hexByte(b >>> 8) +
      "-" +
      hexByte(b6) +
      hexByte(b >>> 24) +
      "-" +
      hexByte(b8) +
      hexByte(c >>> 8) +
      "-" +
      hexByte(c >>> 16) +
      hexByte(c >>> 24) +
      le32(d)
    );
  }

  /**
   * Current state words `[s0, s1, s2, s3]`, for tests against reference vectors.
   *
   * @internal
   */
  state(): readonly [bigint, bigint, bigint, bigint] {
    return [
      join(this.#s0h, this.#s0l),
      join(this.#s1h, this.#s1l),
      join(this.#s2h, this.#s2l),
      join(this.#s3h, this.#s3l),
    ];
  }

  /** One xoshiro256++ step on 32-bit halves; leaves the output in `#hi`/`#lo`. */
  #step(): void {
    const s0h = this.#s0h;
    const s0l = this.#s0l;
    const s1h = this.#s1h;
    const s1l = this.#s1l;

    // result = rotl(s0 + s3, 23) + s0
    let sum = s0l + this.#s3l;
    let lo = sum >>> 0;
    let hi = (s0h + this.#s3h + (sum >= TWO_32 ? 1 : 0)) >>> 0;
    const rh = ((hi << 23) | (lo >>> 9)) >>> 0;
    const rl = ((lo << 23) | (hi >>> 9)) >>> 0;
    sum = rl + s0l;
    this.#lo = sum >>> 0;
    this.#hi = (rh + s0h + (sum >= TWO_32 ? 1 : 0)) >>> 0;

    // t = s1 << 17
    const th = ((s1h << 17) | (s1l >>> 15)) >>> 0;
    const tl = (s1l << 17) >>> 0;

    this.#s2h = (this.#s2h ^ s0h) >>> 0;
    this.#s2l = (this.#s2l ^ s0l) >>> 0;
    hi = (this.#s3h ^ s1h) >>> 0;
    lo = (this.#s3l ^ s1l) >>> 0;
    this.#s1h = (s1h ^ this.#s2h) >>> 0;
    this.#s1l = (s1l ^ this.#s2l) >>> 0;
    this.#s0h = (s0h ^ hi) >>> 0;
    this.#s0l = (s0l ^ lo) >>> 0;
    this.#s2h = (this.#s2h ^ th) >>> 0;
    this.#s2l = (this.#s2l ^ tl) >>> 0;
    // s3 = rotl(s3, 45) = rotl(swap halves, 13)
    this.#s3h = ((lo << 13) | (hi >>> 19)) >>> 0;
    this.#s3l = ((hi << 13) | (lo >>> 19)) >>> 0;
  }
}

/**
 * Seed for protocol V5, which has no `random_seed`: SipHash-1-3 with a zero key over
 * `u32_le(id.length) ‖ id` (docs/protocol.md §11).
 *
 * The 4-byte length prefix is how the official core hashes a byte slice when compiled to wasm32,
 * where `usize` is 32 bits; reproducing it keeps V5 draws identical to the official SDK.
 *
 * @param id - raw `StartMessage.id` bytes.
 * @example
 * new DeterministicRandom(v5Seed(start.id));
 */
export function v5Seed(id: Uint8Array): bigint {
  return sipHashOfId(id, 4);
}

/**
 * The `random_seed` restate-server sends in the StartMessage: SipHash-1-3 with a zero key over
 * `u64_le(id.length) ‖ id`, the server hashing the id slice on a 64-bit host. It is not exported
 * with a journal, so an offline replay derives it from the invocation id (docs/protocol.md §11).
 *
 * @param id - raw `StartMessage.id` bytes.
 * @example
 * create(pb.StartMessageSchema, { id, randomSeed: runtimeSeed(id) });
 */
export function runtimeSeed(id: Uint8Array): bigint {
  return sipHashOfId(id, 8);
}

/** SipHash-1-3 with a zero key over the id's length (`prefix` bytes, little-endian), then the id. */
function sipHashOfId(id: Uint8Array, prefix: 4 | 8): bigint {
  const length = id.length + prefix;
  // Byte i of the hashed message, without materialising the concatenation (the length fits in
  // the prefix's low four bytes).
  const byteAt = (i: number): number =>
    i < prefix ? (i < 4 ? (id.length >>> (8 * i)) & 0xff : 0) : (id[i - prefix] ?? 0);
  const v: SipState = [
    0x736f_6d65_7073_6575n,
    0x646f_7261_6e64_6f6dn,
    0x6c79_6765_6e65_7261n,
    0x7465_6462_7974_6573n,
  ];
  const whole = length - (length % 8);
  for (let i = 0; i < whole; i += 8) sipCompress(v, word(byteAt, i, 8));
  // The last block carries the remaining bytes and the message length in its top byte.
  const last = word(byteAt, whole, length - whole) | (BigInt(length & 0xff) << 56n);
  sipCompress(v, last);
  v[2] ^= 0xffn;
  for (let i = 0; i < 3; i++) sipRound(v);
  return v[0] ^ v[1] ^ v[2] ^ v[3];
}

type SipState = [bigint, bigint, bigint, bigint];

/** One message block with c = 1 compression round. */
function sipCompress(v: SipState, m: bigint): void {
  v[3] ^= m;
  sipRound(v);
  v[0] ^= m;
}

function sipRound(v: SipState): void {
  v[0] = (v[0] + v[1]) & U64_MASK;
  v[1] = rotl(v[1], 13n) ^ v[0];
  v[0] = rotl(v[0], 32n);
  v[2] = (v[2] + v[3]) & U64_MASK;
  v[3] = rotl(v[3], 16n) ^ v[2];
  v[0] = (v[0] + v[3]) & U64_MASK;
  v[3] = rotl(v[3], 21n) ^ v[0];
  v[2] = (v[2] + v[1]) & U64_MASK;
  v[1] = rotl(v[1], 17n) ^ v[2];
  v[2] = rotl(v[2], 32n);
}

function rotl(x: bigint, k: bigint): bigint {
  return ((x << k) | (x >> (64n - k))) & U64_MASK;
}

/** Little-endian word of `count` (≤ 8) bytes starting at `start`. */
function word(byteAt: (i: number) => number, start: number, count: number): bigint {
  let lo = 0;
  let hi = 0;
  for (let j = 0; j < count; j++) {
    const b = byteAt(start + j);
    if (j < 4) lo += b * 2 ** (8 * j);
    else hi += b * 2 ** (8 * (j - 4));
  }
  return join(hi, lo);
}

function halves(x: bigint): [hi: number, lo: number] {
  return [Number(x >> 32n), Number(x & 0xffff_ffffn)];
}

function join(hi: number, lo: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function hexByte(x: number): string {
  return HEX_BYTE[x & 0xff] ?? "";
}

/** A u32 written as its four little-endian bytes in hex. */
function le32(x: number): string {
  return hexByte(x) + hexByte(x >>> 8) + hexByte(x >>> 16) + hexByte(x >>> 24);
}
