// SPDX-License-Identifier: MIT
// Replays one journal, exported from the server, against the new code — without letting the new
// code do anything real. Journaled `ctx.run` results are replayed as usual; the first `ctx.run`
// the new code would execute for real is refused (its closure never runs) and ends the check,
// since from there on the code is no longer replaying anything.
import type * as pb from "../journal/gen/protocol_pb.js";
import type { HandlerEntry } from "../definitions/registry.js";
import type { AttemptEnd } from "../testing/attempt.js";
import { invocationIdBytes } from "../testing/ids.js";
import type { JournalStore } from "../testing/journal-store.js";
import { journalView } from "../testing/journal-view.js";
import {
  replayOffline,
  type OfflineReplayResult,
  type RecordedEntry,
} from "../testing/replay-offline.js";
import { type SourceLocation, userCallSite } from "./call-site.js";

/**
 * Where the new code parts from a journal.
 *
 * @example
 * const d: Divergence = { commandIndex: 1, journaled: "RunCommand { name: \"reserve\" }", produced: "RunCommand { name: \"charge\" }", message: "…" };
 */
export interface Divergence {
  /** Index of the journaled command that no longer matches (InputCommand = 0). */
  readonly commandIndex: number;
  /** The journaled command, as the engine describes it. */
  readonly journaled: string;
  /** The command the new code produced instead. */
  readonly produced: string;
  /** The engine's full mismatch message. */
  readonly message: string;
  /** The handler line that called the mismatching `ctx` operation, when the stack shows it. */
  readonly location?: SourceLocation;
}

/**
 * What the new code did with one journal.
 *
 * @example
 * if (result.outcome === "diverged") console.log(result.divergence.journaled);
 */
export type InvocationReplay = (
  | {
      /** Every journaled command was reproduced. */
      readonly outcome: "replayed";
      /** How the new code went on: finished, waited, or reached a `ctx.run` it would execute. */
      readonly end: "completed" | "suspended" | "side-effect";
      /** The `ctx.run` the check stopped at (`end: "side-effect"`). */
      readonly stoppedAtRun?: string;
    }
  | { readonly outcome: "diverged"; readonly divergence: Divergence }
  | {
      /** The journal replayed, then the new code failed (it would be retried). */
      readonly outcome: "failed";
      readonly failure: string;
    }
) & {
  /** State keys the new code read (journaled reads it reproduced, and new ones). */
  readonly stateKeysRead: readonly string[];
};

/** One journal to replay: its entries and what the server's StartMessage would carry. */
export interface ReplayInput {
  readonly invocationId: string;
  readonly key?: string;
  readonly entries: readonly RecordedEntry[];
}

/** A message no user code produces, so the refused run is recognised in the ErrorMessage. */
const REFUSED = "restate-hono deploy-check: new ctx.run not executed";
const STACK_DEPTH = 100;

/**
 * Replays `input` against `handler` (the new code) in memory.
 *
 * @example
 * const result = await replayInvocation(toServiceEntry(orders).handlers.get("place")!, { invocationId, entries });
 */
export async function replayInvocation(
  handler: HandlerEntry,
  input: ReplayInput,
): Promise<InvocationReplay> {
  let stoppedAtRun: string | undefined;
  // The handler's frame can be deep below the engine's; keep enough of the stack to reach it.
  const depth = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(depth, STACK_DEPTH);
  let replay: OfflineReplayResult;
  try {
    replay = await replayOffline({
      handler,
      entries: input.entries,
      invocationId: invocationIdBytes(input.invocationId) ?? new Uint8Array(24).fill(1),
      key: input.key,
      runFault: (name) => {
        stoppedAtRun ??= name;
        return new Error(REFUSED);
      },
    });
  } finally {
    Error.stackTraceLimit = depth;
  }
  const { end, store } = replay;
  const stateKeysRead = readKeys(store);
  return { ...toOutcome(end, stoppedAtRun), stateKeysRead };
}

function toOutcome(end: AttemptEnd, stoppedAtRun: string | undefined) {
  if (end.kind === "error" && end.error.code === 570) {
    return { outcome: "diverged", divergence: toDivergence(end.error) } as const;
  }
  if (stoppedAtRun !== undefined && (end.kind !== "error" || end.error.message === REFUSED)) {
    return { outcome: "replayed", end: "side-effect", stoppedAtRun } as const;
  }
  switch (end.kind) {
    case "end":
      return { outcome: "replayed", end: "completed" } as const;
    case "suspension":
      return { outcome: "replayed", end: "suspended" } as const;
    case "error":
      return { outcome: "failed", failure: `[${end.error.code}] ${end.error.message}` } as const;
    case "aborted":
      return { outcome: "failed", failure: end.reason } as const;
    case "closed":
      return { outcome: "failed", failure: "The attempt ended without a result" } as const;
  }
}

function toDivergence(error: pb.ErrorMessage): Divergence {
  const lines = /journaled:\s*(.*)\n\s*handler:\s*(.*)/.exec(error.message);
  const location = userCallSite(error.stacktrace);
  return {
    commandIndex: error.relatedCommandIndex ?? -1,
    journaled: lines?.[1]?.trim() ?? "(unknown)",
    produced: lines?.[2]?.trim() ?? "(unknown)",
    message: error.message,
    ...(location !== undefined ? { location } : {}),
  };
}

function readKeys(store: JournalStore): string[] {
  const keys = new Set<string>();
  for (const entry of journalView(store)) {
    const key = entry.args?.["key"];
    if (entry.type === "GetState" && typeof key === "string") keys.add(key);
  }
  return [...keys];
}
