// SPDX-License-Identifier: MIT
// Offline replay: run today's handler code against a journal recorded earlier (by a
// `TestEnvironment`, on the wire, or exported from the real server's `sys_journal` table) and
// report whether it still produces the same commands.
import { FrameDecoder } from "../journal/framing.js";
import { CommandType, SIGNAL_NOTIFICATION_TYPE } from "../journal/message-types.js";
import type { ProtocolVersion } from "../journal/vm.js";
import type { AnyDefinition } from "../definitions/service.js";
import { toServiceEntry } from "../definitions/registry.js";
import type { Logger } from "../context/logger.js";
import { failureOfError } from "./attempt.js";
import { NonDeterminismError } from "./reported-errors.js";
import { invocationIdBytes } from "./ids.js";
import { type JournalEntry, journalView } from "./journal-view.js";

import { replayOffline, type RecordedEntry } from "./replay-offline.js";

export type { RecordedEntry };

/**
 * A recorded invocation: its entries plus what its StartMessage said, so that ids, awakeable ids
 * and `ctx.rand` come out as in the original run. `env.rawJournal(id)` returns one.
 *
 * @example
 * const recording: RecordedJournal = { invocationId: "inv_1…", seed: 42n, entries };
 */
export interface RecordedJournal {
  readonly entries: readonly RecordedEntry[];
  /** The original `inv_1…` id (default: a fixed id). */
  readonly invocationId?: string;
  /** The object or workflow key. */
  readonly key?: string;
  /** The original `StartMessage.random_seed` (V6+), for handlers that use `ctx.rand`. */
  readonly seed?: bigint;
}

/**
 * A row of the server's `sys_journal` table: as the SQL query returns it (`entry_type`) or as
 * the admin client's `exportJournal` returns it (`entryType`).
 */
export type SysJournalRow = {
  readonly index: number;
  /** The entry's protobuf payload: bytes, or hex as the admin query API returns it. */
  readonly raw: Uint8Array | string | readonly number[];
} & (
  | {
      /** E.g. `"Command: Run"`, `"Notification: CallInvocationId"`, `"Notification: Signal"`. */
      readonly entry_type: string;
    }
  | { readonly entryType: string }
);

/**
 * What replaying a recorded journal showed.
 *
 * @example
 * expect((await replayJournal(cart, "checkout", recording)).ok).toBe(true);
 */
export interface ReplayReport {
  /** False when the handler no longer produces the recorded commands (journal mismatch). */
  readonly ok: boolean;
  /** How the replay attempt ended. */
  readonly outcome: "completed" | "suspended" | "failed" | "mismatch";
  /** The mismatch, or the failure of a `failed` attempt. */
  readonly error?: Error;
  /** Commands the handler wrote beyond the recorded journal. */
  readonly newEntries: readonly JournalEntry[];
}

/** Options of {@link replayJournal}. */
export interface ReplayOptions {
  readonly protocolVersion: ProtocolVersion;
  readonly logger: Logger;
  /** Virtual time the replayed code sees (sleeps and delays it computes). */
  readonly now: number;
}

const FALLBACK_ID = new Uint8Array(24).fill(1);

/**
 * Replays a recorded journal against the current code of `definition`'s handler `handler`.
 * Code past the end of the recording runs as in a new attempt (its `ctx.run` closures execute);
 * its commands are reported in `newEntries`, nothing is sent anywhere.
 *
 * @example
 * const report = await replayJournal(checkout, "run", env.rawJournal(id));
 * expect(report.ok).toBe(true);
 */
