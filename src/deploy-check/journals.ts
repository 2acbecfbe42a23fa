// SPDX-License-Identifier: MIT
// The journal check: export the journal of each open invocation from the server and replay it
// against the new code, then summarise per handler.
import type { Admin } from "../clients/admin.js";
import type { InvocationRow } from "../clients/sql.js";
import type { ServiceEntry } from "../definitions/registry.js";
import { fromSysJournal } from "../testing/replay-journal.js";
import { replayInvocation } from "./replay-invocation.js";
import { sampleByGroup } from "./sample.js";
import type { DivergedInvocation, HandlerSummary, JournalReport } from "./types.js";

/** Journals replayed at the same time (each is an admin query plus in-memory work). */
const CONCURRENCY = 4;

/** The journal report plus the state keys the new code was seen reading, per service. */
export interface JournalCheck {
  readonly report: JournalReport;
  readonly stateKeysRead: ReadonlyMap<string, ReadonlySet<string>>;
}

const handlerOf = (row: InvocationRow) => `${row.targetServiceName}/${row.targetHandlerName}`;

/**
 * Replays `rows` (or a sample of at most `limit` of them) against `code`.
 *
 * @example
 * const { report } = await checkJournals(admin, code, rows, { limit: 100, seed: 1, progress: console.error });
 */
export async function checkJournals(
  admin: Admin,
  code: ReadonlyMap<string, ServiceEntry>,
  rows: readonly InvocationRow[],
  options: {
    readonly limit: number;
    readonly seed: number;
    readonly progress: (line: string) => void;
    /** Open invocations per handler when `rows` is already a sample drawn by the server. */
    readonly openCounts?: ReadonlyMap<string, number>;
  },
): Promise<JournalCheck> {
  const chosen = sampleByGroup(rows, options.limit, handlerOf, options.seed);
  const summaries = new Map<string, Mutable<HandlerSummary>>();
  const summary = (target: string) => {
    let s = summaries.get(target);
    if (s === undefined) {
      s = { target, open: 0, checked: 0, replayed: 0, diverged: 0, failed: 0, notStarted: 0 };
      summaries.set(target, s);
    }
    return s;
  };
  if (options.openCounts !== undefined) {
    for (const [target, n] of options.openCounts) summary(target).open = n;
  } else {
    for (const row of rows) summary(handlerOf(row)).open++;
  }
  const open = [...summaries.values()].reduce((sum, s) => sum + s.open, 0);
  const diverged: DivergedInvocation[] = [];
  const failed: JournalReport["failed"][number][] = [];
  const stateKeysRead = new Map<string, Set<string>>();
  let done = 0;
  const step = Math.max(1, Math.floor(chosen.length / 10));

  const checkOne = async (row: InvocationRow): Promise<void> => {
    const s = summary(handlerOf(row));
    const handler = code.get(row.targetServiceName)?.handlers.get(row.targetHandlerName);
    if (handler === undefined) {
      s.isMissing = true;
      return;
    }
    s.checked++;
    const rows = await admin.exportJournal(row.id);
    if (rows.length === 0) {
      s.notStarted++;
      return;
    }
    const result = await replayInvocation(handler, {
      invocationId: row.id,
      ...(row.targetServiceKey !== undefined ? { key: row.targetServiceKey } : {}),
      entries: fromSysJournal(rows),
    });
    const keys = stateKeysRead.get(row.targetServiceName) ?? new Set<string>();
    for (const key of result.stateKeysRead) keys.add(key);
    stateKeysRead.set(row.targetServiceName, keys);
    if (result.outcome === "replayed") {
      s.replayed++;
    } else if (result.outcome === "failed") {
      s.replayed++;
      s.failed++;
      failed.push({
        invocationId: row.id,
        target: row.target,
        handler: handlerOf(row),
        failure: result.failure,
      });
    } else {
      s.diverged++;
      const { commandIndex, journaled, produced, location } = result.divergence;
      diverged.push({
        invocationId: row.id,
        target: row.target,
        handler: handlerOf(row),
        status: row.status,
        commandIndex,
        journaled,
        produced,
        ...(location !== undefined ? { location } : {}),
      });
    }
  };

  const queue = [...chosen];
  const worker = async (): Promise<void> => {
    for (let row = queue.shift(); row !== undefined; row = queue.shift()) {
      await checkOne(row);
      done++;
      if (done % step === 0 || done === chosen.length) {
        options.progress(`deploy-check: replayed ${done}/${chosen.length} journals`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  return {
    report: {
      isChecked: true,
      open,
      checked: chosen.filter((row) => !(summaries.get(handlerOf(row))?.isMissing ?? false)).length,
      isSampled: chosen.length < open,
      handlers: [...summaries.values()].sort((a, b) => a.target.localeCompare(b.target)),
      diverged: diverged.sort((a, b) => a.invocationId.localeCompare(b.invocationId)),
      failed,
    },
    stateKeysRead,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
