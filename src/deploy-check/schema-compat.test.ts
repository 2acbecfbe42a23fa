// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { compareSchemas } from "./schema-compat.js";

const person = {
  type: "object",
  properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } },
  required: ["name"],
};

describe("compareSchemas", () => {
  it("accepts identical, absent and widened schemas", () => {
    expect(compareSchemas(person, structuredClone(person)).verdict).toBe("compatible");
    expect(compareSchemas(person, undefined).verdict).toBe("compatible");
    expect(compareSchemas({ type: "string" }, { type: ["string", "null"] }).verdict).toBe(
      "compatible",
    );
    expect(compareSchemas({ type: "integer" }, { type: "number" }).verdict).toBe("compatible");
    expect(
      compareSchemas(person, { ...person, required: [] }).verdict,
      "a property no longer required",
    ).toBe("compatible");
    expect(compareSchemas({ enum: ["a", "b"] }, { type: "string", maxLength: 3 }).verdict).toBe(
      "compatible",
    );
    expect(
      compareSchemas({ type: "number", minimum: 5 }, { type: "number", minimum: 0 }).verdict,
    ).toBe("compatible");
  });

  it("reports a narrowed schema with the path and the reason", () => {
    expect(compareSchemas(person, { ...person, required: ["name", "age"] })).toEqual({
      verdict: "narrowed",
      reasons: ["/age: now required"],
    });
    const adult = {
      ...person,
      properties: { ...person.properties, age: { type: "integer", minimum: 18 } },
    };
    expect(compareSchemas(person, adult)).toEqual({
      verdict: "narrowed",
      reasons: ["/age: minimum 0 → 18"],
    });
    expect(compareSchemas({ type: ["string", "number"] }, { type: "string" })).toEqual({
      verdict: "narrowed",
      reasons: ["/: type number no longer accepted"],
    });
    expect(compareSchemas({ enum: ["a", "b", "c"] }, { enum: ["a", "b"] })).toEqual({
      verdict: "narrowed",
      reasons: ['/: "c" no longer accepted'],
    });
    expect(compareSchemas({ type: "number" }, { type: "integer" }).verdict).toBe("narrowed");
    expect(
      compareSchemas(
        { type: "array", items: { type: "string" } },
        { type: "array", items: { type: "string", minLength: 1 } },
      ),
    ).toEqual({ verdict: "narrowed", reasons: ["/items: minLength 1"] });
    expect(compareSchemas(undefined, { type: "string" }).verdict).toBe("narrowed");
    expect(compareSchemas(person, { ...person, additionalProperties: false }).reasons).toEqual([
      "/: additional properties no longer accepted",
    ]);
  });

  it("judges every bound by its direction: a lower bound may fall, an upper bound may rise", () => {
    const bounds = [
      ["minimum", 0, 5],
      ["exclusiveMinimum", 0, 5],
      ["minLength", 1, 3],
      ["minItems", 1, 3],
    ] as const;
    for (const [keyword, low, high] of bounds) {
      const type = keyword.endsWith("Items")
        ? "array"
        : keyword.endsWith("Length")
          ? "string"
          : "number";
      expect(compareSchemas({ type, [keyword]: high }, { type, [keyword]: low }).verdict).toBe(
        "compatible",
      );
      expect(compareSchemas({ type, [keyword]: low }, { type, [keyword]: high })).toEqual({
        verdict: "narrowed",
        reasons: [`/: ${keyword} ${low} → ${high}`],
      });
    }
    for (const keyword of ["maximum", "exclusiveMaximum", "maxLength", "maxItems"] as const) {
      const type = keyword.endsWith("Items")
        ? "array"
        : keyword.endsWith("Length")
          ? "string"
          : "number";
      expect(compareSchemas({ type, [keyword]: 3 }, { type, [keyword]: 9 }).verdict).toBe(
        "compatible",
      );
      expect(compareSchemas({ type }, { type, [keyword]: 9 })).toEqual({
        verdict: "narrowed",
        reasons: [`/: ${keyword} 9`],
      });
    }
  });

  it("treats a schema of annotations only as accepting anything", () => {
    const annotated = { title: "Any", description: "whatever", $comment: "x", default: 1 };
    expect(compareSchemas({ type: "string" }, annotated).verdict).toBe("compatible");
    expect(compareSchemas(annotated, { type: "string" }).reasons).toEqual([
      "/: any value was accepted, now only values matching a schema",
    ]);
    expect(compareSchemas({ type: "string" }, { type: "string", readOnly: true }).verdict).toBe(
      "compatible",
    );
  });

  it("says unknown rather than compatible when it cannot tell", () => {
    expect(compareSchemas({ type: "string" }, { type: "string", not: { const: "x" } })).toEqual({
      verdict: "unknown",
      reasons: ["/: cannot compare not"],
    });
    const withNickname = {
      ...person,
      properties: { ...person.properties, nickname: { type: "string" } },
    };
    expect(compareSchemas(person, withNickname).verdict).toBe("unknown");
  });

  it("compares old union branches one by one", () => {
    const old = { anyOf: [{ type: "string" }, { type: "number" }] };
    expect(compareSchemas(old, { type: ["string", "number"] }).verdict).toBe("compatible");
    expect(compareSchemas(old, { type: "string" }).verdict).toBe("narrowed");
    expect(
      compareSchemas({ type: "string" }, { anyOf: [{ type: "number" }, { type: "string" }] })
        .verdict,
    ).toBe("compatible");
  });

  it("works on the JSON schemas zod writes", () => {
    const v1 = z.toJSONSchema(z.object({ item: z.string(), quantity: z.number().int().min(1) }));
    const widened = z.toJSONSchema(
      z.object({ item: z.string(), quantity: z.number().int().min(1).optional() }),
    );
    const narrowed = z.toJSONSchema(
      z.object({ item: z.string().min(3), quantity: z.number().int().min(1) }),
    );
    expect(compareSchemas(v1, widened).verdict).toBe("compatible");
    expect(compareSchemas(v1, narrowed)).toEqual({
      verdict: "narrowed",
      reasons: ["/item: minLength 3"],
    });
  });
});
