// SPDX-License-Identifier: MIT
// Bundle size of each SDK's core entry (see measureBundleSize for the exact build).
import { measureBundleSize, type Target } from "./build.js";
import type { Results } from "./results.js";

const ENTRIES: readonly (readonly [Target, string])[] = [
  ["ours", "./src/index.ts"],
  ["official", "@restatedev/restate-sdk"],
];

/** Deterministic: one build per SDK, no repetitions. */
export async function runSize(results: Results): Promise<void> {
  const name = "esbuild bundle of service + endpoint";
  for (const [target, entry] of ENTRIES) {
    const size = await measureBundleSize(entry);
    results.add("size", name, "minified", { unit: "bytes", digits: 0 }, target, size.minifiedBytes);
    results.add(
      "size",
      name,
      "minified + gzip -9",
      { unit: "bytes", digits: 0 },
      target,
      size.gzipBytes,
    );
  }
}
