// SPDX-License-Identifier: MIT
// A minimal protobuf wire reader for the messages decoded on every step of every invocation
// (notifications). The generic reflection-based decoder costs more than the rest of a replay step;
// these messages are small and fixed, so reading their fields directly is simple and safe.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Reads protobuf fields from a byte range; throws on malformed input. */
export class WireReader {
  readonly #bytes: Uint8Array;
  #pos: number;
  readonly #end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.length) {
    this.#bytes = bytes;
    this.#pos = start;
    this.#end = end;
  }

  get isDone(): boolean {
    return this.#pos >= this.#end;
  }

  /** The next field's tag: `[fieldNumber, wireType]`. */
  tag(): [number, number] {
    const key = this.varint32();
    const field = key >>> 3;
    if (field === 0) throw new Error("invalid field number 0");
    return [field, key & 7];
  }

  /** A varint, truncated to its low 32 bits (uint32 fields). */
  varint32(): number {
    let result = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.#pos >= this.#end) throw new Error("truncated varint");
      const byte = this.#bytes[this.#pos++]!;
      if (shift < 32) result |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result >>> 0;
    }
    throw new Error("varint longer than 10 bytes");
  }

  /** A uint64 varint as its two 32-bit halves `[low, high]` (no BigInt on the hot path). */
  varint64(): [number, number] {
    let low = 0;
    let high = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      const byte = this.#byte();
      low |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return [low >>> 0, 0];
    }
    let byte = this.#byte();
    low |= (byte & 0x0f) << 28;
    high = (byte & 0x70) >>> 4;
    if ((byte & 0x80) === 0) return [low >>> 0, high];
    for (let shift = 3; shift < 38; shift += 7) {
      byte = this.#byte();
      if (shift < 32) high |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return [low >>> 0, high >>> 0];
    }
    throw new Error("varint longer than 10 bytes");
  }

  #byte(): number {
    if (this.#pos >= this.#end) throw new Error("truncated varint");
    return this.#bytes[this.#pos++]!;
  }

  /** A length-delimited field's bytes, as a view (no copy). */
  bytesField(): Uint8Array {
    const length = this.varint32();
    const start = this.#pos;
    if (length > this.#end - start) throw new Error("length-delimited field past the end");
    this.#pos = start + length;
    return this.#bytes.subarray(start, start + length);
  }

  string(): string {
    return utf8.decode(this.bytesField());
  }

  /** Skips a field of the given wire type (unknown fields must be ignored). */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint32();
        return;
      case WIRE_FIXED64:
        this.#advance(8);
        return;
      case WIRE_LEN:
        this.bytesField();
        return;
      case WIRE_FIXED32:
        this.#advance(4);
        return;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }

  /** Checks the wire type a known field must have. */
  expect(wireType: number, expected: number): void {
    if (wireType !== expected) throw new Error(`wire type ${wireType}, expected ${expected}`);
  }

  #advance(n: number): void {
    if (n > this.#end - this.#pos) throw new Error("truncated fixed-width field");
    this.#pos += n;
  }
}

export const WireType = { varint: WIRE_VARINT, len: WIRE_LEN } as const;

/** The number of bytes of `value` (a uint32) as a varint. */
export function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value >>>= 7;
    size++;
  }
  return size;
}

/** Writes a uint32 varint at `offset`; returns the offset after it. */
export function writeVarint(target: Uint8Array, offset: number, value: number): number {
  while (value >= 0x80) {
    target[offset++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  target[offset++] = value;
  return offset;
}

const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** `Value { bytes content = 1; }`: the content bytes (a view). */
export function readValueContent(bytes: Uint8Array): Uint8Array {
  const reader = new WireReader(bytes);
  let content = EMPTY_BYTES;
  while (!reader.isDone) {
    const [field, wire] = reader.tag();
    if (field === 1) {
      reader.expect(wire, WIRE_LEN);
      content = reader.bytesField();
    } else reader.skip(wire);
  }
  return content;
}

/** `{ string key = 1; string value = 2; }` (Header, FailureMetadata). */
export function readStringPair(bytes: Uint8Array): [string, string] {
  const reader = new WireReader(bytes);
  let key = "";
  let value = "";
  while (!reader.isDone) {
    const [field, wire] = reader.tag();
    if (field === 1 || field === 2) {
      reader.expect(wire, WIRE_LEN);
      if (field === 1) key = reader.string();
      else value = reader.string();
    } else reader.skip(wire);
  }
  return [key, value];
}
