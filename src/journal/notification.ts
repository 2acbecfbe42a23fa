// SPDX-License-Identifier: MIT
// Decoding of the one layout every notification shares (docs/protocol.md §15.5).
import type { Leaf, NotificationResult } from "./futures.js";
import { SIGNAL_NOTIFICATION_TYPE, messageTypeName } from "./message-types.js";
import { protocolErrors } from "./errors.js";
import { WireReader, WireType, readStringPair, readValueContent } from "./wire-reader.js";

const utf8 = new TextDecoder();

/** Decodes a notification frame into its id and result; throws a 571 when malformed. */
export function decodeNotification(
  type: number,
  payload: Uint8Array,
): { leaf: Leaf; result: NotificationResult } {
  let leaf: Leaf | undefined;
  let result: NotificationResult | undefined;
  try {
    const reader = new WireReader(payload);
    while (!reader.isDone) {
      const [field, wire] = reader.tag();
      switch (field) {
        case 1:
          reader.expect(wire, WireType.varint);
          leaf = { kind: "completion", id: reader.varint32() };
          break;
        case 2:
          reader.expect(wire, WireType.varint);
          leaf = { kind: "signal", id: reader.varint32() };
          break;
        case 3:
          reader.expect(wire, WireType.len);
          leaf = { kind: "named", id: reader.string() };
          break;
        case 4:
          reader.expect(wire, WireType.len);
          reader.bytesField();
          result = VOID;
          break;
        case 5:
          reader.expect(wire, WireType.len);
          result = { kind: "value", value: readValueContent(reader.bytesField()) };
          break;
        case 6:
          reader.expect(wire, WireType.len);
          result = failure(reader.bytesField());
          break;
        case 16:
          reader.expect(wire, WireType.len);
          result = { kind: "invocationId", invocationId: reader.string() };
          break;
        case 17:
          reader.expect(wire, WireType.len);
          result = { kind: "stateKeys", keys: stateKeys(reader.bytesField()) };
          break;
        default:
          reader.skip(wire);
      }
    }
  } catch (e) {
    throw protocolErrors.malformedMessage(messageTypeName(type), e);
  }
  if (leaf === undefined) {
    throw protocolErrors.malformedMessage(messageTypeName(type), "notification without an id");
  }
  if ((type === SIGNAL_NOTIFICATION_TYPE) === (leaf.kind === "completion")) {
    throw protocolErrors.malformedMessage(messageTypeName(type), `unexpected id kind ${leaf.kind}`);
  }
  if (result === undefined) {
    throw protocolErrors.malformedMessage(messageTypeName(type), "notification without a result");
  }
  return { leaf, result };
}

const VOID: NotificationResult = Object.freeze({ kind: "void" });

/** `Failure { uint32 code = 1; string message = 2; repeated FailureMetadata metadata = 3; }` */
function failure(bytes: Uint8Array): NotificationResult {
  const reader = new WireReader(bytes);
  let code = 0;
  let message = "";
  const metadata: Array<{ key: string; value: string }> = [];
  while (!reader.isDone) {
    const [field, wire] = reader.tag();
    if (field === 1) {
      reader.expect(wire, WireType.varint);
      code = reader.varint32();
    } else if (field === 2) {
      reader.expect(wire, WireType.len);
      message = reader.string();
    } else if (field === 3) {
      reader.expect(wire, WireType.len);
      const [key, value] = readStringPair(reader.bytesField());
      metadata.push({ key, value });
    } else reader.skip(wire);
  }
  return { kind: "failure", code, message, metadata };
}

/** `StateKeys { repeated bytes keys = 1; }`, keys as UTF-8. */
function stateKeys(bytes: Uint8Array): string[] {
  const reader = new WireReader(bytes);
  const keys: string[] = [];
  while (!reader.isDone) {
    const [field, wire] = reader.tag();
    if (field === 1) {
      reader.expect(wire, WireType.len);
      keys.push(utf8.decode(reader.bytesField()));
    } else reader.skip(wire);
  }
  return keys;
}
