// SPDX-License-Identifier: MIT
import { TerminalError } from "../errors.js";
import { json } from "./json.js";
import type { Serde } from "./serde.js";
import type {
  StandardJSONSchemaV1,
  StandardSchemaV1,
  StandardSchemaV1InferOutput,
  StandardSchemaV1Issue,
  StandardSchemaV1Result,
} from "./standard-schema.js";

/**
 * Options of {@link schema}; every field may be omitted.
 *
 * @example
 * ```ts
 * serde.schema(mySchema, { jsonSchema: { type: "string", format: "email" } });
 * ```
 */
export interface SchemaOptions {
  /** The JSON Schema to advertise; overrides the one derived from the schema itself. */
  readonly jsonSchema: object;
}

/** Issues beyond this count are summarised, so one bad array cannot produce a huge message. */
const MAX_LISTED_ISSUES = 10;

/**
 * A JSON serde that validates what it reads against a Standard Schema (zod 4, valibot, arktype…).
 *
 * The JSON Schema advertised at discovery comes from `options.jsonSchema`, or else from the
 * schema itself when it implements Standard JSON Schema (zod 4.6 does) or zod's `toJSONSchema()`
 * method. Asking the schema object means this module never imports zod, so users of other
 * libraries need not install it. Values are only validated on `deserialize`.
 *
 * @example
 * ```ts
 * const Order = z.object({ id: z.string(), qty: z.number().int() });
 * const orderSerde = serde.schema(Order); // Serde<{ id: string; qty: number }>
 * ```
 * @throws {TerminalError} from `deserialize`: code 400 when the input is invalid, naming each
 * offending path; code 500 when the schema validates asynchronously, which is not supported.
 */
export function schema<S extends StandardSchemaV1>(
  s: S,
  options?: Partial<SchemaOptions>,
): Serde<StandardSchemaV1InferOutput<S>> {
  type T = StandardSchemaV1InferOutput<S>;
  const base = {
    contentType: "application/json",
    serialize: (value: T): Uint8Array => json.serialize(value),
    deserialize: (data: Uint8Array): T => validate(s, json.deserialize(data)),
  };
  if (options?.jsonSchema !== undefined) {
    return Object.freeze({ ...base, jsonSchema: options.jsonSchema });
  }
  const convert = jsonSchemaConverter(s);
  if (convert === undefined) return Object.freeze(base);
  // Converting is computed on first use (discovery), not when the service is defined.
  let cached: object | undefined;
  return Object.freeze({
    ...base,
    get jsonSchema(): object {
      return (cached ??= convert());
    },
  });
}

function validate<S extends StandardSchemaV1>(
  s: S,
  value: unknown,
): StandardSchemaV1InferOutput<S> {
  const standard = s["~standard"];
  const result = standard.validate(value);
  if (isPromiseLike(result)) {
    // Nobody will await this promise; keep its rejection from surfacing as unhandled.
    result.then(undefined, () => undefined);
    throw new TerminalError(
      `serde.schema(): the ${standard.vendor} schema validated asynchronously, but deserialize ` +
        `is synchronous; async schemas (such as async refinements) are not supported`,
      { errorCode: 500 },
    );
  }
  if (result.issues !== undefined) {
    throw new TerminalError(describeIssues(result.issues), { errorCode: 400 });
  }
  return result.value;
}

function isPromiseLike<T>(
  result: StandardSchemaV1Result<T> | PromiseLike<StandardSchemaV1Result<T>>,
): result is PromiseLike<StandardSchemaV1Result<T>> {
  return typeof (result as Partial<PromiseLike<unknown>>).then === "function";
}

function describeIssues(issues: ReadonlyArray<StandardSchemaV1Issue>): string {
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map(describeIssue);
  const more = issues.length - listed.length;
  return `Invalid input: ${listed.join("; ")}${more > 0 ? ` (and ${more} more)` : ""}`;
}

function describeIssue(issue: StandardSchemaV1Issue): string {
  const path = formatPath(issue.path ?? []);
  return path === "" ? issue.message : `at "${path}": ${issue.message}`;
}

/** Writes a path as `items[0].name`; the Standard allows bare keys or `{ key }` objects. */
function formatPath(path: NonNullable<StandardSchemaV1Issue["path"]>): string {
  let out = "";
  for (const segment of path) {
    const key = typeof segment === "object" ? segment.key : segment;
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

function jsonSchemaConverter(s: StandardSchemaV1): (() => object) | undefined {
  if (hasStandardJsonSchema(s)) {
    const converter = s["~standard"].jsonSchema;
    // The input side is what `deserialize` accepts. zod reads `unrepresentable`: with "any",
    // types JSON Schema cannot express (dates, transforms) become `{}` rather than throwing.
    const options = { target: "draft-2020-12", libraryOptions: { unrepresentable: "any" } };
    return () => orAnything(() => converter.input(options));
  }
  if (hasZodToJsonSchema(s)) {
    return () => orAnything(() => s.toJSONSchema({ io: "input", unrepresentable: "any" }));
  }
  return undefined;
}

/** Falls back to `{}` (any value) so a schema that cannot be described never breaks discovery. */
function orAnything(convert: () => object): object {
  try {
    return convert();
  } catch {
    return {};
  }
}

function hasStandardJsonSchema(s: StandardSchemaV1): s is StandardSchemaV1 & StandardJSONSchemaV1 {
  const standard: object = s["~standard"];
  return (
    "jsonSchema" in standard &&
    typeof standard.jsonSchema === "object" &&
    standard.jsonSchema !== null &&
    "input" in standard.jsonSchema &&
    typeof standard.jsonSchema.input === "function"
  );
}

/** Fallback for zod 4 builds with no `~standard.jsonSchema` but a `toJSONSchema()` method. */
function hasZodToJsonSchema(
  s: StandardSchemaV1,
): s is StandardSchemaV1 & { toJSONSchema(params: object): object } {
  return "_zod" in s && "toJSONSchema" in s && typeof s.toJSONSchema === "function";
}
