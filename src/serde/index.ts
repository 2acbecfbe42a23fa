// SPDX-License-Identifier: MIT
/**
 * The built-in serdes, as a namespace: `json` (the default) and its class `JsonSerde`, `binary`,
 * `empty`, `msgpack` and `schema(…)`.
 *
 * @example
 * ```ts
 * const input = serde.schema(Order);
 * const output = serde.binary;
 * ```
 */
export * as serde from "./namespace.js";

export { binary } from "./binary.js";
export { empty } from "./empty.js";
export { json, JsonSerde } from "./json.js";
export { msgpack } from "./msgpack.js";
export type { MsgpackSerde } from "./msgpack.js";
export { schema } from "./schema.js";
export type { Serde } from "./serde.js";
export type {
  StandardJSONSchemaV1,
  StandardJSONSchemaV1Converter,
  StandardJSONSchemaV1Options,
  StandardSchemaV1,
  StandardSchemaV1InferOutput,
  StandardSchemaV1Issue,
  StandardSchemaV1Options,
  StandardSchemaV1PathSegment,
  StandardSchemaV1Props,
  StandardSchemaV1Result,
  StandardSchemaV1Types,
} from "./standard-schema.js";
