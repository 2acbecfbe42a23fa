// SPDX-License-Identifier: MIT
import { describe, expect, expectTypeOf, it } from "vitest";
import { TerminalError } from "../errors.js";
import { json, JsonSerde } from "./json.js";
import type { Serde } from "./serde.js";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("serde.json", () => {
  it("round-trips JSON values", () => {
    const values = [{ a: 1, b: [true, null, "é"] }, "hi", 0, false, null, []];
    for (const value of values) {
      expect(json.deserialize(json.serialize(value))).toEqual(value);
    }
  });

  it("writes UTF-8 JSON text", () => {
    expect(new TextDecoder().decode(json.serialize({ name: "Zoë" }))).toBe('{"name":"Zoë"}');
    expect(json.contentType).toBe("application/json");
  });

  it("treats undefined as an empty body, both ways", () => {
    expect(json.serialize(undefined)).toEqual(new Uint8Array(0));
    expect(json.deserialize(new Uint8Array(0))).toBeUndefined();
  });

  it("fails terminally (400) on malformed JSON or UTF-8", () => {
    for (const bad of [text("{not json"), new Uint8Array([0x22, 0xff, 0x22])]) {
      let caught: unknown;
      try {
        json.deserialize(bad);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(TerminalError);
      expect((caught as TerminalError).code).toBe(400);
      expect((caught as TerminalError).message).toMatch(/^Invalid JSON: /);
    }
  });

  it("is a Serde<T> for any T", () => {
    interface Order {
      id: string;
    }
    const order: Serde<Order> = json;
    const nothing: Serde<void> = json;
    expectTypeOf(order.deserialize(json.serialize({ id: "x" }))).toEqualTypeOf<Order>();
    expectTypeOf(json.deserialize<Order>(new Uint8Array(0))).toEqualTypeOf<Order>();
    expect(nothing.serialize()).toEqual(new Uint8Array(0));
  });
});

describe("JsonSerde", () => {
  it("advertises the JSON Schema it was built with, and none by default", () => {
    const described = new JsonSerde<{ a: number }>({ type: "object" });
    expect(described.jsonSchema).toEqual({ type: "object" });
    expect(described.contentType).toBe("application/json");
    expect(json.jsonSchema).toBeUndefined();
    expect("jsonSchema" in new JsonSerde()).toBe(false);
  });

  it("serializes like serde.json", () => {
    const described: Serde<{ a: number }> = new JsonSerde<{ a: number }>({ type: "object" });
    expect(described.serialize({ a: 1 })).toEqual(json.serialize({ a: 1 }));
    expect(described.deserialize(text('{"a":2}'))).toEqual({ a: 2 });
    expect(described.serialize(undefined as unknown as { a: number })).toEqual(new Uint8Array(0));
  });

  it("derives a described serde with the deprecated schema()", () => {
    const derived = json.schema<{ b: string }>({ type: "object", required: ["b"] });
    expect(derived).toBeInstanceOf(JsonSerde);
    expect(derived.jsonSchema).toEqual({ type: "object", required: ["b"] });
    expectTypeOf(derived).toEqualTypeOf<JsonSerde<{ b: string }>>();
  });

  it("keeps the shared serde.json frozen but lets other instances be extended", () => {
    expect(Object.isFrozen(json)).toBe(true);
    expect(Object.isFrozen(new JsonSerde())).toBe(false);
  });
});
