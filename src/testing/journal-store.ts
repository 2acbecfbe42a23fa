// SPDX-License-Identifier: MIT
// One invocation's journal as the runtime stores it: the commands the SDK wrote and the
// notifications the runtime produced, in order, each kept as its encoded protobuf payload.
import { type MessageInitShape, create, toBinary } from "@bufbuild/protobuf";
import * as pb from "../journal/gen/protocol_pb.js";
import { encodeFrame } from "../journal/framing.js";
import type { Leaf, NotificationResult } from "../journal/futures.js";
import { SIGNAL_NOTIFICATION_TYPE, isCommandType } from "../journal/message-types.js";
import type { ProtocolVersion } from "../journal/vm.js";

/** One stored journal entry (a command or a notification). */
export interface StoredEntry {
  /** The protocol type id (docs/protocol.md §15.1). */
  readonly type: number;
  /** The protobuf payload, exactly as on the wire. */
  readonly payload: Uint8Array;
  /** Virtual time at which the runtime stored it. */
  readonly appendedAt: number;
  /** For notifications: the id they complete. */
  readonly leaf?: Leaf;
}

/** A stable string for a notification id, e.g. `completion:3`, `signal:17`, `named:approved`. */
export function leafKey(leaf: Leaf): string {
  return `${leaf.kind}:${leaf.id}`;
}

const encoder = new TextEncoder();

/** Encodes a notification payload (the shared template of docs/protocol.md §15.5). */
export function encodeNotification(
  leaf: Leaf,
  result: NotificationResult,
  version: ProtocolVersion,
): Uint8Array {
  const id =
    leaf.kind === "completion"
      ? ({ case: "completionId", value: leaf.id } as const)
      : leaf.kind === "signal"
        ? ({ case: "signalId", value: leaf.id } as const)
        : ({ case: "signalName", value: leaf.id } as const);
  return toBinary(
    pb.NotificationTemplateSchema,
    create(pb.NotificationTemplateSchema, { id, result: resultOneof(result, version) }),
  );
}

function resultOneof(
  result: NotificationResult,
  version: ProtocolVersion,
): NonNullable<MessageInitShape<typeof pb.NotificationTemplateSchema>["result"]> {
  switch (result.kind) {
    case "void":
      return { case: "void", value: {} };
    case "value":
      return { case: "value", value: { content: result.value } };
    case "failure":
      return {
        case: "failure",
        value: {
          code: result.code,
          message: result.message,
          // V5 has no failure metadata (docs/protocol.md §15.2).
          metadata: version >= 6 ? result.metadata.map((m) => ({ ...m })) : [],
        },
      };
    case "invocationId":
      return { case: "invocationId", value: result.invocationId };
    case "stateKeys":
      return { case: "stateKeys", value: { keys: result.keys.map((k) => encoder.encode(k)) } };
  }
}

/** The notification type id for a leaf completing a command of `commandType`. */
export function notificationType(leaf: Leaf, commandType: number): number {
  return leaf.kind === "completion" ? 0x8000 | commandType : SIGNAL_NOTIFICATION_TYPE;
}

/** An invocation's journal. */
export class JournalStore {
  readonly #entries: StoredEntry[] = [];
  readonly #leaves = new Set<string>();
  #commands = 0;

  /** Every entry, in journal order. */
  get entries(): readonly StoredEntry[] {
    return this.#entries;
  }

  get length(): number {
    return this.#entries.length;
  }

  /** How many commands (InputCommand included) are stored. */
  get commandCount(): number {
    return this.#commands;
  }

  /** Appends a command written by the SDK; returns its command index. */
  appendCommand(type: number, payload: Uint8Array, at: number): number {
    this.#entries.push({ type, payload, appendedAt: at });
    return this.#commands++;
  }

  /** Appends a notification; a second notification for the same id is ignored (false). */
  appendNotification(type: number, leaf: Leaf, payload: Uint8Array, at: number): boolean {
    const key = leafKey(leaf);
    if (this.#leaves.has(key)) return false;
    this.#leaves.add(key);
    this.#entries.push({ type, payload, appendedAt: at, leaf });
    return true;
  }

  /** True once a notification for `leaf` is stored. */
  has(leaf: Leaf): boolean {
    return this.#leaves.has(leafKey(leaf));
  }

  /** True once a notification with this key (see {@link leafKey}) is stored. */
  hasKey(key: string): boolean {
    return this.#leaves.has(key);
  }

  /** The journal as the frames of a replay request (after the StartMessage). */
  encode(): Uint8Array[] {
    return this.#entries.map((e) => encodeFrame(e.type, e.payload));
  }

  /** The stored commands with their command indexes. */
  commands(): Array<{ readonly index: number; readonly entry: StoredEntry }> {
    let index = 0;
    return this.#entries
      .filter((e) => isCommandType(e.type))
      .map((entry) => ({ index: index++, entry }));
  }
}
