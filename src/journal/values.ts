// SPDX-License-Identifier: MIT
// Plain-object forms of the protocol's nested values, and their protobuf shapes.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type * as pb from "./gen/protocol_pb.js";

/** A terminal failure: an HTTP-like code and a message (metadata needs V6+). */
export interface Failure {
  readonly code: number;
  readonly message: string;
  readonly metadata?: ReadonlyArray<{ readonly key: string; readonly value: string }>;
}

/** Another invocation, for attach and get-output. A `scope` needs V7. */
export type Target =
  | { readonly kind: "invocation"; readonly invocationId: string }
  | {
      readonly kind: "workflow";
      readonly name: string;
      readonly key: string;
      readonly scope?: string;
    }
  | {
      readonly kind: "idempotent";
      readonly service: string;
      readonly key?: string;
      readonly handler: string;
      readonly idempotencyKey: string;
      readonly scope?: string;
    };

/** The protobuf Failure (the VM refuses metadata on V5 before it gets here). */
export function failureMessage(failure: Failure): MessageInitShape<typeof pb.FailureSchema> {
  return {
    code: failure.code,
    message: failure.message,
    ...(failure.metadata !== undefined
      ? { metadata: failure.metadata.map((m) => ({ ...m })) }
      : {}),
  };
}

/** The `target` oneof of Attach / GetInvocationOutput commands. */
export function targetOneof(
  target: Target,
): NonNullable<MessageInitShape<typeof pb.AttachInvocationCommandSchema>["target"]> {
  switch (target.kind) {
    case "invocation":
      return { case: "invocationId", value: target.invocationId };
    case "workflow":
      return {
        case: "workflowTarget",
        value: {
          workflowName: target.name,
          workflowKey: target.key,
          ...(target.scope !== undefined ? { scope: target.scope } : {}),
        },
      };
    case "idempotent":
      return {
        case: "idempotentRequestTarget",
        value: {
          serviceName: target.service,
          handlerName: target.handler,
          idempotencyKey: target.idempotencyKey,
          ...(target.key !== undefined ? { serviceKey: target.key } : {}),
          ...(target.scope !== undefined ? { scope: target.scope } : {}),
        },
      };
  }
}
