// SPDX-License-Identifier: MIT
// One request/response attempt over a recorded journal, in memory: the StartMessage and the
// recorded entries go in, and every command (the recorded ones, then those the code adds) lands in
// a JournalStore. `replayJournal` (restate-hono/testing) and deploy-check both replay this way.
import { create, toBinary } from "@bufbuild/protobuf";
import * as pb from "../journal/gen/protocol_pb.js";
import { encodeFrame } from "../journal/framing.js";
import { MessageType, isCommandType } from "../journal/message-types.js";
import { invocationDebugId } from "../journal/ids.js";
import { runtimeSeed } from "../journal/rand.js";
import type { ProtocolVersion } from "../journal/vm.js";
import type { HandlerEntry } from "../definitions/registry.js";
import type { Logger } from "../context/logger.js";
import { Attempt, type AttemptEnd } from "./attempt.js";
import { SILENT_LOGGER } from "./environment-options.js";
import { JournalStore } from "./journal-store.js";

/** One recorded journal entry: a type id and its protobuf payload. */
export interface RecordedEntry {
  readonly type: number;
  readonly payload: Uint8Array;
}

/** What one offline replay needs: the code, the recording, and what its StartMessage said. */
export interface OfflineReplay {
  readonly handler: HandlerEntry;
  readonly entries: readonly RecordedEntry[];
  /** The 24 bytes of the invocation id. */
  readonly invocationId: Uint8Array;
  readonly key?: string | undefined;
  readonly seed?: bigint | undefined;
  /** Default 6. */
  readonly protocolVersion?: ProtocolVersion | undefined;
  /** Default: silent. */
  readonly logger?: Logger | undefined;
  /** The virtual time the code sees; default 0. */
  readonly now?: number | undefined;
  /** Called before a `ctx.run` closure would run; an error returned instead fails the run. */
  readonly runFault?: ((name: string) => Error | undefined) | undefined;
}

/** How the replay went, and the journal it left. */
export interface OfflineReplayResult {
  readonly end: AttemptEnd;
  /** The `inv_1…` form of the invocation id. */
  readonly debugId: string;
  /** The recorded commands, followed by those the code wrote beyond them. */
  readonly store: JournalStore;
  /** How many of the store's commands were recorded. */
  readonly recordedCommands: number;
}

/**
 * Replays `replay.entries` against `replay.handler` in request/response mode.
 *
 * @example
 * const { end, store } = await replayOffline({ handler, entries, invocationId: idBytes });
 */
export async function replayOffline(replay: OfflineReplay): Promise<OfflineReplayResult> {
  const debugId = invocationDebugId(replay.invocationId);
  const store = new JournalStore();
  for (const e of replay.entries) {
    if (isCommandType(e.type)) store.appendCommand(e.type, e.payload, 0);
  }
  const recordedCommands = store.commandCount;
  const start = create(pb.StartMessageSchema, {
    id: replay.invocationId,
    debugId,
    knownEntries: replay.entries.length,
    partialState: true,
    key: replay.key ?? "",
    // Journals are exported without the seed; the server derives it from the id, so can we.
    randomSeed: replay.seed ?? runtimeSeed(replay.invocationId),
  });
  const now = replay.now ?? 0;
  const end = await new Promise<AttemptEnd>((resolve) => {
    const attempt = new Attempt<string>(
      {
        frame: (_a, frame) => {
          if (isCommandType(frame.type)) store.appendCommand(frame.type, frame.payload, 0);
        },
        ended: (_a, result) => resolve(result),
      },
      debugId,
    );
    attempt.start(
      {
        handler: replay.handler,
        protocolVersion: replay.protocolVersion ?? 6,
        attemptHeaders: new Map([["x-restate-invocation-id", debugId]]),
        logger: replay.logger ?? SILENT_LOGGER,
        now: () => now,
        ...(replay.runFault === undefined ? {} : { runFault: replay.runFault }),
      },
      [
        encodeFrame(MessageType.Start, toBinary(pb.StartMessageSchema, start)),
        ...replay.entries.map((e) => encodeFrame(e.type, e.payload)),
      ],
      "request-response",
    );
  });
  return { end, debugId, store, recordedCommands };
}
