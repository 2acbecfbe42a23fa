// SPDX-License-Identifier: MIT
// The request body of an attempt: the StartMessage (docs/protocol.md §4.1) followed by the journal.
import { create, toBinary } from "@bufbuild/protobuf";
import * as pb from "../journal/gen/protocol_pb.js";
import { encodeFrame } from "../journal/framing.js";
import { MessageType } from "../journal/message-types.js";
import type { Invocation } from "./invocation.js";

const encoder = new TextEncoder();

/**
 * Encodes the attempt's request: eager state (`state` given) or lazy (`undefined`: the engine
 * asks for each key), retry counters, and every stored journal entry.
 */
export function attemptRequest(
  invocation: Invocation,
  state: ReadonlyArray<{ key: string; value: Uint8Array }> | undefined,
  now: number,
): Uint8Array[] {
  const start = create(pb.StartMessageSchema, {
    id: invocation.bytes,
    debugId: invocation.id,
    knownEntries: invocation.journal.length,
    stateMap: (state ?? []).map((e) => ({ key: encoder.encode(e.key), value: e.value })),
    partialState: state === undefined,
    key: invocation.target.key ?? "",
    retryCountSinceLastStoredEntry: invocation.retriesSinceLastEntry,
    durationSinceLastStoredEntry: BigInt(Math.max(0, now - invocation.lastEntryAt)),
    randomSeed: invocation.seed,
  });
  return [
    encodeFrame(MessageType.Start, toBinary(pb.StartMessageSchema, start)),
    ...invocation.journal.encode(),
  ];
}
