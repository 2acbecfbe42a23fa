// SPDX-License-Identifier: MIT
// Invocation ids and per-invocation random seeds, all drawn from the environment's seed so that a
// test run is reproducible (same ids in snapshots, same `ctx.rand` values).
import { DeterministicRandom } from "../journal/rand.js";
import { invocationDebugId } from "../journal/ids.js";

/** A fresh invocation id: the 24 raw bytes and the `inv_1…` form. */
export interface InvocationIdentity {
  readonly bytes: Uint8Array;
  readonly id: string;
  /** The invocation's `StartMessage.random_seed`. */
  readonly seed: bigint;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const U64 = 0xffff_ffff_ffff_ffffn;

/** Mints invocation ids like the runtime: same object/workflow key → same partition key (§10). */
export class IdGenerator {
  readonly #rand: DeterministicRandom;
  readonly #hexToId = new Map<string, string>();

  constructor(seed: bigint) {
    this.#rand = new DeterministicRandom(BigInt.asUintN(64, seed));
  }

  /** A new identity; `partitionKey` (e.g. `"Cart/Mary"`) pins the first 8 bytes. */
  next(partitionKey?: string): InvocationIdentity {
    const bytes = new Uint8Array(24);
    writeU64(bytes, 0, partitionKey !== undefined ? fnv1a(partitionKey) : this.#rand.next());
    writeU64(bytes, 8, this.#rand.next());
    writeU64(bytes, 16, this.#rand.next());
    const id = invocationDebugId(bytes);
    this.#hexToId.set(hex(bytes), id);
    return { bytes, id, seed: this.#rand.next() };
  }

  /** The `inv_1…` id of raw id bytes minted here (awakeable ids carry the raw bytes). */
  idOfBytes(bytes: Uint8Array): string | undefined {
    return this.#hexToId.get(hex(bytes));
  }
}

const BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * The 24 raw bytes of an `inv_1…` id (the inverse of `invocationDebugId`), or undefined if the
 * string is not one.
 */
export function invocationIdBytes(id: string): Uint8Array | undefined {
  const match = /^inv_1([0-9a-zA-Z]{11})([0-9a-zA-Z]{22})$/.exec(id);
  if (match === null) return undefined;
  const bytes = new Uint8Array(24);
  writeLittleEndian(bytes, 0, 8, fromBase62(match[1] ?? ""));
  writeLittleEndian(bytes, 8, 24, fromBase62(match[2] ?? ""));
  return invocationDebugId(bytes) === id ? bytes : undefined;
}

function fromBase62(text: string): bigint {
  let value = 0n;
  for (const char of text) value = value * 62n + BigInt(BASE62.indexOf(char));
  return value;
}

function writeLittleEndian(target: Uint8Array, start: number, end: number, value: bigint): void {
  for (let i = start; i < end; i++) {
    target[i] = Number(value & 0xffn);
    value >>= 8n;
  }
}

function fnv1a(text: string): bigint {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & U64;
  }
  return hash;
}

function writeU64(target: Uint8Array, offset: number, value: bigint): void {
  for (let i = 7; i >= 0; i--) {
    target[offset + i] = Number(value & 0xffn);
    value >>= 8n;
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
