// SPDX-License-Identifier: MIT
// Message equality for the replay check, on protobuf-es's reflection. protobuf-es's own `equals`
// also unpacks `google.protobuf.Any`, for which it imports every well-known type and the enums of
// descriptor.proto (about 9 kB of a Worker bundle, all parsed at start-up); protocol.proto has no
// Any, extension or unknown-field comparison to make, so only the field-by-field rule is kept:
// a field set in one message and not the other differs; fields set in both compare by value
// (IEEE for floats, byte by byte for bytes).
import type { DescField, DescMessage, MessageShape } from "@bufbuild/protobuf";
import {
  reflect,
  scalarEquals,
  type ReflectList,
  type ReflectMap,
  type ReflectMessage,
} from "@bufbuild/protobuf/reflect";

/**
 * Whether `a` and `b` hold the same field values: protobuf-es's `equals(schema, a, b)` with its
 * default options.
 */
export function messageEquals<Desc extends DescMessage>(
  schema: Desc,
  a: MessageShape<Desc>,
  b: MessageShape<Desc>,
): boolean {
  if (a.$typeName !== schema.typeName || b.$typeName !== schema.typeName) return false;
  return a === b || reflectedEquals(reflect(schema, a), reflect(schema, b));
}

function reflectedEquals(a: ReflectMessage, b: ReflectMessage): boolean {
  return a.fields.every((field) => fieldEquals(field, a, b));
}

function fieldEquals(field: DescField, a: ReflectMessage, b: ReflectMessage): boolean {
  const isSet = a.isSet(field);
  if (isSet !== b.isSet(field)) return false;
  if (!isSet) return true;
  switch (field.fieldKind) {
    case "scalar":
      return scalarEquals(field.scalar, a.get(field), b.get(field));
    case "enum":
      return a.get(field) === b.get(field);
    case "message":
      return reflectedEquals(a.get(field), b.get(field));
    case "list":
      return listEquals(field, a.get(field), b.get(field));
    case "map":
      return mapEquals(field, a.get(field), b.get(field));
  }
}

function itemEquals(
  field: DescField & { fieldKind: "list" | "map" },
  x: unknown,
  y: unknown,
): boolean {
  if (x === y) return true;
  const kind = field.fieldKind === "list" ? field.listKind : field.mapKind;
  if (kind === "message") return reflectedEquals(x as ReflectMessage, y as ReflectMessage);
  if (kind === "scalar" && field.scalar !== undefined) {
    return scalarEquals(field.scalar, x as never, y as never);
  }
  return false;
}

function listEquals(field: DescField & { fieldKind: "list" }, a: ReflectList, b: ReflectList) {
  if (a.size !== b.size) return false;
  for (let i = 0; i < a.size; i++) if (!itemEquals(field, a.get(i), b.get(i))) return false;
  return true;
}

function mapEquals(field: DescField & { fieldKind: "map" }, a: ReflectMap, b: ReflectMap) {
  if (a.size !== b.size) return false;
  for (const [key, value] of a) {
    if (!b.has(key) || !itemEquals(field, value, b.get(key))) return false;
  }
  return true;
}
