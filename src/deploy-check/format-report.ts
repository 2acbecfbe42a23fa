// SPDX-License-Identifier: MIT
// The human form of a deploy-check report (the `--json` form is the report itself).
import { relative } from "node:path";
import type { DeployCheckReport, DivergedInvocation, JournalReport } from "./types.js";

/** Options of {@link formatReport}. */
export interface FormatOptions {
  /** Source paths are shown relative to this directory. */
  readonly cwd: string;
  /** Diverged invocations shown in full; the rest are counted. */
  readonly maxDiverged: number;
}

const VERDICT = {
  safe: "SAFE",
  unsafe: "UNSAFE",
  unknown: "COULD NOT CHECK",
} as const;

/**
 * Renders a report as plain text for a terminal or a CI log.
 *
 * @example
 * process.stdout.write(formatReport(await deployCheck({ admin, module: "./dist/services.js" })));
 */
export function formatReport(
  report: DeployCheckReport,
  options: Partial<FormatOptions> = {},
): string {
  const cwd = options.cwd ?? process.cwd();
  const lines: string[] = [
    `deploy-check: ${VERDICT[report.verdict]} (exit ${report.exitCode})`,
    `New code: ${report.services.join(", ") || "(none loaded)"}${report.replace !== undefined ? `, replacing ${report.replace}` : ""}`,
  ];
  for (const problem of report.problems) lines.push(`Could not check: ${problem}`);
  lines.push("", ...journalLines(report.journals, cwd, options.maxDiverged ?? 20));
  if (report.rescue !== undefined) {
    const r = report.rescue;
    lines.push(
      "",
      `Rescue of ${r.deployment} with ${r.uri}: ${r.isUpdated ? "updated in place" : `refused (${r.refusal ?? ""})`}`,
      ...r.stuck.map(
        (s) =>
          `  ${s.invocationId} ${s.target}: ${s.outcome}${s.lastFailure !== undefined ? ` (${s.lastFailure})` : ""}`,
      ),
    );
  }
  if (report.drain !== undefined) {
    lines.push("", "Deployments:");
    for (const d of report.drain.deployments) {
      const removed = report.drain.removed.includes(d.id) ? ", removed" : "";
      const verdict = d.canRemove ? "can be removed" : "keep";
      lines.push(
        `  ${d.id} ${d.uri ?? ""}  pinned ${d.pinned}  ${verdict}: ${d.reason}${removed}`.replace(
          / {3,}/g,
          "  ",
        ),
      );
    }
  }
  lines.push("", "Findings:");
  if (report.findings.length === 0) lines.push("  none");
  for (const f of report.findings) lines.push(`  ${f.severity.padEnd(7)} [${f.code}] ${f.message}`);
  const errors = report.findings.filter((f) => f.severity === "error").length;
  lines.push("", `${errors} error(s), ${report.findings.length - errors} warning(s)`);
  return `${lines.join("\n")}\n`;
}

function journalLines(journals: JournalReport, cwd: string, maxDiverged: number): string[] {
  if (!journals.isChecked) return ["Journals: not replayed"];
  const sample = journals.isSampled ? " (sampled)" : "";
  const lines = [
    `Journals: ${journals.checked} of ${journals.open} open invocation(s) replayed${sample}`,
  ];
  const width = Math.max(0, ...journals.handlers.map((h) => h.target.length));
  for (const h of journals.handlers) {
    const missing = h.isMissing === true ? "  not in the new code" : "";
    lines.push(
      `  ${h.target.padEnd(width)}  open ${h.open}  checked ${h.checked}  replayed ${h.replayed}  diverged ${h.diverged}  failed ${h.failed}  not started ${h.notStarted}${missing}`,
    );
  }
  for (const d of journals.diverged.slice(0, maxDiverged)) lines.push(...divergedLines(d, cwd));
  const hidden = journals.diverged.length - maxDiverged;
  if (hidden > 0) lines.push(`  … and ${hidden} more diverged invocation(s) (see --json)`);
  return lines;
}

function divergedLines(d: DivergedInvocation, cwd: string): string[] {
  const where =
    d.location === undefined
      ? "the handler line is unknown"
      : `at ${relative(cwd, d.location.file) || d.location.file}:${d.location.line}:${d.location.column}`;
  return [
    `  ✗ ${d.invocationId} ${d.target} (${d.status}) diverges at command #${d.commandIndex}`,
    `      journaled: ${d.journaled}`,
    `      new code:  ${d.produced}`,
    `      ${where}`,
  ];
}
