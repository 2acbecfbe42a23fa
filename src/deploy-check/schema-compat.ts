// SPDX-License-Identifier: MIT
// A conservative check that a new JSON schema accepts every value an old one accepted. "Narrowed"
// means a value exists that the old schema accepted and the new one rejects, shown by a keyword
// that plainly says so (a new required property, a removed type, a tighter bound…). Anything the
// check cannot reason about is "unknown", never "compatible".

/**
 * The verdict of {@link compareSchemas}, with the reasons (JSON-pointer-like path + why).
 *
 * @example
 * const r: SchemaCompatibility = { verdict: "narrowed", reasons: ["/age: minimum 0 → 18"] };
 */
export interface SchemaCompatibility {
  readonly verdict: "compatible" | "narrowed" | "unknown";
  readonly reasons: readonly string[];
}

type Obj = Record<string, unknown>;
type Schema = boolean | Obj;

/** Keywords that describe a value without constraining it. */
const ANNOTATIONS = new Set([
  "$schema",
  "$id",
  "$comment",
  "title",
  "description",
  "examples",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
]);

/** Keywords the comparison understands; any other keyword in the new schema makes it unknown. */
const KNOWN = new Set([
  ...ANNOTATIONS,
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "anyOf",
  "oneOf",
  "nullable",
]);

const ALL_TYPES = ["null", "boolean", "object", "array", "number", "string"] as const;

/**
 * Does `next` accept every value `previous` accepted? An absent schema accepts anything.
 *
 * @example
 * compareSchemas({ type: "string" }, { type: ["string", "null"] }).verdict; // "compatible"
 * compareSchemas({ type: "object" }, { type: "object", required: ["id"] }).verdict; // "narrowed"
 */
export function compareSchemas(previous: unknown, next: unknown): SchemaCompatibility {
  const reasons: { narrowed: string[]; unknown: string[] } = { narrowed: [], unknown: [] };
  compare(toSchema(previous), toSchema(next), "", reasons);
  if (reasons.narrowed.length > 0) return { verdict: "narrowed", reasons: reasons.narrowed };
  if (reasons.unknown.length > 0) return { verdict: "unknown", reasons: reasons.unknown };
  return { verdict: "compatible", reasons: [] };
}

interface Reasons {
  readonly narrowed: string[];
  readonly unknown: string[];
}

function toSchema(value: unknown): Schema {
  if (value === undefined || value === null) return true;
  if (typeof value === "boolean") return value;
  if (typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  return true;
}

function isAnything(schema: Schema): boolean {
  if (schema === true) return true;
  if (schema === false) return false;
  return Object.keys(schema).every((k) => ANNOTATIONS.has(k));
}

function compare(old: Schema, next: Schema, path: string, out: Reasons): void {
  if (old === false || isAnything(next)) return;
  const where = path === "" ? "/" : path;
  if (next === false) {
    out.narrowed.push(`${where}: the new schema accepts nothing`);
    return;
  }
  if (old === true || next === true || isAnything(old)) {
    out.narrowed.push(`${where}: any value was accepted, now only values matching a schema`);
    return;
  }
  if (deepEqual(old, next)) return;
  const unknownKeywords = Object.keys(next).filter((k) => !KNOWN.has(k));
  if (unknownKeywords.length > 0) {
    out.unknown.push(`${where}: cannot compare ${unknownKeywords.join(", ")}`);
    return;
  }
  if (Array.isArray(old["anyOf"]) || Array.isArray(old["oneOf"])) {
    const branches = (old["anyOf"] ?? old["oneOf"]) as unknown[];
    const rest = withoutUnion(old);
    for (const branch of branches) compare(merge(rest, toSchema(branch)), next, path, out);
    return;
  }
  if (Array.isArray(next["anyOf"]) || Array.isArray(next["oneOf"])) {
    compareToUnion(old, next, where, out);
    return;
  }
  if (!compareEnums(old, next, where, out)) return;
  const oldTypes = typesOf(old);
  const newTypes = typesOf(next);
  const lost = oldTypes.filter(
    (t) => !newTypes.includes(t) && !(t === "integer" && newTypes.includes("number")),
  );
  if (lost.length > 0) {
    out.narrowed.push(`${where}: type ${lost.join(", ")} no longer accepted`);
    return;
  }
  if (oldTypes.includes("string")) compareString(old, next, where, out);
  if (oldTypes.includes("number") || oldTypes.includes("integer")) {
    compareNumber(old, next, where, out);
  }
  if (oldTypes.includes("array")) compareArray(old, next, path, out);
  if (oldTypes.includes("object")) compareObject(old, next, path, out);
}

/** `next` is a union: enough if one branch accepts all of `old` (a sufficient test only). */
function compareToUnion(old: Obj, next: Obj, where: string, out: Reasons): void {
  const rest = withoutUnion(next);
  const branches = (next["anyOf"] ?? next["oneOf"]) as unknown[];
  for (const branch of branches) {
    const trial: Reasons = { narrowed: [], unknown: [] };
    compare(old, merge(rest, toSchema(branch)), where === "/" ? "" : where, trial);
    if (trial.narrowed.length === 0 && trial.unknown.length === 0) return;
  }
  out.unknown.push(`${where}: no single branch of the new union covers the old schema`);
}

function withoutUnion(schema: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...schema };
  delete rest["anyOf"];
  delete rest["oneOf"];
  return rest;
}

