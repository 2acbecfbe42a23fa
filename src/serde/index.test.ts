// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { binary, empty, json, JsonSerde, msgpack, schema, serde } from "./index.js";

describe("serde", () => {
  it("groups the built-in serdes and the JsonSerde class", () => {
    expect({ ...serde }).toEqual({ json, JsonSerde, binary, empty, msgpack, schema });
    expect(serde.json).toBeInstanceOf(serde.JsonSerde);
  });

  it("freezes the shared serdes so one user cannot change them for all", () => {
    for (const s of [json, binary, empty, msgpack]) expect(Object.isFrozen(s)).toBe(true);
  });
});
