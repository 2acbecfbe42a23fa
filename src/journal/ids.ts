// SPDX-License-Identifier: MIT
/**
 * String forms of ids derived from the raw 24-byte invocation id (docs/protocol.md §6.5, §10).
 *
 * Base64url is written here rather than taken from `Buffer` or `atob` because the journal must
 * run unchanged on runtimes without Node globals.
 *
 * @module
 */

const AWAKEABLE_PREFIX = "sign_1";
/** Prefix of awakeable ids minted by older SDKs; still accepted when parsing, never minted. */
const LEGACY_AWAKEABLE_PREFIX = "prom_1";
const INVOCATION_PREFIX = "inv_1";
const INVOCATION_ID_SIZE = 24;

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Base64url character code → 6-bit value, or -1. */
const BASE64URL_VALUE = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE64URL.length; i++) table[BASE64URL.charCodeAt(i)] = i;
  return table;
})();

/**
 * Id of the awakeable with signal index `signalIndex` (≥ 17) of an invocation.
 *
 * Format: `"sign_1"` + base64url without padding of `invocation id ‖ u32_be(signalIndex)`.
 *
 * @param invocationIdBytes - raw `StartMessage.id`.
 * @throws RangeError if `signalIndex` is not a u32.
 * @example
 * awakeableId(start.id, 17); // "sign_1BhgYPuoE6GnQSdLE3BKT_OpURQr1a6TrAAAAEQ"
 */
export function awakeableId(invocationIdBytes: Uint8Array, signalIndex: number): string {
  if (!Number.isInteger(signalIndex) || signalIndex < 0 || signalIndex > 0xffff_ffff) {
    throw new RangeError(`signal index must be a u32, got ${signalIndex}`);
  }
  const n = invocationIdBytes.length;
  const bytes = new Uint8Array(n + 4);
  bytes.set(invocationIdBytes);
  bytes[n] = signalIndex >>> 24;
  bytes[n + 1] = (signalIndex >>> 16) & 0xff;
  bytes[n + 2] = (signalIndex >>> 8) & 0xff;
  bytes[n + 3] = signalIndex & 0xff;
  return AWAKEABLE_PREFIX + encodeBase64Url(bytes);
}

/**
 * Splits an awakeable id back into invocation id bytes and signal index.
 *
 * Accepts the `sign_1` and legacy `prom_1` prefixes, with or without base64 padding.
 *
 * @returns `undefined` if `id` is not a well-formed awakeable id.
 * @example
 * parseAwakeableId("sign_1BhgYPuoE6GnQSdLE3BKT_OpURQr1a6TrAAAAEQ")?.signalIndex; // 17
 */
export function parseAwakeableId(
  id: string,
): { invocationId: Uint8Array; signalIndex: number } | undefined {
  if (!id.startsWith(AWAKEABLE_PREFIX) && !id.startsWith(LEGACY_AWAKEABLE_PREFIX)) return undefined;
  const bytes = decodeBase64Url(id.slice(AWAKEABLE_PREFIX.length));
  // At least one id byte before the 4-byte index.
  if (bytes === undefined || bytes.length < 5) return undefined;
  const n = bytes.length - 4;
  const signalIndex =
    (bytes[n] ?? 0) * 2 ** 24 +
    (((bytes[n + 1] ?? 0) << 16) | ((bytes[n + 2] ?? 0) << 8) | (bytes[n + 3] ?? 0));
  return { invocationId: bytes.slice(0, n), signalIndex };
}

/**
 * The runtime's display form (`inv_1…`) of a raw invocation id; `StartMessage.debug_id` carries
 * the same string, so SDK code normally never needs this.
 *
 * Layout: `"inv_1"` + base62(partition key, width 11) + base62(uuid, width 22), where each integer
 * is read from its bytes *little-endian*: the runtime encodes `x.to_be()` on a little-endian host,
 * i.e. the byte-swapped value (§10).
 *
 * @throws RangeError if `id` is not 24 bytes long.
 * @example
 * invocationDebugId(start.id); // "inv_195JGzOPHaHs7aEkWoBs19SqN0CtVUiXfO"
 */
export function invocationDebugId(id: Uint8Array): string {
  if (id.length !== INVOCATION_ID_SIZE) {
    throw new RangeError(`invocation id must be ${INVOCATION_ID_SIZE} bytes, got ${id.length}`);
  }
  return (
    INVOCATION_PREFIX +
    base62(readLittleEndian(id, 0, 8), 11) +
    base62(readLittleEndian(id, 8, INVOCATION_ID_SIZE), 22)
  );
}

/**
 * Base64url (RFC 4648 §5) without padding.
 *
 * @internal
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  let out = "";
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += digit(n >>> 18) + digit(n >>> 12) + digit(n >>> 6) + digit(n);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] ?? 0) << 16;
    out += digit(n >>> 18) + digit(n >>> 12);
  } else if (rest === 2) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += digit(n >>> 18) + digit(n >>> 12) + digit(n >>> 6);
  }
  return out;
}

/**
 * Decodes base64url, with or without `=` padding.
 *
 * Strict on purpose: characters outside the url-safe alphabet, misplaced padding and non-zero
 * unused trailing bits are rejected, so every accepted string has one byte sequence.
 *
 * @returns `undefined` if `text` is not canonical base64url.
 * @internal
 */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  let end = text.length;
  if (end % 4 === 0) {
    if (text.endsWith("==")) end -= 2;
    else if (text.endsWith("=")) end -= 1;
  }
  const rest = end % 4;
  if (rest === 1) return undefined;
  const out = new Uint8Array(Math.floor(end / 4) * 3 + (rest === 0 ? 0 : rest - 1));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? (BASE64URL_VALUE[code] ?? -1) : -1;
    if (value < 0) return undefined;
    acc = ((acc << 6) | value) & 0xfff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  // Leftover bits must be zero padding bits.
  if ((acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

function digit(sextet: number): string {
  return BASE64URL[sextet & 0x3f] ?? "";
}

function readLittleEndian(bytes: Uint8Array, start: number, end: number): bigint {
  let value = 0n;
  for (let i = end - 1; i >= start; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value;
}

function base62(value: bigint, width: number): string {
  let out = "";
  let rest = value;
  while (rest > 0n) {
    out = (BASE62[Number(rest % 62n)] ?? "") + out;
    rest /= 62n;
  }
  return out.padStart(width, "0");
}
