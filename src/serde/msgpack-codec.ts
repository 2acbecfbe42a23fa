// SPDX-License-Identifier: MIT
// A compact MessagePack codec (https://github.com/msgpack/msgpack/blob/master/spec.md) for
// `serde.msgpack`. Its output is byte for byte what @msgpack/msgpack 3 writes with its default
// options, and it reads back what that library wrote (a property test checks both), so values
// stored by earlier versions keep their meaning. Owning the codec keeps `serde` small: a bundler
// cannot drop one member of the `serde` namespace, so every Worker importing `serde` carries it.
// Hence also plain functions over module-level state rather than classes: a minifier renames
// local and module names, not properties or `#` fields.

const MAX_DEPTH = 100;
const EXT_TIMESTAMP = -1;
const TWO_32 = 0x1_0000_0000;
const TIMESTAMP32_MAX_SEC = 0xffff_ffff;
const TIMESTAMP64_MAX_SEC = 0x3_ffff_ffff;

const utf8Encoder = /* @__PURE__ */ new TextEncoder();
const utf8Decoder = /* @__PURE__ */ new TextDecoder();

/** An extension value of a type this codec does not interpret (anything but timestamps). */
export interface MsgpackExtension {
  readonly type: number;
  readonly data: Uint8Array;
}

// The buffer being written. Saved and restored around each encode: a getter on the value may
// itself encode (re-entrance).
let out = /* @__PURE__ */ new Uint8Array(0);
let outView = /* @__PURE__ */ new DataView(/* @__PURE__ */ new ArrayBuffer(0));
let outPos = 0;

/** Makes room for `n` more bytes and returns where they go. */
function reserve(n: number): number {
  const at = outPos;
  if (at + n > out.length) {
    const grown = new Uint8Array(Math.max(out.length * 2, at + n, 256));
    grown.set(out);
    out = grown;
    outView = new DataView(grown.buffer);
  }
  outPos = at + n;
  return at;
}

// Each writer reserves first, then reads `out`/`outView`: reserving may replace them.
function u8(v: number): void {
  const at = reserve(1);
  out[at] = v;
}
function u16(v: number): void {
  const at = reserve(2);
  outView.setUint16(at, v);
}
function u32(v: number): void {
  const at = reserve(4);
  outView.setUint32(at, v);
}
function i8(v: number): void {
  const at = reserve(1);
  outView.setInt8(at, v);
}
/** A safe integer as 64 bits, two's complement; BigInt keeps negative values exact. */
function i64(v: number): void {
  const at = reserve(8);
  outView.setBigInt64(at, BigInt(v));
}
function raw(b: Uint8Array): void {
  const at = reserve(b.length);
  out.set(b, at);
}

/** A type byte (`first` + 0, 1 or 2 for 8-, 16- or 32-bit), then `n` in that width. */
function sized(first: number, n: number, what: string, hasU8 = true): void {
  if (n < 0x100 && hasU8) (u8(first), u8(n));
  else if (n < 0x1_0000) (u8(first + (hasU8 ? 1 : 0)), u16(n));
  else if (n < TWO_32) (u8(first + (hasU8 ? 2 : 1)), u32(n));
  else throw new RangeError(`Too large ${what}: ${n}`);
}

/** Encodes a value (`undefined` as nil); throws on functions, symbols and bigints. */
export function encodeMsgpack(value: unknown): Uint8Array {
  const saved = [out, outView, outPos] as const;
  out = new Uint8Array(0);
  outPos = 0;
  try {
    write(value, 1);
    return out.slice(0, outPos);
  } finally {
    [out, outView, outPos] = saved;
  }
}

