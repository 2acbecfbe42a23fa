// SPDX-License-Identifier: MIT

/**
 * Converts values of type `T` to and from the bytes Restate stores and sends.
 *
 * @example
 * ```ts
 * const upper: Serde<string> = {
 *   contentType: "text/plain",
 *   serialize: (value) => new TextEncoder().encode(value.toUpperCase()),
 *   deserialize: (data) => new TextDecoder().decode(data),
 * };
 * ```
 */
export interface Serde<T> {
  /** The MIME type of the bytes; absent means the value has no body at all. */
  readonly contentType?: string;
  /** A JSON Schema of the bytes, advertised in the discovery manifest (none when undefined). */
  readonly jsonSchema?: object | undefined;
  /**
   * Converts values to and from JSON text for people and tools (the Restate UI), for serdes whose
   * bytes are not JSON already (protobuf, MessagePack…). Either method may be async.
   */
  readonly preview?: {
    toJsonString(value: T): Promise<string> | string;
    fromJsonString(json: string): Promise<T> | T;
  };
  serialize(value: T): Uint8Array;
  deserialize(data: Uint8Array): T;
}
