// SPDX-License-Identifier: MIT
// zstd for the tests that run under Node 22: node:zlib's functions, and a zstd bomb built by hand
// (RFC 8878) so that no test needs gigabytes to make one: a frame of RLE blocks, each four bytes
// that decompress to 128 KiB of one byte value.
import type { ZlibZstd } from "../../src/endpoint/zstd.js";

/**
 * node:zlib's zstd functions.
 *
 * @throws Error on a runtime without them (Node before 22.15).
 */
export function zlibZstd(zlib: object): ZlibZstd {
  if (!("zstdCompressSync" in zlib) || !("zstdDecompressSync" in zlib)) {
    throw new Error(`node ${process.version} has no zstd in node:zlib`);
  }
  return zlib as ZlibZstd;
}

const BLOCK = 128 * 1024;
const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
// Frame header descriptor 0: a window descriptor follows; no content size, checksum or dictionary.
const DESCRIPTOR = 0x00;
// Window descriptor: exponent 7, mantissa 0 → a 2^(10+7) = 128 KiB window, the largest block size.
const WINDOW = 7 << 3;
const RLE = 1;

/**
 * A zstd frame that decompresses to `blocks` × 128 KiB bytes of `value` (32 KiB of frame per GiB).
 *
 * @example
 * const gib = zstdBomb(8192); // 32,774 bytes → 1 GiB of zeros
 */
export function zstdBomb(blocks: number, value = 0): Uint8Array {
  const out = new Uint8Array(6 + blocks * 4);
  out.set([...MAGIC, DESCRIPTOR, WINDOW]);
  for (let i = 0; i < blocks; i++) {
    const header = (i === blocks - 1 ? 1 : 0) | (RLE << 1) | (BLOCK << 3);
    out.set([header & 0xff, (header >>> 8) & 0xff, (header >>> 16) & 0xff, value], 6 + i * 4);
  }
  return out;
}

/** How many bytes {@link zstdBomb} decompresses to. */
export const zstdBombSize = (blocks: number): number => blocks * BLOCK;