export async function replayJournal(
  definition: AnyDefinition,
  handler: string,
  journal: RecordedJournal | readonly RecordedEntry[] | Uint8Array,
  options: Partial<ReplayOptions> = {},
): Promise<ReplayReport> {
  const entry = toServiceEntry(definition).handlers.get(handler);
  if (entry === undefined) throw new TypeError(`${definition.name} has no handler "${handler}"`);
  const recording = normalize(journal);
  const invocationId =
    (recording.invocationId !== undefined
      ? invocationIdBytes(recording.invocationId)
      : undefined) ?? FALLBACK_ID;
  const { end, debugId, store, recordedCommands } = await replayOffline({
    handler: entry,
    entries: recording.entries,
    invocationId,
    key: recording.key,
    seed: recording.seed,
    protocolVersion: options.protocolVersion,
    logger: options.logger,
    now: options.now,
  });
  const newEntries = journalView(store).slice(recordedCommands);
  switch (end.kind) {
    case "end":
      return { ok: true, outcome: "completed", newEntries };
    case "suspension":
      return { ok: true, outcome: "suspended", newEntries };
    case "error": {
      const { error } = end;
      if (error.code === 570) {
        const failure = { ...failureOfError(error), attempt: 1, at: 0 };
        const mismatch = new NonDeterminismError(debugId, failure);
        return { ok: false, outcome: "mismatch", error: mismatch, newEntries };
      }
      return {
        ok: true,
        outcome: "failed",
        error: new Error(`[${error.code}] ${error.message}`),
        newEntries,
      };
    }
    default:
      return {
        ok: true,
        outcome: "failed",
        error: new Error("The attempt ended abnormally"),
        newEntries,
      };
  }
}

function normalize(
  journal: RecordedJournal | readonly RecordedEntry[] | Uint8Array,
): RecordedJournal {
  if (journal instanceof Uint8Array) return { entries: fromFrames(journal) };
  if (isEntryList(journal)) return { entries: journal };
  return journal;
}

function isEntryList(
  journal: RecordedJournal | readonly RecordedEntry[],
): journal is readonly RecordedEntry[] {
  return Array.isArray(journal);
}

/**
 * Splits protocol frames (8-byte header + payload each, as on the wire after the StartMessage)
 * into recorded entries.
 *
 * @throws Error if the bytes end inside a frame.
 * @example
 * const entries = fromFrames(requestBody.subarray(startFrameLength));
 */
export function fromFrames(bytes: Uint8Array): RecordedEntry[] {
  const decoder = new FrameDecoder();
  const frames = decoder.push(bytes);
  if (!decoder.isIdle) throw new Error("The journal bytes end inside a frame");
  return frames.map(({ type, payload }) => ({ type, payload }));
}

/**
 * Converts rows exported from the server's `sys_journal` table (ordered by `index`; `raw` holds the
 * entry's protobuf payload) into recorded entries.
 *
 * @throws Error for an `entry_type` this SDK does not know.
 * @example
 * const rows = await query("SELECT index, entry_type, raw FROM sys_journal WHERE id = '…'");
 * await replayJournal(svc, "handler", { invocationId: "inv_1…", entries: fromSysJournal(rows) });
 */
export function fromSysJournal(rows: readonly SysJournalRow[]): RecordedEntry[] {
  return [...rows]
    .sort((a, b) => a.index - b.index)
    .map((row) => ({
      type: entryTypeId("entryType" in row ? row.entryType : row.entry_type),
      payload: rawBytes(row.raw),
    }));
}

/** `"Command: Run"` → 0x0411, `"Notification: Run"` → 0x8011, `"Notification: Signal"` → 0xFBFF. */
function entryTypeId(entryType: string): number {
  const [kind, name = ""] = entryType.split(":").map((s) => s.trim());
  if (kind === "Notification" && name === "Signal") return SIGNAL_NOTIFICATION_TYPE;
  if (kind === "Notification" && name === "CallInvocationId") return 0x800e;
  const command = (CommandType as Readonly<Record<string, number>>)[name];
  if (command !== undefined && kind === "Command") return command;
  if (command !== undefined && kind === "Notification") return 0x8000 + (command - 0x0400);
  throw new Error(`Unknown sys_journal entry type "${entryType}"`);
}

function rawBytes(raw: SysJournalRow["raw"]): Uint8Array {
  if (raw instanceof Uint8Array) return raw;
  if (typeof raw !== "string") return Uint8Array.from(raw);
  if (raw.length % 2 !== 0 || /[^0-9a-f]/i.test(raw)) throw new Error("sys_journal raw is not hex");
  return Uint8Array.from({ length: raw.length / 2 }, (_, i) =>
    parseInt(raw.slice(2 * i, 2 * i + 2), 16),
  );
}
