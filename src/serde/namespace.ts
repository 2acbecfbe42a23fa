// SPDX-License-Identifier: MIT
// The members of the `serde` namespace (`serde.json`, `serde.JsonSerde`, …), re-exported as one
// module namespace (`export * as serde`). A namespace import that is only read by property
// (`serde.json`) lets bundlers keep just the members used, so a Worker that never names
// `serde.msgpack` carries no MessagePack code. Keep this module free of top-level statements.
export { binary } from "./binary.js";
export { empty } from "./empty.js";
export { json, JsonSerde } from "./json.js";
export { msgpack } from "./msgpack.js";
export { schema } from "./schema.js";
