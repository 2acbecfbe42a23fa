// SPDX-License-Identifier: MIT

/**
 * Transforms every input and output payload after serialization and before deserialization
 * (e.g. encryption or compression), as the official SDK's experimental `journalValueCodec`.
 *
 * @example
 * const identity: JournalValueCodec = { encode: (b) => b, decode: async (b) => b };
 */
export interface JournalValueCodec {
  encode(buf: Uint8Array): Uint8Array;
  decode(buf: Uint8Array): Promise<Uint8Array>;
}
