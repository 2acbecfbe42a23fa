// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { binary, empty, json, msgpack, schema, serde } from "./index.js";

describe("serde", () => {
  it("groups the built-in serdes", () => {
    expect(serde).toEqual({ json, binary, empty, msgpack, schema });
  });

  it("freezes the shared serdes so one user cannot change them for all", () => {
    for (const s of [json, binary, empty, msgpack]) expect(Object.isFrozen(s)).toBe(true);
  });
});
