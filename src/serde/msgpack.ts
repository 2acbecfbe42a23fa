// SPDX-License-Identifier: MIT
import { TerminalError } from "../errors.js";
import { decodeMsgpack, encodeMsgpack } from "./msgpack-codec.js";

/**
 * The MessagePack serde's type: its methods are generic, so it is a `Serde<T>` for every `T`.
 *
 * @example
 * ```ts
 * const state: Serde<{ photo: Uint8Array }> = serde.msgpack;
 * ```
 */
export interface MsgpackSerde {
  readonly contentType: "application/msgpack";
  serialize<T>(value: T): Uint8Array;
  deserialize<T>(data: Uint8Array): T;
}

/**
 * A compact binary serde that, unlike JSON, keeps `Uint8Array` values as bytes.
 *
 * `undefined` is written as an empty body, as with `serde.json`, so `void` behaves the same.
 * Like `serde.json`, it does not check that the decoded value is a `T`. Bytes are the same as
 * `@msgpack/msgpack` writes with its default options (dates as the timestamp extension, maps from
 * own enumerable keys); other extension types decode to `{ type, data }`.
 *
 * @example
 * ```ts
 * const bytes = msgpack.serialize({ name: "x", blob: new Uint8Array([1, 2]) });
 * ```
 * @throws {TerminalError} code 400 from `deserialize` when the bytes are not valid MessagePack.
 */
export const msgpack: MsgpackSerde = /* @__PURE__ */ Object.freeze({
  contentType: "application/msgpack",
  serialize<T>(value: T): Uint8Array {
    return value === undefined ? new Uint8Array(0) : encodeMsgpack(value);
  },
  deserialize<T>(data: Uint8Array): T {
    if (data.length === 0) return undefined as T;
    try {
      return decodeMsgpack(data) as T;
    } catch (cause) {
      // As with JSON: malformed bytes fail the same way on every retry.
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new TerminalError(`Invalid MessagePack: ${reason}`, { errorCode: 400, cause });
    }
  },
});
