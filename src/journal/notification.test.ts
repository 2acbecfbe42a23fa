// SPDX-License-Identifier: MIT
// The hand-written notification decoder against the generated (reflection-based) one.
import { describe, expect, it } from "vitest";
import { type MessageInitShape, create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { NotificationTemplateSchema } from "./gen/protocol_pb.js";
import { decodeNotification } from "./notification.js";
import { ProtocolError } from "./errors.js";

type Init = MessageInitShape<typeof NotificationTemplateSchema>;
const utf8 = new TextEncoder();

const ids: Array<[number, Init["id"]]> = [
  [0x800c, { case: "completionId", value: 1 }],
  [0x800c, { case: "completionId", value: 4_294_967_295 }],
  [0xfbff, { case: "signalId", value: 17 }],
  [0xfbff, { case: "signalName", value: "apprové ✓" }],
];
const results: Array<Init["result"]> = [
  { case: "void", value: {} },
  { case: "value", value: { content: utf8.encode('{"a":[1,2]}') } },
  { case: "value", value: { content: new Uint8Array(0) } },
  { case: "failure", value: { code: 409, message: "Cancelled" } },
  {
    case: "failure",
    value: {
      code: 500,
      message: "boom",
      metadata: [
        { key: "k", value: "v" },
        { key: "x", value: "" },
      ],
    },
  },
  { case: "invocationId", value: "inv_19XsVXlN3HM51miUjQsZ6neL7Dbsbbdmge" },
  { case: "stateKeys", value: { keys: [utf8.encode("a"), utf8.encode("ключ")] } },
];

/** What the generated decoder says, in the engine's shape. */
function reference(payload: Uint8Array) {
  const msg = fromBinary(NotificationTemplateSchema, payload);
  const leaf =
    msg.id.case === "completionId"
      ? { kind: "completion", id: msg.id.value }
      : msg.id.case === "signalId"
        ? { kind: "signal", id: msg.id.value }
        : { kind: "named", id: msg.id.value };
  const r = msg.result;
  const result =
    r.case === "void"
      ? { kind: "void" }
      : r.case === "value"
        ? { kind: "value", value: r.value.content }
        : r.case === "failure"
          ? {
              kind: "failure",
              code: r.value.code,
              message: r.value.message,
              metadata: r.value.metadata.map(({ key, value }) => ({ key, value })),
            }
          : r.case === "invocationId"
            ? { kind: "invocationId", invocationId: r.value }
            : { kind: "stateKeys", keys: r.value!.keys.map((k) => new TextDecoder().decode(k)) };
  return { leaf, result };
}

describe("decodeNotification", () => {
  it("agrees with the generated decoder on every id and result kind", () => {
    for (const [type, id] of ids) {
      for (const result of results) {
        const payload = toBinary(
          NotificationTemplateSchema,
          create(NotificationTemplateSchema, { id, result } as Init),
        );
        expect(decodeNotification(type, payload)).toEqual(reference(payload));
      }
    }
  });

  it("skips unknown fields of every wire type", () => {
    const known = toBinary(
      NotificationTemplateSchema,
      create(NotificationTemplateSchema, {
        id: { case: "completionId", value: 7 },
        result: { case: "value", value: { content: utf8.encode("1") } },
      }),
    );
    // field 30 varint, field 31 fixed64, field 32 LEN, field 33 fixed32
    const unknown = [
      0xf0, 0x01, 0x96, 0x01, 0xf9, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0x82, 0x02, 2, 9, 9, 0x8d, 0x02,
      1, 2, 3, 4,
    ];
    const payload = new Uint8Array([...unknown, ...known]);
    expect(decodeNotification(0x8011, payload)).toEqual(reference(payload));
  });

  it("rejects malformed payloads with a protocol violation", () => {
    const good = toBinary(
      NotificationTemplateSchema,
      create(NotificationTemplateSchema, {
        id: { case: "completionId", value: 3 },
        result: { case: "value", value: { content: utf8.encode("hello") } },
      }),
    );
    for (let cut = 1; cut < good.length; cut++) {
      const attempt = () => decodeNotification(0x8011, good.subarray(0, cut));
      expect(attempt).toThrow(ProtocolError);
    }
    expect(() => decodeNotification(0x8011, new Uint8Array([0x0b]))).toThrow(/wire type/);
    expect(() => decodeNotification(0x8011, new Uint8Array([0x08, 0x01]))).toThrow(
      /without a result/,
    );
    expect(() => decodeNotification(0x8011, new Uint8Array([0x10, 0x11, 0x22, 0x00]))).toThrow(
      /unexpected id kind signal/,
    );
  });
});