function merge(base: Record<string, unknown>, branch: Schema): Schema {
  if (typeof branch === "boolean") return Object.keys(base).length === 0 ? branch : base;
  return { ...base, ...branch };
}

/** Returns false when enums decided the comparison (and the rest must not be compared). */
function compareEnums(old: Obj, next: Obj, where: string, out: Reasons): boolean {
  const oldValues = enumOf(old);
  const newValues = enumOf(next);
  if (oldValues !== undefined) {
    const show = (values: unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");
    const results = oldValues.map((v) => acceptsValue(next, v));
    const rejected = oldValues.filter((_, i) => results[i] === false);
    const unsure = oldValues.filter((_, i) => results[i] === undefined);
    if (rejected.length > 0) out.narrowed.push(`${where}: ${show(rejected)} no longer accepted`);
    if (unsure.length > 0) out.unknown.push(`${where}: cannot tell whether ${show(unsure)} pass`);
    return false;
  }
  if (newValues !== undefined) {
    out.narrowed.push(`${where}: only ${newValues.map((v) => JSON.stringify(v)).join(", ")} now`);
    return false;
  }
  return true;
}

function enumOf(schema: Record<string, unknown>): unknown[] | undefined {
  if ("const" in schema) return [schema["const"]];
  return Array.isArray(schema["enum"]) ? schema["enum"] : undefined;
}

function typesOf(schema: Record<string, unknown>): string[] {
  const type = schema["type"];
  const types: string[] =
    type === undefined
      ? [...ALL_TYPES]
      : Array.isArray(type)
        ? type.filter((t): t is string => typeof t === "string")
        : typeof type === "string"
          ? [type]
          : [];
  if (schema["nullable"] === true && !types.includes("null")) types.push("null");
  // `integer` is a subset of `number`: a new `number` covers an old `integer`.
  return types.includes("number") ? types.filter((t) => t !== "integer") : types;
}

function compareString(old: Obj, next: Obj, where: string, out: Reasons): void {
  tighter(old, next, "minLength", where, out);
  tighter(old, next, "maxLength", where, out);
  for (const keyword of ["pattern", "format"] as const) {
    if (next[keyword] !== undefined && next[keyword] !== old[keyword]) {
      out.narrowed.push(`${where}: ${keyword} ${JSON.stringify(next[keyword])} added`);
    }
  }
}

function compareNumber(old: Obj, next: Obj, where: string, out: Reasons): void {
  if (typesOf(next).includes("integer") && !typesOf(old).includes("integer")) {
    out.narrowed.push(`${where}: only integers now`);
  }
  tighter(old, next, "minimum", where, out);
  tighter(old, next, "maximum", where, out);
  tighter(old, next, "exclusiveMinimum", where, out);
  tighter(old, next, "exclusiveMaximum", where, out);
  const step = next["multipleOf"];
  if (typeof step === "number") {
    const before = old["multipleOf"];
    if (typeof before !== "number" || before % step !== 0) {
      out.narrowed.push(`${where}: multipleOf ${step} added`);
    }
  }
}

function compareArray(old: Obj, next: Obj, path: string, out: Reasons): void {
  const where = path === "" ? "/" : path;
  tighter(old, next, "minItems", where, out);
  tighter(old, next, "maxItems", where, out);
  if (next["uniqueItems"] === true && old["uniqueItems"] !== true) {
    out.narrowed.push(`${where}: uniqueItems added`);
  }
  if (Array.isArray(next["items"]) || Array.isArray(old["items"])) {
    if (!deepEqual(old["items"], next["items"])) out.unknown.push(`${where}: tuple items changed`);
    return;
  }
  compare(toSchema(old["items"]), toSchema(next["items"]), `${path}/items`, out);
}

function compareObject(old: Obj, next: Obj, path: string, out: Reasons): void {
  const where = path === "" ? "/" : path;
  const oldRequired = new Set(stringList(old["required"]));
  for (const name of stringList(next["required"])) {
    if (!oldRequired.has(name)) out.narrowed.push(`${path}/${name}: now required`);
  }
  const oldProps = record(old["properties"]);
  const newProps = record(next["properties"]);
  const oldExtra = toSchema(old["additionalProperties"]);
  const newExtra = toSchema(next["additionalProperties"]);
  for (const [name, schema] of Object.entries(newProps)) {
    const before = name in oldProps ? toSchema(oldProps[name]) : oldExtra;
    if (!(name in oldProps) && before !== false && !isAnything(toSchema(schema))) {
      // The old schema did not describe this property: callers may have sent anything in it.
      out.unknown.push(`${path}/${name}: new property; old inputs may already carry other values`);
      continue;
    }
    compare(before, toSchema(schema), `${path}/${name}`, out);
  }
  for (const [name, schema] of Object.entries(oldProps)) {
    if (name in newProps) continue;
    if (newExtra === false)
      out.narrowed.push(`${path}/${name}: property removed and extra properties refused`);
    else compare(toSchema(schema), newExtra, `${path}/${name}`, out);
  }
  if (newExtra !== true && oldExtra !== false && !isAnything(newExtra)) {
    if (newExtra === false) out.narrowed.push(`${where}: additional properties no longer accepted`);
    else compare(oldExtra, newExtra, `${path}/*`, out);
  }
}

/**
 * A bound that now excludes values the old one allowed: a lower bound (`minimum`, `minLength`…)
 * that rose, an upper bound that fell, or a bound that is new.
 */
function tighter(old: Obj, next: Obj, keyword: string, where: string, out: Reasons): void {
  const after = next[keyword];
  if (typeof after !== "number") return;
  const before = old[keyword];
  const isLower = keyword.startsWith("min") || keyword === "exclusiveMinimum";
  if (typeof before === "number" && (isLower ? after <= before : after >= before)) return;
  out.narrowed.push(
    `${where}: ${keyword} ${typeof before === "number" ? `${before} → ` : ""}${after}`,
  );
}

/** Checks one concrete value (an old enum member) against a schema: undefined when unsure. */
function acceptsValue(schema: Schema, value: unknown): boolean | undefined {
  if (typeof schema === "boolean") return schema;
  if (Object.keys(schema).some((k) => !KNOWN.has(k))) return undefined;
  const union = schema["anyOf"] ?? schema["oneOf"];
  if (Array.isArray(union)) {
    const rest = withoutUnion(schema);
    const results = union.map((b) => acceptsValue(merge(rest, toSchema(b)), value));
    return results.includes(true) ? true : results.includes(undefined) ? undefined : false;
  }
  const values = enumOf(schema);
  if (values !== undefined) return values.some((v) => deepEqual(v, value));
  if (!typesOf(schema).includes(typeOfValue(value))) {
    const isWhole = typeof value === "number" && Number.isInteger(value);
    if (!(isWhole && typesOf(schema).includes("integer"))) return false;
  }
  if (typeof value === "string") return acceptsString(schema, value);
  if (typeof value === "number") return acceptsNumber(schema, value);
  // Arrays and objects as enum members are rare: compare them exactly or not at all.
  return typeof value === "object" && value !== null ? undefined : true;
}

function typeOfValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "bigint" ? "number" : typeof value;
}

function acceptsString(schema: Record<string, unknown>, value: string): boolean | undefined {
  const { minLength, maxLength, pattern, format } = schema;
  if (typeof minLength === "number" && value.length < minLength) return false;
  if (typeof maxLength === "number" && value.length > maxLength) return false;
  if (format !== undefined) return undefined;
  if (typeof pattern === "string") {
    try {
      return new RegExp(pattern, "u").test(value);
    } catch {
      return undefined;
    }
  }
  return true;
}

function acceptsNumber(schema: Record<string, unknown>, value: number): boolean {
  const bound = (k: string) => {
    const v = schema[k];
    return typeof v === "number" ? v : undefined;
  };
  const [min, max, xmin, xmax, step] = [
    bound("minimum"),
    bound("maximum"),
    bound("exclusiveMinimum"),
    bound("exclusiveMaximum"),
    bound("multipleOf"),
  ];
  if (min !== undefined && value < min) return false;
  if (max !== undefined && value > max) return false;
  if (xmin !== undefined && value <= xmin) return false;
  if (xmax !== undefined && value >= xmax) return false;
  if (step !== undefined && value % step !== 0) return false;
  return true;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
  );
}
