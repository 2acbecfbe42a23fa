// SPDX-License-Identifier: MIT
// Decoding of the one layout every notification shares (MESSAGES.md §5).
import { fromBinary } from "@bufbuild/protobuf";
import { NotificationTemplateSchema } from "./gen/protocol_pb.js";
import type { Leaf, NotificationResult } from "./futures.js";
import { SIGNAL_NOTIFICATION_TYPE, messageTypeName } from "./message-types.js";
import { protocolErrors } from "./errors.js";

const utf8 = new TextDecoder();

/** Decodes a notification frame into its id and result; throws a 571 when malformed. */
export function decodeNotification(
  type: number,
  payload: Uint8Array,
): { leaf: Leaf; result: NotificationResult } {
  let msg;
  try {
    msg = fromBinary(NotificationTemplateSchema, payload);
  } catch (e) {
    throw protocolErrors.malformedMessage(messageTypeName(type), e);
  }
  let leaf: Leaf;
  switch (msg.id.case) {
    case "completionId":
      leaf = { kind: "completion", id: msg.id.value };
      break;
    case "signalId":
      leaf = { kind: "signal", id: msg.id.value };
      break;
    case "signalName":
      leaf = { kind: "named", id: msg.id.value };
      break;
    default:
      throw protocolErrors.malformedMessage(messageTypeName(type), "notification without an id");
  }
  if ((type === SIGNAL_NOTIFICATION_TYPE) === (leaf.kind === "completion")) {
    throw protocolErrors.malformedMessage(messageTypeName(type), `unexpected id kind ${leaf.kind}`);
  }
  let result: NotificationResult;
  switch (msg.result.case) {
    case "void":
      result = { kind: "void" };
      break;
    case "value":
      result = { kind: "value", value: msg.result.value.content };
      break;
    case "failure":
      result = {
        kind: "failure",
        code: msg.result.value.code,
        message: msg.result.value.message,
        metadata: msg.result.value.metadata.map(({ key, value }) => ({ key, value })),
      };
      break;
    case "invocationId":
      result = { kind: "invocationId", invocationId: msg.result.value };
      break;
    case "stateKeys":
      result = { kind: "stateKeys", keys: msg.result.value.keys.map((k) => utf8.decode(k)) };
      break;
    default:
      throw protocolErrors.malformedMessage(messageTypeName(type), "notification without a result");
  }
  return { leaf, result };
}
