// SPDX-License-Identifier: MIT
// SuspensionMessage encoding: flat leaf lists for V5/V6, a Future tree for V7 (docs/protocol.md §7.2).
import type { MessageInitShape } from "@bufbuild/protobuf";
import type * as pb from "./gen/protocol_pb.js";
import type { ProtocolCodec } from "./codec.js";
import { encodeFrame } from "./framing.js";
import { MessageType } from "./message-types.js";
import {
  COMBINATOR_TYPE,
  type Future,
  type NotificationTable,
  evaluate,
  pendingLeaves,
} from "./futures.js";

/** The fields of a SuspensionMessage. */
export type SuspensionInit = MessageInitShape<typeof pb.SuspensionMessageSchema>;

/**
 * The SuspensionMessage for what the handler waits on, given what the table holds now. Several
 * awaited roots (the handler's future and the cancel signal) are raced. The tree is laid out as
 * the official core lays it out, so both SDKs write the same bytes: a node lists its unsettled
 * leaves and nests its unsettled combinators. V5/V6 flatten it: each node's leaves, then its nested
 * nodes' leaves, in that order, without repeats.
 */
export function suspensionInit(
  futures: readonly Future[],
  table: NotificationTable,
  version: number,
): SuspensionInit {
  const root: Future = futures.length === 1 ? futures[0]! : { kind: "race", children: futures };
  const awaitingOn = toFutureMessage(root, table);
  if (version >= 7) return { awaitingOn };
  const completions = new Set<number>();
  const signals = new Set<number>();
  const named = new Set<string>();
  const collect = (node: FutureInit): void => {
    for (const id of node.waitingCompletions ?? []) completions.add(id);
    for (const id of node.waitingSignals ?? []) signals.add(id);
    for (const name of node.waitingNamedSignals ?? []) named.add(name);
    for (const nested of node.nestedFutures ?? []) collect(nested);
  };
  collect(awaitingOn);
  return {
    waitingCompletions: [...completions],
    waitingSignals: [...signals],
    waitingNamedSignals: [...named],
  };
}

/** A SuspensionMessage frame. */
export function suspensionFrame(
  { create, toBinary, pb }: ProtocolCodec,
  init: SuspensionInit,
): Uint8Array {
  const payload = toBinary(pb.SuspensionMessageSchema, create(pb.SuspensionMessageSchema, init));
  return encodeFrame(MessageType.Suspension, payload);
}

/** The unsettled leaves of `futures`, readably: `completion 1, signal 17, signal "go"`. */
export function describeLeaves(futures: readonly Future[], table: NotificationTable): string {
  const leaves = futures.flatMap((future) => pendingLeaves(future, table));
  if (leaves.length === 0) return "nothing unsettled";
  return leaves
    .map((leaf) => `${leaf.kind === "named" ? "signal" : leaf.kind} ${JSON.stringify(leaf.id)}`)
    .join(", ");
}

type FutureInit = MessageInitShape<typeof pb.FutureSchema>;

function toFutureMessage(future: Future, table: NotificationTable): FutureInit {
  switch (future.kind) {
    case "completion":
      return { waitingCompletions: [future.id], combinatorType: COMBINATOR_TYPE.race };
    case "signal":
      return { waitingSignals: [future.id], combinatorType: COMBINATOR_TYPE.race };
    case "named":
      return { waitingNamedSignals: [future.id], combinatorType: COMBINATOR_TYPE.race };
    case "settled":
      return { combinatorType: COMBINATOR_TYPE.race };
    default: {
      const msg = {
        waitingCompletions: [] as number[],
        waitingSignals: [] as number[],
        waitingNamedSignals: [] as string[],
        nestedFutures: [] as FutureInit[],
        combinatorType: COMBINATOR_TYPE[future.kind],
      };
      for (const child of future.children) {
        if (evaluate(child, table) !== undefined) continue;
        if (child.kind === "completion") msg.waitingCompletions.push(child.id);
        else if (child.kind === "signal") msg.waitingSignals.push(child.id);
        else if (child.kind === "named") msg.waitingNamedSignals.push(child.id);
        else if (child.kind !== "settled") msg.nestedFutures.push(toFutureMessage(child, table));
      }
      return msg;
    }
  }
}
