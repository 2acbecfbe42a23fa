// SPDX-License-Identifier: MIT
// The 16-bit message type ids of the service protocol and the schema of each (docs/protocol.md §15.1).
import type { DescMessage } from "@bufbuild/protobuf";
import * as pb from "./gen/protocol_pb.js";

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

/**
 * True for ids this engine can decode: control messages, known commands, any notification (they
 * share one layout) and the opaque custom range. Anything else is an unknown id (docs/protocol.md §3).
 */
export function isKnownMessageType(type: number): boolean {
  return (
    KNOWN_CONTROL.has(type) ||
    COMMAND_SCHEMAS.has(type) ||
    isNotificationType(type) ||
    type >= CUSTOM_MIN
  );
}

const COMMAND_SCHEMAS: ReadonlyMap<number, DescMessage> = new Map<number, DescMessage>([
  [CommandType.Input, pb.InputCommandSchema],
  [CommandType.Output, pb.OutputCommandSchema],
  [CommandType.GetLazyState, pb.GetLazyStateCommandSchema],
  [CommandType.SetState, pb.SetStateCommandSchema],
  [CommandType.ClearState, pb.ClearStateCommandSchema],
  [CommandType.ClearAllState, pb.ClearAllStateCommandSchema],
  [CommandType.GetLazyStateKeys, pb.GetLazyStateKeysCommandSchema],
  [CommandType.GetEagerState, pb.GetEagerStateCommandSchema],
  [CommandType.GetEagerStateKeys, pb.GetEagerStateKeysCommandSchema],
  [CommandType.GetPromise, pb.GetPromiseCommandSchema],
  [CommandType.PeekPromise, pb.PeekPromiseCommandSchema],
  [CommandType.CompletePromise, pb.CompletePromiseCommandSchema],
  [CommandType.Sleep, pb.SleepCommandSchema],
  [CommandType.Call, pb.CallCommandSchema],
  [CommandType.OneWayCall, pb.OneWayCallCommandSchema],
  [CommandType.SendSignal, pb.SendSignalCommandSchema],
  [CommandType.Run, pb.RunCommandSchema],
  [CommandType.AttachInvocation, pb.AttachInvocationCommandSchema],
  [CommandType.GetInvocationOutput, pb.GetInvocationOutputCommandSchema],
  [CommandType.CompleteAwakeable, pb.CompleteAwakeableCommandSchema],
]);

/** The schema of a command type id, or undefined when the id is not a known command. */
export function commandSchema(type: number): DescMessage | undefined {
  return COMMAND_SCHEMAS.get(type);
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
