// SPDX-License-Identifier: MIT
// The measuring loop every cold-start case shares: rounds of one cold start per target, in an
// order that rotates per round, each recorded with the time above the same round's floor.
import type { Target } from "./build.js";
import type { Results } from "./results.js";
import { rotate } from "./util.js";

/** One cold start: its time, the child's CPU and RSS at the answer, or why it failed. */
export interface ColdOutcome {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssMb: number;
  readonly error?: string;
}

/** One cold-start case of the table. */
export interface ColdCase {
  readonly mode: string;
  /** The table's case name. */
  readonly name: string;
  /** The label of the CPU metric (whose CPU it is). */
  readonly cpuLabel: string;
  readonly targets: readonly Target[];
  readonly runs: number;
  /** Spawns the child for `target` and waits for its first valid answer. */
  coldStart(target: Target): Promise<ColdOutcome>;
}

/**
 * Runs `runs` rounds of {@link ColdCase.coldStart} per target into `results`, with each SDK's
 * time above the floor of the same round (NaN when the round has no floor).
 */
export async function recordColdRuns(results: Results, cold: ColdCase): Promise<void> {
  const { mode, name } = cold;
  for (let run = 0; run < cold.runs; run++) {
    const times = new Map<Target, number>();
    for (const target of rotate(cold.targets, run)) {
      const outcome = await cold.coldStart(target);
      results.mark(mode, name, target, {
        failures: outcome.error === undefined ? 0 : 1,
        reasons: outcome.error === undefined ? [] : [outcome.error],
        isTimeCapped: false,
      });
      times.set(target, outcome.ms);
      results.add(mode, name, "time", { unit: "ms", digits: 0 }, target, outcome.ms);
      const cpu = { unit: "ms", digits: 0 };
      results.add(mode, name, cold.cpuLabel, cpu, target, outcome.cpuMs);
      results.add(mode, name, "RSS then", { unit: "MB", digits: 1 }, target, outcome.rssMb);
    }
    const floor = times.get("floor") ?? NaN;
    for (const target of ["ours", "official"] as const) {
      if (!times.has(target)) continue;
      const above = (times.get(target) ?? NaN) - floor;
      results.add(mode, name, "time above bare runtime", { unit: "ms", digits: 0 }, target, above);
    }
  }
}
