// SPDX-License-Identifier: MIT
// zstd from the runtime's `node:zlib`: Node ≥ 22.15 (and 23.8), Bun and Deno have it, Node 20 does
// not. The module is fetched with `process.getBuiltinModule` on first need rather than imported,
// so a Lambda cold start that never meets a compressed body does not pay for loading zlib.

/**
 * zstd compression, as far as the Lambda transport needs it.
 *
 * @internal
 */
export interface Zstd {
  compress(bytes: Uint8Array): Uint8Array;
  /**
   * @throws {ZstdLimitError} when the output would be longer than `maxOutputLength` (it stops
   *   there: a small input that expands without bound never allocates more than the limit).
   * @throws Error when `bytes` are not zstd data.
   */
  decompress(bytes: Uint8Array, maxOutputLength: number): Uint8Array;
}

/**
 * Thrown by {@link Zstd.decompress} when the output would exceed its limit.
 *
 * @internal
 */
export class ZstdLimitError extends Error {
  readonly limit: number;

  constructor(limit: number) {
    super(`zstd data decompresses to more than ${limit} bytes`);
    this.name = "ZstdLimitError";
    this.limit = limit;
  }
}

/**
 * The zstd functions of `node:zlib`, which @types/node 20 does not declare.
 *
 * @internal
 */
export interface ZlibZstd {
  zstdCompressSync(buffer: Uint8Array): Uint8Array;
  zstdDecompressSync(buffer: Uint8Array, options: { maxOutputLength: number }): Uint8Array;
}

function hasZstd(zlib: object): zlib is ZlibZstd {
  return (
    "zstdCompressSync" in zlib &&
    typeof zlib.zstdCompressSync === "function" &&
    "zstdDecompressSync" in zlib &&
    typeof zlib.zstdDecompressSync === "function"
  );
}

/** `node:zlib` through `process.getBuiltinModule` (Node ≥ 20.16), or undefined. */
function builtinZlib(): object | undefined {
  const load = (globalThis.process as Partial<NodeJS.Process> | undefined)?.getBuiltinModule;
  if (typeof load !== "function") return undefined;
  const zlib: unknown = load("node:zlib");
  return typeof zlib === "object" && zlib !== null ? zlib : undefined;
}

function isBufferTooLarge(error: unknown): boolean {
  return error instanceof RangeError && "code" in error && error.code === "ERR_BUFFER_TOO_LARGE";
}

/**
 * A {@link Zstd} over zlib-style sync functions (tests pass gzip's, which behave alike).
 *
 * @internal
 */
export function zstdFromZlib(zlib: ZlibZstd): Zstd {
  return {
    // zlib's default level is 3, the level restate-server compresses Lambda requests with.
    compress: (bytes) => zlib.zstdCompressSync(bytes),
    decompress: (bytes, maxOutputLength) => {
      try {
        return zlib.zstdDecompressSync(bytes, { maxOutputLength });
      } catch (error) {
        if (isBufferTooLarge(error)) throw new ZstdLimitError(maxOutputLength);
        throw error;
      }
    },
  };
}

let runtimeZstd: Zstd | null | undefined;

/**
 * The runtime's zstd, or `undefined` where `node:zlib` has none (Node before 22.15). Looked up
 * once, on the first call.
 *
 * @internal
 */
export function runtimeZstdCodec(): Zstd | undefined {
  if (runtimeZstd === undefined) {
    const zlib = builtinZlib();
    runtimeZstd = zlib !== undefined && hasZstd(zlib) ? zstdFromZlib(zlib) : null;
  }
  return runtimeZstd ?? undefined;
}
