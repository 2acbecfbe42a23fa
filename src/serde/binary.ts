// SPDX-License-Identifier: MIT
import type { Serde } from "./serde.js";

/**
 * Passes raw bytes through unchanged, without copying them.
 *
 * @example
 * ```ts
 * const image = binary.deserialize(body); // the same Uint8Array, no copy
 * ```
 */
export const binary: Serde<Uint8Array> = Object.freeze({
  contentType: "application/octet-stream",
  serialize: (value: Uint8Array): Uint8Array => value,
  deserialize: (data: Uint8Array): Uint8Array => data,
});
