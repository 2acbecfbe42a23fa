// SPDX-License-Identifier: MIT
// Small statistics helpers and the bounded load loop every mode uses.

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Nearest-rank percentile (`p` in 0..100) of a list sorted ascending. */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedAscending.length);
  return sortedAscending[Math.min(sortedAscending.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** The outcome of {@link runLoad}. */
export interface LoadResult {
  /** Tasks that completed and passed validation. */
  readonly ok: number;
  readonly failures: number;
  /** The first few distinct failure reasons, for the log. */
  readonly failureReasons: readonly string[];
  /** Latency of every successful task in ms, sorted ascending. */
  readonly latenciesMs: readonly number[];
  readonly wallMs: number;
  /** True when the time limit stopped the loop before `total` tasks were issued. */
  readonly isTimeCapped: boolean;
}

/**
 * Runs `total` tasks with `concurrency` in flight (each worker issues its next task as soon as the
 * previous one settles), and stops issuing new ones once `maxMs` have passed. A task resolves with
 * `undefined` when valid, else with the reason it is not; a rejection counts as a failure too.
 *
 * @example
 * const result = await runLoad(1000, 32, 10_000, (i, worker) => invoke(i));
 */
export async function runLoad(
  total: number,
  concurrency: number,
  maxMs: number,
  task: (index: number, worker: number) => Promise<string | undefined>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const reasons = new Set<string>();
  let failures = 0;
  let next = 0;
  let isTimeCapped = false;
  const started = performance.now();
  const deadline = started + maxMs;
  const worker = async (w: number): Promise<void> => {
    while (next < total) {
      if (performance.now() > deadline) {
        isTimeCapped = true;
        return;
      }
      const index = next++;
      const t0 = performance.now();
      let reason: string | undefined;
      try {
        reason = await task(index, w);
      } catch (error) {
        reason = error instanceof Error ? error.message : String(error);
      }
      if (reason === undefined) latencies.push(performance.now() - t0);
      else {
        failures++;
        if (reasons.size < 5) reasons.add(reason);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, (_, w) => worker(w)));
  const wallMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    ok: latencies.length,
    failures,
    failureReasons: [...reasons],
    latenciesMs: latencies,
    wallMs,
    isTimeCapped,
  };
}
