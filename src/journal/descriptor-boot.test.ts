// SPDX-License-Identifier: MIT
import { create, fromBinary, toBinary, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { bootFile, messageSchema } from "./descriptor-boot.js";
import * as boot from "./gen/protocol_boot.js";
import * as pb from "./gen/protocol_pb.js";

/** What protobuf-es's codecs read from a field descriptor. */
function fieldFacts(field: DescField): Record<string, unknown> {
  return {
    name: field.name,
    number: field.number,
    localName: field.localName,
    jsonName: field.jsonName,
    fieldKind: field.fieldKind,
    scalar: "scalar" in field ? field.scalar : undefined,
    listKind: "listKind" in field ? field.listKind : undefined,
    message: "message" in field ? field.message?.typeName : undefined,
    oneof: field.oneof?.name,
    presence: field.presence,
    packed: "packed" in field ? field.packed : undefined,
    delimited: "delimitedEncoding" in field ? field.delimitedEncoding : undefined,
    longAsString: "longAsString" in field ? field.longAsString : undefined,
  };
}

function messageFacts(message: DescMessage): Record<string, unknown> {
  return {
    typeName: message.typeName,
    fields: message.fields.map(fieldFacts),
    oneofs: message.oneofs.map((o) => [o.name, o.fields.map((f) => f.name)]),
    members: message.members.map((m) => m.localName),
  };
}

describe("descriptor-boot", () => {
  it("describes every message of protocol.proto exactly as protoc-gen-es's descriptor does", () => {
    expect(boot.file_protocol.messages.map(messageFacts)).toEqual(
      pb.file_protocol.messages.map(messageFacts),
    );
    expect(boot.file_protocol.messages.length).toBeGreaterThan(30);
  });

  it("exports every generated schema under its generated name", () => {
    const names = (module: object): string[] =>
      Object.keys(module).filter((name) => name.endsWith("Schema"));
    expect(names(boot).sort()).toEqual(names(pb).sort());
    expect(boot.CallCommandSchema.typeName).toBe(pb.CallCommandSchema.typeName);
  });

  it("encodes and decodes oneofs, optionals and repeated fields byte for byte alike", () => {
    const start = create(pb.StartMessageSchema, {
      id: new Uint8Array([1, 2]),
      knownEntries: 3,
      stateMap: [{ key: new Uint8Array([7]), value: new Uint8Array([8]) }],
      idempotencyKey: "k",
    });
    const output = create(pb.OutputCommandSchema, {
      name: "out",
      result: { case: "failure", value: { code: 500, message: "boom" } },
    });
    const error = create(pb.ErrorMessageSchema, { code: 570, relatedCommandIndex: 0 });
    for (const [ours, theirs, message] of [
      [boot.StartMessageSchema, pb.StartMessageSchema, start],
      [boot.OutputCommandSchema, pb.OutputCommandSchema, output],
      [boot.ErrorMessageSchema, pb.ErrorMessageSchema, error],
    ] as const) {
      const bytes = toBinary(theirs as DescMessage, message);
      expect(toBinary(ours as DescMessage, message)).toEqual(bytes);
      expect(fromBinary(ours as DescMessage, bytes)).toEqual(
        fromBinary(theirs as DescMessage, bytes),
      );
    }
    // Presence: an explicit 0 in a proto3 optional is kept.
    const decoded = fromBinary(boot.ErrorMessageSchema, toBinary(boot.ErrorMessageSchema, error));
    expect(decoded.relatedCommandIndex).toBe(0);
  });

  it("refuses a message index the file does not have", () => {
    const file = bootFile({ name: "t.proto", package: "t", messages: [["A", [["x", 1, 9]]]] });
    expect(messageSchema(file, 0).typeName).toBe("t.A");
    expect(() => messageSchema(file, 1)).toThrow("t has no message #1");
  });

  it("checks names as for any hand-made descriptor", () => {
    expect(() => bootFile({ name: "t.proto", package: "t", messages: [["A-B", []]] })).toThrow();
  });
});
