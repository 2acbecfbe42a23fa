// SPDX-License-Identifier: MIT
import { TerminalError } from "../errors.js";

const encoder = new TextEncoder();
// `fatal` makes malformed UTF-8 an error rather than silently replacing it with U+FFFD.
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The JSON serde's type: its methods are generic, so it is a `Serde<T>` for every `T`.
 *
 * @example
 * ```ts
 * const order: Serde<{ id: string }> = serde.json;
 * ```
 */
export interface JsonSerde {
  readonly contentType: "application/json";
  serialize<T>(value: T): Uint8Array;
  deserialize<T>(data: Uint8Array): T;
}

/**
 * The default serde: UTF-8 JSON, with `undefined` written as an empty body and read back from one.
 *
 * The empty-body rule is how Restate SDKs represent `void` inputs and outputs. The decoded value
 * is not checked against `T`; use `serde.schema()` when the input must be validated.
 *
 * @example
 * ```ts
 * const bytes = json.serialize({ id: "a" });
 * const value = json.deserialize<{ id: string }>(bytes);
 * ```
 * @throws {TerminalError} code 400 from `deserialize` when the bytes are not valid JSON.
 */
export const json: JsonSerde = Object.freeze({
  contentType: "application/json",
  serialize<T>(value: T): Uint8Array {
    // JSON.stringify returns undefined (not a string) for undefined, functions and symbols.
    const text = JSON.stringify(value) as string | undefined;
    return text === undefined ? new Uint8Array(0) : encoder.encode(text);
  },
  deserialize<T>(data: Uint8Array): T {
    if (data.length === 0) return undefined as T;
    try {
      return JSON.parse(decoder.decode(data)) as T;
    } catch (cause) {
      // Bad bytes stay bad on every retry, so the failure is terminal.
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new TerminalError(`Invalid JSON: ${reason}`, { errorCode: 400, cause });
    }
  },
});
