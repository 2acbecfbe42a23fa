// SPDX-License-Identifier: MIT
import { describe, expect, expectTypeOf, it, vi } from "vitest";
import { z } from "zod";
import { TerminalError } from "../errors.js";
import { json } from "./json.js";
import { schema } from "./schema.js";
import type { Serde } from "./serde.js";
import type { StandardSchemaV1 } from "./standard-schema.js";

const Person = z.object({
  name: z.string(),
  address: z.object({ zip: z.string() }),
});

/** Runs `deserialize` and returns the TerminalError it throws. */
function failure(run: () => unknown): TerminalError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(TerminalError);
    return e as TerminalError;
  }
  throw new Error("expected deserialize to throw");
}

/** A hand-written Standard Schema: positive integers, no schema library involved. */
const positiveInt: StandardSchemaV1<unknown, number> = {
  "~standard": {
    version: 1,
    vendor: "hand-written",
    validate: (value) =>
      Number.isInteger(value) && (value as number) > 0
        ? { value: value as number }
        : { issues: [{ message: "Expected a positive integer", path: [{ key: "count" }] }] },
  },
};

describe("serde.schema with zod", () => {
  const people = schema(Person);

  it("infers the value type from the schema", () => {
    expectTypeOf(people).toEqualTypeOf<Serde<{ name: string; address: { zip: string } }>>();
  });

  it("round-trips valid values as JSON", () => {
    const ada = { name: "Ada", address: { zip: "12345" } };
    expect(people.contentType).toBe("application/json");
    expect(people.serialize(ada)).toEqual(json.serialize(ada));
    expect(people.deserialize(people.serialize(ada))).toEqual(ada);
  });

  it("returns the parsed value, so transforms apply", () => {
    const lengths = schema(z.object({ n: z.string().transform((s) => s.length) }));
    expect(lengths.deserialize(json.serialize({ n: "abc" }))).toEqual({ n: 3 });
  });

  it("names nested paths and messages in a terminal 400", () => {
    const e = failure(() =>
      people.deserialize(json.serialize({ name: "Ada", address: { zip: 5 } })),
    );
    expect(e.code).toBe(400);
    expect(e.message).toMatch(/^Invalid input: /);
    expect(e.message).toContain('at "address.zip": ');
    expect(e.message).toContain("expected string, received number");
  });

  it("lists several issues and writes array indexes in brackets", () => {
    const list = schema(z.object({ items: z.array(z.object({ sku: z.string() })) }));
    const e = failure(() =>
      list.deserialize(json.serialize({ items: [{ sku: "a" }, { sku: 1 }, {}] })),
    );
    expect(e.message).toContain('at "items[1].sku"');
    expect(e.message).toContain('at "items[2].sku"');
    expect(e.message).toContain("; ");
  });

  it("summarises long issue lists", () => {
    const e = failure(() => schema(z.array(z.string())).deserialize(json.serialize(range(15))));
    expect(e.message).toContain('at "[9]"');
    expect(e.message).not.toContain('at "[10]"');
    expect(e.message).toMatch(/\(and 5 more\)$/);
  });

  it("validates an empty body as undefined", () => {
    expect(schema(z.undefined()).deserialize(new Uint8Array(0))).toBeUndefined();
    expect(failure(() => people.deserialize(new Uint8Array(0))).code).toBe(400);
  });

  it("rejects async schemas with a clear terminal 500", () => {
    const slow = schema(z.string().refine(async () => Promise.resolve(true)));
    const e = failure(() => slow.deserialize(json.serialize("x")));
    expect(e.code).toBe(500);
    expect(e.message).toContain("async schemas");
    expect(e.message).toContain("zod");
  });

  it("derives the JSON Schema of the input from the zod schema", () => {
    expect(people.jsonSchema).toMatchObject({
      type: "object",
      properties: {
        name: { type: "string" },
        address: { type: "object", properties: { zip: { type: "string" } } },
      },
      required: ["name", "address"],
    });
    expect(people.jsonSchema).toBe(people.jsonSchema);
  });

  it("describes the output side, as the official SDK: defaulted fields are required", () => {
    const paged = schema(z.object({ page: z.number().default(1) }));
    expect(paged.jsonSchema).toMatchObject({
      properties: { page: { type: "number" } },
      required: ["page"],
    });
  });

  it("has no JSON Schema for types JSON Schema cannot express, unless zod is told how", () => {
    const At = z.object({ at: z.date() });
    expect(schema(At).jsonSchema).toBeUndefined();
    const anything = schema(At, undefined, { unrepresentable: "any" });
    expect(anything.jsonSchema).toMatchObject({ type: "object", properties: { at: {} } });
  });

  it("passes validateOptions to ~standard.validate, as the official SDK", () => {
    const validate = vi.fn((value: unknown) => ({ value }));
    const spy: StandardSchemaV1 = { "~standard": { version: 1, vendor: "spy", validate } };
    const options = { libraryOptions: { abortEarly: true } };
    schema(spy, options).deserialize(json.serialize(1));
    expect(validate).toHaveBeenLastCalledWith(1, options);
  });

  it("has no content type when the schema accepts undefined (a void value)", () => {
    expect(schema(z.undefined())).not.toHaveProperty("contentType");
    expect(schema(z.string().optional())).not.toHaveProperty("contentType");
    expect(schema(z.string()).contentType).toBe("application/json");
    expect(schema(z.undefined()).serialize(undefined)).toEqual(new Uint8Array(0));
  });
});

