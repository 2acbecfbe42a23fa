// SPDX-License-Identifier: MIT
// Typed constructors of protocol frames for fixtures: `frame(CommandType.Sleep, {…})` encodes a
// real frame with the generated schema, `decoded(…)` builds the matching expected output frame.
import {
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
  create,
  toBinary,
} from "@bufbuild/protobuf";
import * as pb from "../gen/protocol_pb.js";
import { COMMAND_SCHEMAS } from "../protocol-codec.js";
import { CommandType, MessageType, SIGNAL_NOTIFICATION_TYPE } from "../message-types.js";
import { utf8 } from "./bytes.js";

/** The schema of every non-notification type id. */
export const SCHEMAS = {
  [MessageType.Start]: pb.StartMessageSchema,
  [MessageType.Suspension]: pb.SuspensionMessageSchema,
  [MessageType.Error]: pb.ErrorMessageSchema,
  [MessageType.End]: pb.EndMessageSchema,
  [MessageType.ProposeRunCompletion]: pb.ProposeRunCompletionMessageSchema,
  [MessageType.AwaitingOn]: pb.AwaitingOnMessageSchema,
  [MessageType.ProposeRunCompletionAck]: pb.ProposeRunCompletionAckMessageSchema,
  ...COMMAND_SCHEMAS,
} as const;

/** The schema of a control or command type id, if it has one. */
export function schemaOf(type: number): DescMessage | undefined {
  return (SCHEMAS as Readonly<Record<number, DescMessage | undefined>>)[type];
}

/** A type id with a dedicated schema (control messages and commands). */
export type TypeId = keyof typeof SCHEMAS;
/** The init shape of the message of a type id. */
export type InitOf<T extends TypeId> = MessageInitShape<(typeof SCHEMAS)[T]>;
/** The decoded message of a type id. */
export type MessageOf<T extends TypeId> = MessageShape<(typeof SCHEMAS)[T]>;

/** An encoded frame before framing: type, flags and protobuf payload. */
export interface Frame {
  readonly type: number;
  readonly flags: number;
  readonly payload: Uint8Array;
}

/** Encodes a message of a known type id. */
export function frame<T extends TypeId>(type: T, init: InitOf<T>, flags = 0): Frame {
  const schema: DescMessage = SCHEMAS[type];
  const message = create(schema, init as MessageInitShape<DescMessage>);
  return { type, flags, payload: toBinary(schema, message) };
}

/** A frame with an arbitrary type id and payload (bogus or custom frames). */
export function rawFrame(type: number, payload: Uint8Array = new Uint8Array(0), flags = 0): Frame {
  return { type, flags, payload };
}

/** The decoded output frame a test expects. */
export function decoded<T extends TypeId>(
  type: T,
  init: InitOf<T>,
  flags = 0,
): { type: T; flags: number; message: MessageOf<T> } {
  const schema: DescMessage = SCHEMAS[type];
  // TypeScript cannot follow the table lookup; `SCHEMAS[type]` is the schema of `MessageOf<T>`.
  return {
    type,
    flags,
    message: create(schema, init as MessageInitShape<DescMessage>) as MessageOf<T>,
  };
}

/** An InputCommand with a UTF-8 (usually JSON) or raw value. */
export function inputCommand(
  value: string | Uint8Array = "",
  headers: ReadonlyArray<readonly [string, string]> = [],
): Frame {
  return frame(CommandType.Input, {
    headers: headers.map(([key, value]) => ({ key, value })),
    value: { content: typeof value === "string" ? utf8(value) : value },
  });
}

/** The `result` oneof of a notification. */
export type NotificationResultInit = Extract<
  MessageInitShape<typeof pb.NotificationTemplateSchema>["result"],
  { case: string }
>;

/** Results of notifications, for {@link completion}, {@link signal}, {@link namedSignal}. */
export const result = {
  void: (): NotificationResultInit => ({ case: "void", value: {} }),
  value: (content: string | Uint8Array): NotificationResultInit => ({
    case: "value",
    value: { content: typeof content === "string" ? utf8(content) : content },
  }),
  failure: (
    code: number,
    message: string,
    metadata: ReadonlyArray<{ key: string; value: string }> = [],
  ): NotificationResultInit => ({
    case: "failure",
    value: { code, message, metadata: metadata.map((m) => ({ ...m })) },
  }),
  invocationId: (id: string): NotificationResultInit => ({ case: "invocationId", value: id }),
  stateKeys: (keys: readonly string[]): NotificationResultInit => ({
    case: "stateKeys",
    value: { keys: keys.map(utf8) },
  }),
};

/** The type id of a command's completion notification: Sleep `0x040C` → `0x800C`. */
export function completionType(commandType: number): number {
  if (commandType < 0x0400 || commandType >= 0x0800) throw new RangeError(`not a command type`);
  return 0x8000 + (commandType - 0x0400);
}

/** The completion notification of a command type, e.g. `completion(CommandType.Sleep, 1, …)`. */
export function completion(
  commandType: number,
  completionId: number,
  res: NotificationResultInit,
): Frame {
  return notificationFrame(completionType(commandType), {
    id: { case: "completionId", value: completionId },
    result: res,
  });
}

/** A SignalNotification by index (1 = cancel, 17+ = awakeables). */
export function signal(idx: number, res: NotificationResultInit): Frame {
  return notificationFrame(SIGNAL_NOTIFICATION_TYPE, {
    id: { case: "signalId", value: idx },
    result: res,
  });
}

/** A SignalNotification by name. */
export function namedSignal(name: string, res: NotificationResultInit): Frame {
  return notificationFrame(SIGNAL_NOTIFICATION_TYPE, {
    id: { case: "signalName", value: name },
    result: res,
  });
}

/** A notification frame of any notification type id. */
export function notificationFrame(
  type: number,
  init: MessageInitShape<typeof pb.NotificationTemplateSchema>,
): Frame {
  const message = create(pb.NotificationTemplateSchema, init);
  return { type, flags: 0, payload: toBinary(pb.NotificationTemplateSchema, message) };
}

/** A V7 run ack. */
export function runAck(completionId: number): Frame {
  return frame(MessageType.ProposeRunCompletionAck, { completionId });
}
