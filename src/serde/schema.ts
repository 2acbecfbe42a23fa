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

/** Issues beyond this count are summarised, so one bad array cannot produce a huge message. */
const MAX_LISTED_ISSUES = 10;

/**
 * A JSON serde that validates what it reads against a Standard Schema (zod 4, valibot, arktype…),
 * with the official SDK's signature and behaviour.
 *
 * - `validateOptions` is passed to the schema's `~standard.validate(value, validateOptions)`.
 * - The JSON Schema advertised at discovery is the schema's own Standard JSON Schema of its output
 *   (`~standard.jsonSchema.output({ target: "draft-2020-12", libraryOptions: jsonSchemaOptions })`,
 *   zod 4.2+ offers it); none when the schema cannot describe itself or the conversion throws. To
 *   advertise another one, spread the serde: `{ ...serde.schema(s), jsonSchema }`.
 * - A schema that accepts `undefined` (a `void` input or output) has no content type: an empty
 *   body, as the official SDK.
 *
 * Asking the schema object means this module never imports zod, so users of other libraries need
 * not install it. Values are only validated on `deserialize`.
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
  validateOptions?: Record<string, unknown>,
  jsonSchemaOptions?: Record<string, unknown>,
): Serde<StandardSchemaV1InferOutput<S>> {
  type T = StandardSchemaV1InferOutput<S>;
  const base = {
    ...(acceptsUndefined(s) ? {} : { contentType: "application/json" }),
    serialize: (value: T): Uint8Array => json.serialize(value),
    deserialize: (data: Uint8Array): T => validate(s, json.deserialize(data), validateOptions),
  };
  if (!hasStandardJsonSchema(s)) return Object.freeze(base);
  const converter = s["~standard"].jsonSchema;
  // Converted on first use (discovery), not when the service is defined.
  let cached: { readonly value: object | undefined } | undefined;
  return Object.freeze({
    ...base,
    get jsonSchema(): object | undefined {
      cached ??= { value: describe(converter, jsonSchemaOptions) };
      return cached.value;
    },
  });
}

/**
 * Whether the schema takes `undefined` (an empty body), checked once: then the value has no body
 * and no content type. An asynchronous answer counts as "no", as in the official SDK.
 */
function acceptsUndefined(s: StandardSchemaV1): boolean {
  const result = s["~standard"].validate(undefined);
  if (isPromiseLike(result)) {
    result.then(undefined, () => undefined);
    return false;
  }
  return result.issues === undefined;
}

function describe(
  converter: StandardJSONSchemaV1["~standard"]["jsonSchema"],
  libraryOptions: Record<string, unknown> | undefined,
): object | undefined {
  try {
    return converter.output({ target: "draft-2020-12", libraryOptions });
  } catch {
    // A schema that cannot be described must never break discovery: advertise none.
    return undefined;
  }
}

function validate<S extends StandardSchemaV1>(
  s: S,
  value: unknown,
  options: Record<string, unknown> | undefined,
): StandardSchemaV1InferOutput<S> {
  const standard = s["~standard"];
  // Passed as the official SDK passes it: as the whole options argument.
  const result = standard.validate(value, options);
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

function hasStandardJsonSchema(s: StandardSchemaV1): s is StandardSchemaV1 & StandardJSONSchemaV1 {
  const standard: object = s["~standard"];
  return (
    "jsonSchema" in standard &&
    typeof standard.jsonSchema === "object" &&
    standard.jsonSchema !== null &&
    "output" in standard.jsonSchema &&
    typeof standard.jsonSchema.output === "function"
  );
}
