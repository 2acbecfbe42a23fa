// SPDX-License-Identifier: MIT
// The protobuf codec of the service protocol: protobuf-es and the schemas generated from
// protocol.proto. Loaded on first need (see codec.ts), so only this module imports them as values.
// The schemas come from gen/protocol_boot.ts, whose descriptor needs no descriptor.proto schema to
// load (see descriptor-boot.ts); they are the same as protocol_pb.ts's, message for message.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as pb from "./gen/protocol_boot.js";
import { messageEquals } from "./message-equals.js";
import { CommandType, type CommandSchemas } from "./message-types.js";

/** The generated schema of each command type id. */
export const COMMAND_SCHEMAS: { readonly [T in CommandType]: CommandSchemas[T] } = {
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
};

/** protobuf-es's functions, the generated schemas, and each command type's schema. */
export const protocolCodec = Object.freeze({
  create,
  equals: messageEquals,
  fromBinary,
  toBinary,
  pb,
  commands: COMMAND_SCHEMAS,
});
