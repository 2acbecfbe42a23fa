// SPDX-License-Identifier: MIT
import { binary } from "./binary.js";
import { empty } from "./empty.js";
import { json } from "./json.js";
import { msgpack } from "./msgpack.js";
import { schema } from "./schema.js";

/**
 * The built-in serdes: `json` (the default), `binary`, `empty`, `msgpack` and `schema(…)`.
 *
 * @example
 * ```ts
 * const input = serde.schema(Order);
 * const output = serde.binary;
 * ```
 */
export const serde = { json, binary, empty, msgpack, schema } as const;

export { binary } from "./binary.js";
export { empty } from "./empty.js";
export { json } from "./json.js";
export type { JsonSerde } from "./json.js";
export { msgpack } from "./msgpack.js";
export type { MsgpackSerde } from "./msgpack.js";
export { schema } from "./schema.js";
export type { SchemaOptions } from "./schema.js";
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
