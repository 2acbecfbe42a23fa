// SPDX-License-Identifier: MIT
// The 16-bit message type ids of the service protocol and the schema of each (docs/protocol.md §15.1).
import type { MessageInitShape } from "@bufbuild/protobuf";
import type * as pb from "./gen/protocol_pb.js";

/** Control messages. */
export const MessageType = {
  Start: 0x0000,
  Suspension: 0x0001,
  Error: 0x0002,
  End: 0x0003,
  CommandAck: 0x0004,
  ProposeRunCompletion: 0x0005,
  AwaitingOn: 0x0006,
  ProposeRunCompletionAck: 0x0007,
} as const;

/** Commands: journal entries written by the SDK (and replayed by the runtime). */
export const CommandType = {
  Input: 0x0400,
  Output: 0x0401,
  GetLazyState: 0x0402,
  SetState: 0x0403,
  ClearState: 0x0404,
  ClearAllState: 0x0405,
  GetLazyStateKeys: 0x0406,
  GetEagerState: 0x0407,
  GetEagerStateKeys: 0x0408,
  GetPromise: 0x0409,
  PeekPromise: 0x040a,
  CompletePromise: 0x040b,
  Sleep: 0x040c,
  Call: 0x040d,
  OneWayCall: 0x040e,
  SendSignal: 0x0410,
  Run: 0x0411,
  AttachInvocation: 0x0412,
  GetInvocationOutput: 0x0413,
  CompleteAwakeable: 0x0414,
} as const;
export type CommandType = (typeof CommandType)[keyof typeof CommandType];

/**
 * The signal notification; every other notification is the completion of a command, at the same
 * offset in its range: `0x8000 + (command − 0x0400)`, e.g. Sleep `0x040C` → `0x800C`.
 */
export const SIGNAL_NOTIFICATION_TYPE = 0xfbff;
const COMMAND_MIN = 0x0400;
const NOTIFICATION_MIN = 0x8000;
const CUSTOM_MIN = 0xfc00;

/** True for type ids in the command range. */
export function isCommandType(type: number): boolean {
  return type >= COMMAND_MIN && type < NOTIFICATION_MIN;
}

/** True for type ids in the notification range (completions and signals). */
export function isNotificationType(type: number): boolean {
  return type >= NOTIFICATION_MIN && type < CUSTOM_MIN;
}

const KNOWN_CONTROL: ReadonlySet<number> = new Set(Object.values(MessageType));
const COMMAND_TYPES: ReadonlySet<number> = new Set(Object.values(CommandType));

/**
 * True for ids this engine can decode: control messages, known commands, any notification (they
 * share one layout) and the opaque custom range. Anything else is an unknown id (docs/protocol.md §3).
 */
export function isKnownMessageType(type: number): boolean {
  return (
    KNOWN_CONTROL.has(type) ||
    COMMAND_TYPES.has(type) ||
    isNotificationType(type) ||
    type >= CUSTOM_MIN
  );
}

/**
 * The schema of each command type. Types only: the schemas are values of the protobuf codec,
 * which loads on first need (codec.ts).
 */
export interface CommandSchemas {
  [CommandType.Input]: typeof pb.InputCommandSchema;
  [CommandType.Output]: typeof pb.OutputCommandSchema;
  [CommandType.GetLazyState]: typeof pb.GetLazyStateCommandSchema;
  [CommandType.SetState]: typeof pb.SetStateCommandSchema;
  [CommandType.ClearState]: typeof pb.ClearStateCommandSchema;
  [CommandType.ClearAllState]: typeof pb.ClearAllStateCommandSchema;
  [CommandType.GetLazyStateKeys]: typeof pb.GetLazyStateKeysCommandSchema;
  [CommandType.GetEagerState]: typeof pb.GetEagerStateCommandSchema;
  [CommandType.GetEagerStateKeys]: typeof pb.GetEagerStateKeysCommandSchema;
  [CommandType.GetPromise]: typeof pb.GetPromiseCommandSchema;
  [CommandType.PeekPromise]: typeof pb.PeekPromiseCommandSchema;
  [CommandType.CompletePromise]: typeof pb.CompletePromiseCommandSchema;
  [CommandType.Sleep]: typeof pb.SleepCommandSchema;
  [CommandType.Call]: typeof pb.CallCommandSchema;
  [CommandType.OneWayCall]: typeof pb.OneWayCallCommandSchema;
  [CommandType.SendSignal]: typeof pb.SendSignalCommandSchema;
  [CommandType.Run]: typeof pb.RunCommandSchema;
  [CommandType.AttachInvocation]: typeof pb.AttachInvocationCommandSchema;
  [CommandType.GetInvocationOutput]: typeof pb.GetInvocationOutputCommandSchema;
  [CommandType.CompleteAwakeable]: typeof pb.CompleteAwakeableCommandSchema;
}

const NAMES = new Map<number, string>([
  ...Object.entries(MessageType).map(([k, v]) => [v, `${k}Message`] as [number, string]),
  ...Object.entries(CommandType).map(([k, v]) => [v, `${k}Command`] as [number, string]),
  [SIGNAL_NOTIFICATION_TYPE, "SignalNotification"],
]);

/** A readable name for a type id, for error messages. */
export function messageTypeName(type: number): string {
  const known = NAMES.get(type);
  if (known !== undefined) return known;
  if (isNotificationType(type)) {
    const command = NAMES.get(type - NOTIFICATION_MIN + COMMAND_MIN);
    if (command !== undefined) return command.replace(/Command$/, "CompletionNotification");
  }
  return `message type 0x${type.toString(16).padStart(4, "0")}`;
}

/** The fields of a command of type `T`, as the VM produces it. */
export type CommandInit<T extends CommandType> = MessageInitShape<CommandSchemas[T]>;
