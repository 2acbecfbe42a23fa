// SPDX-License-Identifier: MIT
/**
 * Collects one value per repetition for each (mode, case, metric, target) and renders the
 * side-by-side table: median (min–max) per target, and the ratio of the medians ours/official.
 */
import type { Target } from "./build.js";
import { median } from "./stats.js";

/** How a metric's numbers are printed. */
export interface MetricFormat {
  readonly unit: string;
  /** Digits after the decimal point; `undefined` picks by magnitude. */
  readonly digits?: number;
}

interface Row {
  readonly mode: string;
  readonly name: string;
  readonly metric: string;
  readonly format: MetricFormat;
  readonly values: Map<Target, number[]>;
}

interface CellStatus {
  failures: number;
  reasons: Set<string>;
  isTimeCapped: boolean;
}

const COLUMNS: readonly { readonly target: Target; readonly title: string }[] = [
  { target: "ours", title: "restate-hono" },
  { target: "official", title: "official 1.17.2" },
];

function key(...parts: string[]): string {
  return parts.join("\u0000");
}

/** All figures of one run, in the order they were first recorded. */
export class Results {
  readonly #rows = new Map<string, Row>();
  /** Per (mode, case, target): failures and time caps over all repetitions. */
  readonly #status = new Map<string, CellStatus>();

  /** Records one repetition's value of a metric. */
  add(
    mode: string,
    name: string,
    metric: string,
    format: MetricFormat,
    target: Target,
    value: number,
  ): void {
    const id = key(mode, name, metric);
    let row = this.#rows.get(id);
    if (row === undefined) {
      row = { mode, name, metric, format, values: new Map() };
      this.#rows.set(id, row);
    }
    const values = row.values.get(target) ?? [];
    values.push(value);
    row.values.set(target, values);
  }

  /** Records failed requests (a cell with any failure is invalid) and whether the time cap hit. */
  mark(
    mode: string,
    name: string,
    target: Target,
    outcome: { failures: number; reasons: readonly string[]; isTimeCapped: boolean },
  ): void {
    const id = key(mode, name, target);
    const status = this.#status.get(id) ?? { failures: 0, reasons: new Set(), isTimeCapped: false };
    status.failures += outcome.failures;
    for (const reason of outcome.reasons) if (status.reasons.size < 5) status.reasons.add(reason);
    status.isTimeCapped ||= outcome.isTimeCapped;
    this.#status.set(id, status);
  }

  /** The case names recorded under `mode`, in the order first recorded. */
  cases(mode: string): string[] {
    const names = new Set<string>();
    for (const row of this.#rows.values()) if (row.mode === mode) names.add(row.name);
    return [...names];
  }

  /**
   * The median of a metric's values for `target`; undefined when there are none or the cell is
   * invalid (a failed request or cold start).
   */
  median(mode: string, name: string, metric: string, target: Target): number | undefined {
    const values = this.#rows.get(key(mode, name, metric))?.values.get(target);
    if (values === undefined || values.length === 0) return undefined;
    if ((this.#status.get(key(mode, name, target))?.failures ?? 0) > 0) return undefined;
    return median(values);
  }

  /** Total failed requests across the run. */
  get failureCount(): number {
    let n = 0;
    for (const status of this.#status.values()) n += status.failures;
    return n;
  }

  /** One line per invalid cell: where, how many, why. */
  failureLines(): string[] {
    const lines: string[] = [];
    for (const [id, status] of this.#status) {
      if (status.failures === 0) continue;
      const [mode, name, target] = id.split("\u0000");
      lines.push(
        `${mode} / ${name} / ${target}: ${status.failures} failed — ${[...status.reasons].join("; ")}`,
      );
    }
    return lines;
  }

  /** The markdown table. */
  table(): string {
    const header = [
      "Mode",
      "Case",
      "Metric",
      ...COLUMNS.map((c) => c.title),
      "ours / official",
      "floor",
    ];
    const lines = [
      `| ${header.join(" | ")} |`,
      `|${header.map((_, i) => (i < 3 ? "---" : "---:")).join("|")}|`,
    ];
    for (const row of this.#rows.values()) {
      const cells = [row.mode, row.name, `${row.metric} (${row.format.unit})`];
      for (const { target } of COLUMNS) cells.push(this.#cell(row, target));
      cells.push(this.#ratio(row));
      cells.push(row.values.has("floor") ? this.#cell(row, "floor") : "");
      lines.push(`| ${cells.join(" | ")} |`);
    }
    return lines.join("\n");
  }

  #cell(row: Row, target: Target): string {
    const values = row.values.get(target);
    if (values === undefined || values.length === 0) return "–";
    const status = this.#status.get(key(row.mode, row.name, target));
    if (status !== undefined && status.failures > 0) return `INVALID (${status.failures} failed)`;
    const mark = status?.isTimeCapped === true ? " †" : "";
    const med = formatNumber(median(values), row.format);
    if (values.length === 1) return med + mark;
    const low = formatNumber(Math.min(...values), row.format);
    const high = formatNumber(Math.max(...values), row.format);
    return `${med} (${low}–${high})${mark}`;
  }

  #ratio(row: Row): string {
    const ours = row.values.get("ours");
    const official = row.values.get("official");
    if (ours === undefined || official === undefined) return "";
    const isInvalid = (target: Target): boolean =>
      (this.#status.get(key(row.mode, row.name, target))?.failures ?? 0) > 0;
    if (isInvalid("ours") || isInvalid("official")) return "invalid";
    const ratio = median(ours) / median(official);
    return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : "–";
  }
}

/** Prints with thousands separators and a precision that suits the magnitude. */
export function formatNumber(value: number, format: MetricFormat): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const digits = format.digits ?? (magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2);
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}
