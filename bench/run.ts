// SPDX-License-Identifier: MIT
/**
 * Benchmarks restate-hono against the official SDK (`npm run bench -- --help`). Prints one
 * markdown table to stdout and writes it, with the run's context, to bench/RESULTS.md. Progress
 * goes to stderr. Exits with 1 when any request got an invalid response.
 */
import { rmSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import * as prettier from "prettier";
import { BENCH_DIR, buildEndpointBundles, makeBuildDir } from "./build.js";
import { parseArgs, type BenchConfig } from "./config.js";
import { runCold } from "./mode-cold.js";
import { runDirect } from "./mode-direct.js";
import { runE2e } from "./mode-e2e.js";
import { runHeap } from "./mode-heap.js";
import { runSize } from "./mode-size.js";
import { captureContext, resultsDocument } from "./report.js";
import { Results } from "./results.js";
import { targetsSection } from "./targets.js";
import { log } from "./util.js";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let config: BenchConfig;
  try {
    config = parseArgs(args);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const context = captureContext(args);
  const started = performance.now();
  const results = new Results();
  const buildDir = await makeBuildDir();
  // Child processes and servers clean themselves up on exit; the bundles are ours to remove.
  const removeBuildDir = (): void => rmSync(buildDir, { recursive: true, force: true });
  process.once("exit", removeBuildDir);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      process.exit(130);
    });
  }
  try {
    log(`modes: ${config.modes.join(", ")}${config.isQuick ? " (quick)" : ""}; building bundles`);
    const bundles = await buildEndpointBundles(buildDir);
    for (const mode of config.modes) {
      log(`${mode}: start`);
      if (mode === "size") await runSize(results);
      else if (mode === "cold") await runCold(config, bundles, results, buildDir);
      else if (mode === "direct") await runDirect(config, bundles, results);
      else if (mode === "heap") await runHeap(config, bundles, results);
      else await runE2e(config, bundles, results);
    }
  } finally {
    removeBuildDir();
  }
  const table = results.table();
  const failures = results.failureLines();
  const durationS = (performance.now() - started) / 1000;
  const file = path.join(BENCH_DIR, "RESULTS.md");
  // Formatted like the rest of the repository, so `prettier --check .` stays clean after a run.
  const prettierOptions = (await prettier.resolveConfig(file)) ?? {};
  const document = await prettier.format(
    resultsDocument(config, context, table, failures, durationS, targetsSection(results)),
    { ...prettierOptions, parser: "markdown" },
  );
  process.stdout.write(document);
  await fs.writeFile(file, document);
  log(`wrote ${file} after ${durationS.toFixed(0)} s`);
  return results.failureCount > 0 ? 1 : 0;
}

process.exitCode = await main();
