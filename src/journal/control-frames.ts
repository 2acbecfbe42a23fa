// SPDX-License-Identifier: MIT
// Encoding of the SDK's control messages (docs/protocol.md §15.3) and the command fields several commands
// share: what the VM writes besides the generic command path.
import type { ProtocolCodec } from "./codec.js";
import { REQUESTED_ACK, encodeFrame } from "./framing.js";
import type { ErrorBehavior, ProtocolError } from "./errors.js";
import type { NotificationResult } from "./futures.js";
import { type CommandInit, type CommandType, MessageType } from "./message-types.js";
import { type Failure, failureMessage } from "./values.js";

/** A value or a terminal failure: a run's proposal, an output, a completion. */
export type Result = { readonly value: Uint8Array } | { readonly failure: Failure };

/** A call or send target with its payload. */
export interface CallRequest {
  readonly service: string;
  readonly handler: string;
  readonly key?: string;
  readonly parameter: Uint8Array;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly idempotencyKey?: string;
  /** V7: the scope the target lives in (docs/protocol.md §6.3). */
  readonly scope?: string;
  /** V7: the concurrency limit key within the scope. */
  readonly limitKey?: string;
  readonly name?: string;
}

/** The `value | failure` oneof of Output, CompleteAwakeable and SendSignal (`Value` wrapped). */
export function resultOneof(result: Result) {
  return "value" in result
    ? ({ case: "value", value: { content: result.value } } as const)
    : ({ case: "failure", value: failureMessage(result.failure) } as const);
}

/** The fields CallCommand and OneWayCallCommand share. */
export function callFields(req: CallRequest) {
  return {
    serviceName: req.service,
    handlerName: req.handler,
    parameter: req.parameter,
    headers: (req.headers ?? []).map(([key, value]) => ({ key, value })),
    key: req.key ?? "",
    ...(req.idempotencyKey !== undefined ? { idempotencyKey: req.idempotencyKey } : {}),
    ...(req.scope !== undefined ? { scope: req.scope } : {}),
    ...(req.limitKey !== undefined ? { limitKey: req.limitKey } : {}),
    name: req.name ?? "",
  };
}

/** A command's frame. */
export function commandFrame<T extends CommandType>(
  { create, toBinary, commands }: ProtocolCodec,
  type: T,
  init: CommandInit<T>,
): Uint8Array {
  const schema = commands[type];
  return encodeFrame(type, toBinary(schema, create(schema, init)));
}

/** A ProposeRunCompletionMessage frame; on V7 it requests an ack (docs/protocol.md §6.4). */
export function proposeRunFrame(
  { create, toBinary, pb }: ProtocolCodec,
  completionId: number,
  result: Result,
  version: number,
): Uint8Array {
  const msg = create(pb.ProposeRunCompletionMessageSchema, {
    resultCompletionId: completionId,
    result:
      "value" in result
        ? { case: "value", value: result.value }
        : { case: "failure", value: failureMessage(result.failure) },
  });
  return encodeFrame(
    MessageType.ProposeRunCompletion,
    toBinary(pb.ProposeRunCompletionMessageSchema, msg),
    version >= 7 ? REQUESTED_ACK : 0,
  );
}

/** The notification a proposal stands for once acknowledged (V7). */
export function proposedResult(result: Result): NotificationResult {
  return "value" in result
    ? { kind: "value", value: result.value }
    : { kind: "failure", ...result.failure, metadata: result.failure.metadata ?? [] };
}

/** `ErrorMessage.behavior` on the wire (V7); retry is the default, left out. */
const BEHAVIOR_NUMBER: Readonly<Record<ErrorBehavior, number>> = { retry: 0, pause: 1, fail: 2 };

/**
 * An ErrorMessage frame for a failure of the attempt (docs/protocol.md §8.1). The VM has already
 * replaced a behavior the negotiated version cannot carry.
 */
export function errorFrame(
  { create, toBinary, pb }: ProtocolCodec,
  error: ProtocolError,
): Uint8Array {
  const related = error.relatedCommand;
  const msg = create(pb.ErrorMessageSchema, {
    code: error.code,
    message: error.message,
    stacktrace: error.stack ?? "",
    ...(related !== undefined
      ? {
          relatedCommandIndex: related.index,
          relatedCommandType: related.type,
          ...(related.name ? { relatedCommandName: related.name } : {}),
        }
      : {}),
    ...(error.nextRetryDelayMs !== undefined
      ? { nextRetryDelay: BigInt(Math.round(error.nextRetryDelayMs)) }
      : {}),
    behavior: BEHAVIOR_NUMBER[error.behavior],
  });
  return encodeFrame(MessageType.Error, toBinary(pb.ErrorMessageSchema, msg));
}
