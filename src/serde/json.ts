// SPDX-License-Identifier: MIT
import { TerminalError } from "../errors.js";
import type { Serde } from "./serde.js";

const encoder = new TextEncoder();
// `fatal` makes malformed UTF-8 an error rather than silently replacing it with U+FFFD.
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The JSON serde: UTF-8 JSON, with `undefined` written as an empty body and read back from one.
 *
 * The empty-body rule is how Restate SDKs represent `void` inputs and outputs. The decoded value
 * is not checked against `T`; use `serde.schema()` when the input must be validated. Its methods
 * are generic, so `serde.json` (a `JsonSerde<unknown>`) is a `Serde<T>` for every `T`. Construct
 * one with a JSON Schema to advertise that schema at discovery.
 *
 * @example
 * ```ts
 * const order: Serde<Order> = serde.json;
 * const described = new serde.JsonSerde<Order>({ type: "object", required: ["id"] });
 * ```
 * @throws {TerminalError} code 400 from `deserialize` when the bytes are not valid JSON.
 */
export class JsonSerde<T = unknown> implements Serde<T> {
  readonly contentType = "application/json";
  /** The JSON Schema advertised in the discovery manifest, when one was given. */
  // `declare`: no own property at all (not even `undefined`) when no schema is given.
  declare readonly jsonSchema?: object;

  constructor(jsonSchema?: object) {
    if (jsonSchema !== undefined) this.jsonSchema = jsonSchema;
  }

  serialize<U extends T>(value: U): Uint8Array {
    // JSON.stringify returns undefined (not a string) for undefined, functions and symbols.
    const text = JSON.stringify(value) as string | undefined;
    return text === undefined ? new Uint8Array(0) : encoder.encode(text);
  }

  deserialize<U extends T = T>(data: Uint8Array): U {
    if (data.length === 0) return undefined as U;
    try {
      return JSON.parse(decoder.decode(data)) as U;
    } catch (cause) {
      // Bad bytes stay bad on every retry, so the failure is terminal.
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new TerminalError(`Invalid JSON: ${reason}`, { errorCode: 400, cause });
    }
  }

  /**
   * A JSON serde of `U` that advertises the given JSON Schema (nothing is validated).
   *
   * @deprecated Use `new serde.JsonSerde<U>(jsonSchema)`, or `serde.schema()` to validate too.
   * @example
   * ```ts
   * const described = serde.json.schema<Order>({ type: "object" });
   * ```
   */
  schema<U>(jsonSchema: object): JsonSerde<U> {
    return new JsonSerde<U>(jsonSchema);
  }
}

/**
 * The default serde: a shared, frozen {@link JsonSerde} without a JSON Schema, for any type.
 *
 * @example
 * ```ts
 * const bytes = json.serialize({ id: "a" });
 * const value = json.deserialize<{ id: string }>(bytes);
 * ```
 */
// `any`, as in the official SDK: options built around it (`rpc.opts({ input: serde.json })`) must
// fit any handler's input and output types, and `unknown` would pin them to `unknown`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export const json: JsonSerde<any> = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ new JsonSerde());
