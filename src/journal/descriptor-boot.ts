// SPDX-License-Identifier: MIT
// Builds the protocol's file descriptor from a compact literal (gen/protocol_boot.ts) and hands it
// to protobuf-es's registry. protoc-gen-es embeds descriptors as base64 of a FileDescriptorProto,
// and decoding that needs the schema of descriptor.proto itself (google/protobuf/descriptor_pb,
// 25 kB minified, an eighth of a Worker bundle, parsed at every cold start). The literal holds
// the same facts for the only shapes protocol.proto uses: proto3 messages with scalar and message
// fields, repeated fields, oneofs and `optional`. Everything else is protobuf-es as generated.
import { createFileRegistry, type DescFile, type Message } from "@bufbuild/protobuf";
import type { GenMessage } from "@bufbuild/protobuf/codegenv2";
import { protoCamelCase } from "@bufbuild/protobuf/reflect";
import type {
  DescriptorProto,
  FieldDescriptorProto,
  FileDescriptorProto,
  OneofDescriptorProto,
} from "@bufbuild/protobuf/wkt";

/**
 * One field: name, number, type (FieldDescriptorProto.Type), then optionally whether it is
 * repeated, the name of a message field's type (in the file's package), the index of its oneof
 * and whether it is a proto3 `optional` (whose oneof is synthetic).
 */
export type BootField = readonly [
  name: string,
  number: number,
  type: number,
  isRepeated?: 0 | 1,
  typeName?: string,
  oneofIndex?: number,
  isProto3Optional?: 0 | 1,
];

/** One message: its name, fields and oneof names (none nested: protocol.proto has none). */
export type BootMessage = readonly [name: string, fields: readonly BootField[], oneofs?: string[]];

/** A proto3 file of top-level messages only. */
export interface BootFile {
  readonly name: string;
  readonly package: string;
  readonly messages: readonly BootMessage[];
}

const LABEL_OPTIONAL = 1;
const LABEL_REPEATED = 3;

// Defaults on the prototype, set fields as own properties: as descriptor messages are read by
// protobuf-es (presence of `oneofIndex` is an own property that is not undefined). Not frozen:
// an own property cannot be assigned over a read-only inherited one.
const FIELD_DEFAULTS = {
  extendee: "",
  defaultValue: "",
  oneofIndex: 0,
  proto3Optional: false,
  typeName: "",
};

function bootField(
  pkg: string,
  [name, number, type, isRepeated, typeName, oneof, isOptional]: BootField,
): FieldDescriptorProto {
  const field: Record<string, unknown> = Object.create(FIELD_DEFAULTS) as Record<string, unknown>;
  Object.assign(field, {
    $typeName: "google.protobuf.FieldDescriptorProto",
    name,
    number,
    type,
    label: isRepeated === 1 ? LABEL_REPEATED : LABEL_OPTIONAL,
    jsonName: protoCamelCase(name),
  });
  if (typeName !== undefined && typeName !== "") field["typeName"] = `.${pkg}.${typeName}`;
  if (oneof !== undefined && oneof >= 0) field["oneofIndex"] = oneof;
  if (isOptional === 1) field["proto3Optional"] = true;
  return field as unknown as FieldDescriptorProto;
}

function bootMessage(pkg: string, [name, fields, oneofs = []]: BootMessage): DescriptorProto {
  const oneofDecl = oneofs.map((oneof): OneofDescriptorProto => ({
    $typeName: "google.protobuf.OneofDescriptorProto",
    name: oneof,
  }));
  return {
    $typeName: "google.protobuf.DescriptorProto",
    name,
    field: fields.map((field) => bootField(pkg, field)),
    extension: [],
    nestedType: [],
    enumType: [],
    extensionRange: [],
    oneofDecl,
    reservedRange: [],
    reservedName: [],
    visibility: 0,
  };
}

/**
 * The descriptor of `file`, registered with protobuf-es (names checked as for any hand-made
 * descriptor), as protoc-gen-es's `fileDesc` would return it.
 */
export function bootFile(file: BootFile): DescFile {
  const proto: FileDescriptorProto = {
    $typeName: "google.protobuf.FileDescriptorProto",
    name: file.name,
    package: file.package,
    dependency: [],
    publicDependency: [],
    weakDependency: [],
    optionDependency: [],
    messageType: file.messages.map((message) => bootMessage(file.package, message)),
    enumType: [],
    service: [],
    extension: [],
    syntax: "proto3",
    edition: 0,
  };
  const registered = createFileRegistry(proto, () => undefined).getFile(file.name);
  if (registered === undefined) throw new Error(`${file.name} did not register`);
  return registered;
}

/**
 * {@link bootFile} of a {@link BootFile} written as JSON (how the generated code carries it).
 *
 * @throws on text that is not JSON.
 */
export function bootFileJson(json: string): DescFile {
  return bootFile(JSON.parse(json) as BootFile);
}

/**
 * The `index`-th message of `file` as the generated schema of `Shape`, as protoc-gen-es's
 * `messageDesc` gives it. The shape is a compile-time fact of the generated code: the generator
 * writes each index next to the message type it describes (gen/protocol_boot.ts).
 *
 * @throws when `file` has no such message (the generated file is out of date).
 */
export function messageSchema<Shape extends Message>(
  file: DescFile,
  index: number,
): GenMessage<Shape> {
  const desc = file.messages[index];
  if (desc === undefined) throw new Error(`${file.name} has no message #${index}`);
  // The same narrowing protobuf-es's messageDesc makes: GenMessage only adds the field types.
  return desc as GenMessage<Shape>;
}
