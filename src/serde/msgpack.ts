// SPDX-License-Identifier: MIT
import { Decoder, Encoder } from "@msgpack/msgpack";
import { TerminalError } from "../errors.js";

// One shared instance of each: `encode()` from the library returns a view into a fresh 2 KiB
// buffer, which a stored value would keep alive, whereas `Encoder#encode` returns an exact-size
// copy. Both classes handle re-entrant use by cloning themselves. Created on first use, and the
// serde is marked pure: a bundle that never uses it (nor the `serde` object) leaves the library out.
let encoder: Encoder | undefined;
let decoder: Decoder | undefined;

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
  /**
   * JSON text for people and tools (the Restate UI's serde preview). Byte strings are shown as
   * arrays of numbers and read back as such; an empty body (`undefined`) is shown as `null`.
   */
  readonly preview: {
    toJsonString(value: unknown): string;
    fromJsonString<T>(json: string): T;
  };
  serialize<T>(value: T): Uint8Array;
  deserialize<T>(data: Uint8Array): T;
}

/** JSON has no bytes: show them as the numbers they hold rather than as `{"0":…}`. */
function bytesAsNumbers(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Array.from(value) : value;
}

/**
 * A compact binary serde that, unlike JSON, keeps `Uint8Array` values as bytes.
 *
 * `undefined` is written as an empty body, as with `serde.json`, so `void` behaves the same.
 * Like `serde.json`, it does not check that the decoded value is a `T`.
 *
 * @example
 * ```ts
 * const bytes = msgpack.serialize({ name: "x", blob: new Uint8Array([1, 2]) });
 * ```
 * @throws {TerminalError} code 400 from `deserialize` when the bytes are not valid MessagePack.
 */
export const msgpack: MsgpackSerde = /* @__PURE__ */ Object.freeze({
  contentType: "application/msgpack",
  preview: /* @__PURE__ */ Object.freeze({
    toJsonString: (value: unknown): string => JSON.stringify(value ?? null, bytesAsNumbers),
    fromJsonString: <T>(json: string): T => JSON.parse(json) as T,
  }),
  serialize<T>(value: T): Uint8Array {
    return value === undefined ? new Uint8Array(0) : (encoder ??= new Encoder()).encode(value);
  },
  deserialize<T>(data: Uint8Array): T {
    if (data.length === 0) return undefined as T;
    try {
      return (decoder ??= new Decoder()).decode(data) as T;
    } catch (cause) {
      // As with JSON: malformed bytes fail the same way on every retry.
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new TerminalError(`Invalid MessagePack: ${reason}`, { errorCode: 400, cause });
    }
  },
});