function write(v: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new RangeError(`Too deep objects in depth ${depth}`);
  if (v === null || v === undefined) u8(0xc0);
  else if (typeof v === "boolean") u8(v ? 0xc3 : 0xc2);
  else if (typeof v === "number") writeNumber(v);
  else if (typeof v === "string") writeString(v);
  else if (v instanceof Date) writeTimestamp(v);
  else if (Array.isArray(v)) {
    if (v.length < 16) u8(0x90 + v.length);
    else sized(0xdc, v.length, "array", false);
    for (const item of v as unknown[]) write(item, depth + 1);
  } else if (ArrayBuffer.isView(v)) {
    sized(0xc4, v.byteLength, "binary");
    raw(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  } else if (typeof v === "object") {
    const keys = Object.keys(v);
    if (keys.length < 16) u8(0x80 + keys.length);
    else sized(0xde, keys.length, "map", false);
    for (const key of keys) {
      writeString(key);
      write((v as Record<string, unknown>)[key], depth + 1);
    }
  } else {
    throw new TypeError(`Unrecognized object: ${Object.prototype.toString.call(v)}`);
  }
}

function writeNumber(n: number): void {
  if (!Number.isSafeInteger(n)) {
    const at = reserve(9);
    out[at] = 0xcb;
    outView.setFloat64(at + 1, n);
  } else if (n >= 0) {
    if (n < 0x80) u8(n);
    else if (n < TWO_32) sized(0xcc, n, "integer");
    else (u8(0xcf), i64(n));
  } else if (n >= -0x20) u8(0xe0 | (n + 0x20));
  else if (n >= -0x80) (u8(0xd0), i8(n));
  else if (n >= -0x8000) (u8(0xd1), u16(n & 0xffff));
  else if (n >= -0x8000_0000) (u8(0xd2), u32(n >>> 0));
  else (u8(0xd3), i64(n));
}

function writeString(s: string): void {
  const bytes = utf8Encoder.encode(s);
  if (bytes.length < 32) u8(0xa0 + bytes.length);
  else sized(0xd9, bytes.length, "string");
  raw(bytes);
}

/** The timestamp extension (-1) in its smallest form: 32, 64 or 96 bits. */
function writeTimestamp(date: Date): void {
  const ms = date.getTime();
  const sec = Math.floor(ms / 1000);
  const nsec = (ms - sec * 1000) * 1_000_000;
  if (nsec === 0 && sec >= 0 && sec <= TIMESTAMP32_MAX_SEC) {
    (u8(0xd6), i8(EXT_TIMESTAMP), u32(sec));
  } else if (sec >= 0 && sec <= TIMESTAMP64_MAX_SEC) {
    (u8(0xd7), i8(EXT_TIMESTAMP));
    (u32(nsec * 4 + Math.floor(sec / TWO_32)), u32(sec % TWO_32));
  } else {
    (u8(0xc7), u8(12), i8(EXT_TIMESTAMP));
    // An invalid date (NaN) fails both tests above and is written as zeros, as @msgpack/msgpack does.
    (u32(nsec || 0), i64(sec || 0));
  }
}

// The bytes being read.
let src: Uint8Array = /* @__PURE__ */ new Uint8Array(0);
let srcView: DataView = /* @__PURE__ */ new DataView(/* @__PURE__ */ new ArrayBuffer(0));
let srcPos = 0;

/** Decodes exactly one value; throws on truncated input, trailing bytes or unknown formats. */
export function decodeMsgpack(bytes: Uint8Array): unknown {
  src = bytes;
  srcView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  srcPos = 0;
  try {
    const value = read();
    if (srcPos !== bytes.length) {
      throw new RangeError(`Extra ${bytes.length - srcPos} byte(s) found at buffer[${srcPos}]`);
    }
    return value;
  } finally {
    // Keep no reference to the caller's bytes once done.
    src = new Uint8Array(0);
    srcView = new DataView(src.buffer);
  }
}

/** Consumes `n` bytes and returns where they start. */
function take(n: number): number {
  const at = srcPos;
  if (at + n > src.length) throw new RangeError("Insufficient data");
  srcPos = at + n;
  return at;
}

function slice(n: number): Uint8Array {
  const at = take(n);
  return src.subarray(at, at + n);
}

/** A length of 8, 16 or 32 bits (width 0, 1 or 2). */
function length(width: number): number {
  if (width === 0) return srcView.getUint8(take(1));
  return width === 1 ? srcView.getUint16(take(2)) : srcView.getUint32(take(4));
}

function read(): unknown {
  const b = srcView.getUint8(take(1));
  if (b < 0x80) return b;
  if (b < 0x90) return readMap(b - 0x80);
  if (b < 0xa0) return readArray(b - 0x90);
  if (b < 0xc0) return utf8Decoder.decode(slice(b - 0xa0));
  if (b >= 0xe0) return b - 0x100;
  const v = srcView;
  switch (b) {
    case 0xc0:
      return null;
    case 0xc2:
    case 0xc3:
      return b === 0xc3;
    case 0xc4:
    case 0xc5:
    case 0xc6:
      return slice(length(b - 0xc4));
    case 0xc7:
    case 0xc8:
    case 0xc9:
      return readExtension(length(b - 0xc7));
    case 0xca:
      return v.getFloat32(take(4));
    case 0xcb:
      return v.getFloat64(take(8));
    case 0xcc:
    case 0xcd:
    case 0xce:
      return length(b - 0xcc);
    case 0xcf:
      return Number(v.getBigUint64(take(8)));
    case 0xd0:
      return v.getInt8(take(1));
    case 0xd1:
      return v.getInt16(take(2));
    case 0xd2:
      return v.getInt32(take(4));
    case 0xd3:
      return Number(v.getBigInt64(take(8)));
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8:
      return readExtension(1 << (b - 0xd4));
    case 0xd9:
    case 0xda:
    case 0xdb:
      return utf8Decoder.decode(slice(length(b - 0xd9)));
    case 0xdc:
    case 0xdd:
      return readArray(length(b - 0xdc + 1));
    case 0xde:
    case 0xdf:
      return readMap(length(b - 0xde + 1));
    default:
      throw new RangeError(`Unrecognized type byte: 0x${b.toString(16)}`);
  }
}

function readArray(n: number): unknown[] {
  const items: unknown[] = [];
  for (let i = 0; i < n; i++) items.push(read());
  return items;
}

function readMap(n: number): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const key = read();
    if (typeof key !== "string" && typeof key !== "number") {
      throw new TypeError(`The type of key must be string or number but ${typeof key}`);
    }
    // Assigning `__proto__` would replace the object's prototype instead of adding a key.
    if (key === "__proto__") throw new TypeError("The key __proto__ is not allowed");
    map[key] = read();
  }
  return map;
}

function readExtension(n: number): Date | MsgpackExtension {
  const type = srcView.getInt8(take(1));
  const data = slice(n);
  return type === EXT_TIMESTAMP ? readTimestamp(data) : { type, data };
}

function readTimestamp(data: Uint8Array): Date {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length === 4) return new Date(v.getUint32(0) * 1000);
  if (data.length === 8) {
    const high = v.getUint32(0);
    const sec = (high % 4) * TWO_32 + v.getUint32(4);
    return new Date(sec * 1000 + Math.floor(high / 4) / 1_000_000);
  }
  if (data.length === 12) {
    return new Date(Number(v.getBigInt64(4)) * 1000 + v.getUint32(0) / 1_000_000);
  }
  throw new RangeError(`Unrecognized data size for timestamp: ${data.length}`);
}
