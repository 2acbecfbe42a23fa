// SPDX-License-Identifier: MIT
/**
 * The targets of issue #11 ("Cold start and size"), judged on a run's figures: in every cold case
 * (Node bundled and from its npm package, Bun, Deno bundled and from its npm package, workerd,
 * Lambda; one row per case measured), each SDK's start-up cost above the bare runtime (ours at
 * most half the official SDK's), and the Worker bundle (ours at most 0.08× of the official one,
 * WASM included, also when the Worker names the `serde` namespace).
 */
import { CPU_ABOVE, TIME_ABOVE } from "./cold-runs.js";
import { WORKER_CASE, WORKER_SERDE_CASE } from "./mode-size.js";
import { formatNumber, type Results } from "./results.js";

/** ours / official that start-up cost above the bare runtime may reach. */
export const COLD_ABOVE_MAX = 0.5;
/** ours / official that the minified Worker bundle may reach. */
export const WORKER_SIZE_MAX = 0.08;

const COLD_MODE = "cold start";
const MINIFIED = "minified";

/** One judged target: what, the bound, this run's figures, the verdict. */
export interface TargetRow {
  readonly target: string;
  readonly required: string;
  readonly measured: string;
  readonly verdict: "met" | "missed" | "not measured";
}

function judge(
  target: string,
  max: number,
  ours: number | undefined,
  official: number | undefined,
  unit: string,
): TargetRow {
  const required = `≤ ${max.toFixed(2)}×`;
  if (ours === undefined || official === undefined || !(official > 0)) {
    return { target, required, measured: "–", verdict: "not measured" };
  }
  const ratio = ours / official;
  const fmt = (n: number): string =>
    formatNumber(n, unit === "bytes" ? { unit, digits: 0 } : { unit });
  return {
    target,
    required,
    measured: `${ratio.toFixed(3)}× (${fmt(ours)} vs ${fmt(official)} ${unit})`,
    verdict: ratio <= max ? "met" : "missed",
  };
}

/** The targets this run measured, one row per runtime and metric, then the Worker sizes. */
export function judgeTargets(results: Results): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const name of results.cases(COLD_MODE)) {
    const runtime = name.split(":")[0] ?? name;
    for (const metric of [CPU_ABOVE, TIME_ABOVE]) {
      const ours = results.median(COLD_MODE, name, metric, "ours");
      const official = results.median(COLD_MODE, name, metric, "official");
      if (ours === undefined && official === undefined) continue;
      rows.push(judge(`${runtime}: ${metric}`, COLD_ABOVE_MAX, ours, official, "ms"));
    }
  }
  for (const name of [WORKER_CASE, WORKER_SERDE_CASE]) {
    const ours = results.median("size", name, MINIFIED, "ours");
    const official = results.median("size", name, MINIFIED, "official");
    if (ours === undefined && official === undefined) continue;
    rows.push(judge(`${name}, minified`, WORKER_SIZE_MAX, ours, official, "bytes"));
  }
  return rows;
}

/** The markdown section of {@link judgeTargets}, or "" when the run measured none of them. */
export function targetsSection(results: Results): string {
  const rows = judgeTargets(results);
  if (rows.length === 0) return "";
  const lines = [
    "## Targets (issue #11: cold start and size), judged on this run",
    "",
    "| Target (ours / official) | Required | This run (medians) | Verdict |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.target} | ${r.required} | ${r.measured} | ${r.verdict} |`),
    "",
    "Above the bare runtime: the median over rounds of (SDK − the same round's bare runtime). " +
      "CPU is the endpoint process's user + system time, the figure least moved by other load " +
      "on the machine.",
  ];
  return lines.join("\n");
}
