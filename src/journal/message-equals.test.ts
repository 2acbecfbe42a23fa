// SPDX-License-Identifier: MIT
import { create, equals, type DescMessage, type Message } from "@bufbuild/protobuf";
import { StructSchema } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import * as pb from "./gen/protocol_pb.js";
import { messageEquals } from "./message-equals.js";

const call = (init: Parameters<typeof create<typeof pb.CallCommandSchema>>[1]) =>
  create(pb.CallCommandSchema, init);

/** Pairs that differ in one respect each, plus equal ones; both functions must agree on all. */
const CASES: readonly (readonly [string, DescMessage, Message, Message])[] = [
  [
    "equal calls",
    pb.CallCommandSchema,
    call({ serviceName: "S", key: "k" }),
    call({ serviceName: "S", key: "k" }),
  ],
  ["a string", pb.CallCommandSchema, call({ serviceName: "S" }), call({ serviceName: "T" })],
  [
    "bytes",
    pb.CallCommandSchema,
    call({ parameter: new Uint8Array([1]) }),
    call({ parameter: new Uint8Array([2]) }),
  ],
  [
    "equal bytes",
    pb.CallCommandSchema,
    call({ parameter: new Uint8Array([1, 2]) }),
    call({ parameter: new Uint8Array([1, 2]) }),
  ],
  [
    "a header list length",
    pb.CallCommandSchema,
    call({ headers: [{ key: "a", value: "1" }] }),
    call({ headers: [] }),
  ],
  [
    "a header in a list",
    pb.CallCommandSchema,
    call({ headers: [{ key: "a", value: "1" }] }),
    call({ headers: [{ key: "a", value: "2" }] }),
  ],
  [
    "an optional set to its zero value",
    pb.CallCommandSchema,
    call({ idempotencyKey: "" }),
    call({}),
  ],
  [
    "equal optionals",
    pb.CallCommandSchema,
    call({ idempotencyKey: "i" }),
    call({ idempotencyKey: "i" }),
  ],
  [
    "a oneof case",
    pb.OutputCommandSchema,
    create(pb.OutputCommandSchema, {
      result: { case: "value", value: { content: new Uint8Array() } },
    }),
    create(pb.OutputCommandSchema, { result: { case: "failure", value: { code: 500 } } }),
  ],
  [
    "a nested message in a oneof",
    pb.OutputCommandSchema,
    create(pb.OutputCommandSchema, {
      result: { case: "failure", value: { code: 500, message: "a" } },
    }),
    create(pb.OutputCommandSchema, {
      result: { case: "failure", value: { code: 500, message: "b" } },
    }),
  ],
  [
    "a repeated scalar",
    pb.SuspensionMessageSchema,
    create(pb.SuspensionMessageSchema, { waitingCompletions: [1, 2] }),
    create(pb.SuspensionMessageSchema, { waitingCompletions: [1, 3] }),
  ],
  [
    "equal nested futures",
    pb.SuspensionMessageSchema,
    create(pb.SuspensionMessageSchema, {
      awaitingOn: { nestedFutures: [{ waitingSignals: [4] }] },
    }),
    create(pb.SuspensionMessageSchema, {
      awaitingOn: { nestedFutures: [{ waitingSignals: [4] }] },
    }),
  ],
  [
    "a message set in one only",
    pb.SuspensionMessageSchema,
    create(pb.SuspensionMessageSchema, { awaitingOn: {} }),
    create(pb.SuspensionMessageSchema, {}),
  ],
  [
    "a map value",
    StructSchema,
    create(StructSchema, { fields: { a: { kind: { case: "numberValue", value: 1 } } } }),
    create(StructSchema, { fields: { a: { kind: { case: "numberValue", value: 2 } } } }),
  ],
  [
    "a map key",
    StructSchema,
    create(StructSchema, { fields: { a: {} } }),
    create(StructSchema, { fields: { b: {} } }),
  ],
  [
    "equal maps",
    StructSchema,
    create(StructSchema, { fields: { a: { kind: { case: "stringValue", value: "x" } } } }),
    create(StructSchema, { fields: { a: { kind: { case: "stringValue", value: "x" } } } }),
  ],
];

describe("messageEquals", () => {
  it.each(CASES)("agrees with protobuf-es's equals: %s", (_name, schema, a, b) => {
    expect(messageEquals(schema, a, b)).toBe(equals(schema, a, b));
    expect(messageEquals(schema, b, a)).toBe(equals(schema, b, a));
    expect(messageEquals(schema, a, a)).toBe(true);
  });

  it("tells equal and different messages apart (the cases are not all one answer)", () => {
    const answers = CASES.map(([, schema, a, b]) => messageEquals(schema, a, b));
    expect(answers).toContain(true);
    expect(answers).toContain(false);
  });

  it("refuses a message of another type", () => {
    const output = create(pb.OutputCommandSchema, {});
    expect(messageEquals(pb.CallCommandSchema, call({}), output as never)).toBe(false);
  });
});