describe("serde.schema with a hand-written Standard Schema", () => {
  const counts = schema(positiveInt);

  it("validates through ~standard.validate", () => {
    expectTypeOf(counts).toEqualTypeOf<Serde<number>>();
    expect(counts.deserialize(counts.serialize(7))).toBe(7);
    const e = failure(() => counts.deserialize(json.serialize(-1)));
    expect(e.code).toBe(400);
    expect(e.message).toBe('Invalid input: at "count": Expected a positive integer');
  });

  it("reports issues without a path plainly", () => {
    const never: StandardSchemaV1<unknown, never> = {
      "~standard": { version: 1, vendor: "x", validate: () => ({ issues: [{ message: "No" }] }) },
    };
    expect(failure(() => schema(never).deserialize(json.serialize(1))).message).toBe(
      "Invalid input: No",
    );
  });

  it("rejects a Promise result without leaving an unhandled rejection", async () => {
    const unhandled = vi.fn();
    process.on("unhandledRejection", unhandled);
    try {
      const rejecting: StandardSchemaV1<unknown, number> = {
        "~standard": {
          version: 1,
          vendor: "async-lib",
          validate: () => Promise.reject(new Error("lookup failed")),
        },
      };
      const e = failure(() => schema(rejecting).deserialize(json.serialize(1)));
      expect(e.code).toBe(500);
      expect(e.message).toContain("async-lib");
      // Node reports unhandled rejections once the microtasks run out, before the next macrotask.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off("unhandledRejection", unhandled);
    }
  });

  it("has no JSON Schema unless the schema can describe itself", () => {
    expect(counts.jsonSchema).toBeUndefined();
    expect("jsonSchema" in counts).toBe(false);
  });

  it("uses the Standard JSON Schema of the output, with jsonSchemaOptions, or none if it throws", () => {
    const output = vi.fn(() => ({ type: "integer", minimum: 1 }));
    const input = vi.fn(() => ({ type: "string" }));
    const described = {
      "~standard": { ...positiveInt["~standard"], jsonSchema: { input, output } },
    };
    expect(schema(described, undefined, { io: "x" }).jsonSchema).toEqual({
      type: "integer",
      minimum: 1,
    });
    expect(output).toHaveBeenCalledWith({ target: "draft-2020-12", libraryOptions: { io: "x" } });
    expect(input).not.toHaveBeenCalled();
    const broken = {
      "~standard": {
        ...positiveInt["~standard"],
        jsonSchema: {
          input,
          output: () => {
            throw new Error("unsupported target");
          },
        },
      },
    };
    expect(schema(broken).jsonSchema).toBeUndefined();
  });
});

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
