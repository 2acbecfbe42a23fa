// SPDX-License-Identifier: MIT
// Bundle size of each SDK: its Node entry (see measureBundleSize) and a Worker built on its fetch
// entry (see measureWorkerBundleSize; the same bundle serves Bun and Deno).
import { measureBundleSize, type BundleSize, type Target } from "./build.js";
import { hasOurLambda, measureLambdaBundleSize } from "./lambda-cold.js";
import type { Results } from "./results.js";
import { measureWorkerBundleSize } from "./runtime-bundles.js";

/** The Worker cases of the table (see bench/targets.ts). */
export const WORKER_CASE = "Worker (browser): service + fetch handler";
export const WORKER_SERDE_CASE = "Worker (browser): service naming `serde` + fetch handler";

const ENTRIES: readonly (readonly [Target, string])[] = [
  ["ours", "./src/index.ts"],
  ["official", "@restatedev/restate-sdk"],
];

function record(results: Results, name: string, target: Target, size: BundleSize): void {
  const bytes = { unit: "bytes", digits: 0 };
  results.add("size", name, "minified", bytes, target, size.minifiedBytes);
  results.add("size", name, "minified + gzip -9", bytes, target, size.gzipBytes);
}

/** Deterministic: one build per SDK and bundle, no repetitions. */
export async function runSize(results: Results): Promise<void> {
  for (const [target, entry] of ENTRIES) {
    record(results, "Node: service + endpoint", target, await measureBundleSize(entry));
  }
  for (const target of ["ours", "official"] as const) {
    const size = await measureWorkerBundleSize(target);
    record(results, WORKER_CASE, target, size);
  }
  for (const target of ["ours", "official"] as const) {
    const size = await measureWorkerBundleSize(target, true);
    record(results, WORKER_SERDE_CASE, target, size);
  }
  for (const target of ["ours", "official"] as const) {
    if (target === "ours" && !hasOurLambda()) continue;
    const size = await measureLambdaBundleSize(target);
    record(results, "Lambda (Node): service + handler", target, size);
  }
}
