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

/** The SuspensionMessage for what the handler waits on, given what the table holds now. */
export function suspensionInit(
  futures: readonly Future[],
  table: NotificationTable,
  version: number,
): SuspensionInit {
  if (version >= 7) {
    const roots = futures.map((f) => toFutureMessage(f, table));
    const awaitingOn =
      roots.length === 1
        ? roots[0]!
        : { nestedFutures: roots, combinatorType: COMBINATOR_TYPE.race };
    return { awaitingOn };
  }
  const completions = new Set<number>();
  const signals = new Set<number>();
  const named = new Set<string>();
  for (const future of futures) {
    for (const leaf of pendingLeaves(future, table)) {
      if (leaf.kind === "completion") completions.add(leaf.id);
      else if (leaf.kind === "signal") signals.add(leaf.id);
      else named.add(leaf.id);
    }
  }
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
