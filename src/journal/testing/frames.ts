// SPDX-License-Identifier: MIT
// Typed constructors of protocol frames for fixtures: `frame(CommandType.Sleep, {…})` encodes a
// real frame with the generated schema, `decoded(…)` builds the matching expected output frame.
import { type MessageInitShape, type MessageShape, create, toBinary } from "@bufbuild/protobuf";
import * as pb from "../gen/protocol_pb.js";
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
  [CommandType.Input]: pb.InputCommandSchema,
  [CommandType.Output]: pb.OutputCommandSchema,
  [CommandType.GetLazyState]: pb.GetLazyStateCommandSchema,
  [CommandType.SetState]: pb.SetStateCommandSchema,
  [CommandType.ClearState]: pb.ClearStateCommandSchema,
  [CommandType.ClearAllState]: pb.ClearAllStateCommandSchema,
  [CommandType.GetLazyStateKeys]: pb.GetLazyStateKeysCommandSchema,
  [CommandType.GetEagerState]: pb.GetEagerStateCommandSchema,
  [CommandType.GetEagerStateKeys]: pb.GetEagerStateKeysCommandSchema,
  [CommandType.GetPromise]: pb.GetPromiseCommandSchema,
  [CommandType.PeekPromise]: pb.PeekPromiseCommandSchema,
  [CommandType.CompletePromise]: pb.CompletePromiseCommandSchema,
  [CommandType.Sleep]: pb.SleepCommandSchema,
  [CommandType.Call]: pb.CallCommandSchema,
  [CommandType.OneWayCall]: pb.OneWayCallCommandSchema,
  [CommandType.SendSignal]: pb.SendSignalCommandSchema,
  [CommandType.Run]: pb.RunCommandSchema,
  [CommandType.AttachInvocation]: pb.AttachInvocationCommandSchema,
  [CommandType.GetInvocationOutput]: pb.GetInvocationOutputCommandSchema,
  [CommandType.CompleteAwakeable]: pb.CompleteAwakeableCommandSchema,
} as const;

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
  const schema = SCHEMAS[type];
  // The schema table is keyed by type id, so `init` matches `schema` by construction.
  const message = create(schema as typeof pb.StartMessageSchema, init as InitOf<0>);
  return { type, flags, payload: toBinary(schema as typeof pb.StartMessageSchema, message) };
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
  const schema = SCHEMAS[type] as typeof pb.StartMessageSchema;
  return { type, flags, message: create(schema, init as InitOf<0>) as MessageOf<T> };
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

/** The completion notification of a command type (`0x8000 | type`). */
export function completion(
  commandType: number,
  completionId: number,
  res: NotificationResultInit,
): Frame {
  return notificationFrame(0x8000 | commandType, {
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
