// SPDX-License-Identifier: MIT
// Bounded, reproducible property runs: a fixed seed and a small number of cases by default, so CI
// is fast and a failure replays exactly; FC_SEED=<n> and FC_RUNS=<n> explore more on demand.

const DEFAULT_SEED = 0x5eed;

/** fast-check parameters for one property: `fc.assert(property, propertyRuns(50))`. */
export function propertyRuns(defaultRuns: number): { seed: number; numRuns: number } {
  const seed = Number(process.env.FC_SEED ?? DEFAULT_SEED);
  const runs = Number(process.env.FC_RUNS ?? defaultRuns);
  return {
    seed: Number.isSafeInteger(seed) ? seed : DEFAULT_SEED,
    numRuns: Number.isSafeInteger(runs) && runs > 0 ? runs : defaultRuns,
  };
}
