// SPDX-License-Identifier: MIT
// The measuring loop every cold-start case shares: rounds of one cold start per target, in an
// order that rotates per round, each recorded with the time above the same round's floor.
import type { Target } from "./build.js";
import type { Results } from "./results.js";
import { rotate } from "./util.js";

/** The metrics of what an SDK adds to the bare runtime: its figure minus the same round's floor. */
export const TIME_ABOVE = "time above bare runtime";
export const CPU_ABOVE = "CPU above bare runtime";

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
 * time and CPU above the floor of the same round (NaN when the round has no floor).
 */
export async function recordColdRuns(results: Results, cold: ColdCase): Promise<void> {
  const { mode, name } = cold;
  for (let run = 0; run < cold.runs; run++) {
    const outcomes = new Map<Target, ColdOutcome>();
    for (const target of rotate(cold.targets, run)) {
      const outcome = await cold.coldStart(target);
      results.mark(mode, name, target, {
        failures: outcome.error === undefined ? 0 : 1,
        reasons: outcome.error === undefined ? [] : [outcome.error],
        isTimeCapped: false,
      });
      outcomes.set(target, outcome);
      results.add(mode, name, "time", { unit: "ms", digits: 0 }, target, outcome.ms);
      const cpu = { unit: "ms", digits: 0 };
      results.add(mode, name, cold.cpuLabel, cpu, target, outcome.cpuMs);
      results.add(mode, name, "RSS then", { unit: "MB", digits: 1 }, target, outcome.rssMb);
    }
    const floor = outcomes.get("floor");
    for (const target of ["ours", "official"] as const) {
      const outcome = outcomes.get(target);
      if (outcome === undefined) continue;
      const ms = { unit: "ms", digits: 0 };
      results.add(mode, name, TIME_ABOVE, ms, target, outcome.ms - (floor?.ms ?? NaN));
      results.add(mode, name, CPU_ABOVE, ms, target, outcome.cpuMs - (floor?.cpuMs ?? NaN));
    }
  }
}
