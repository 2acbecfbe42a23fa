// SPDX-License-Identifier: MIT
// The comparisons of the compatibility check, as plain functions over the two programs: which
// official exports restate-hono lacks, which corpus diagnostics only restate-hono has, and which
// of those the known-gaps list explains.
import { ENTRY_PAIRS } from "./entries.js";
import type { KnownGap } from "./known-gaps.js";
import type { CorpusDiagnostic } from "./programs.js";
import type { ExportedName } from "./surface.js";

/** One difference between the official SDK and restate-hono, as a line of text. */
export type Difference = string;

/**
 * Official exports that the matching restate-hono entry lacks, or offers with fewer meanings
 * (a type where the official has a value, a value that cannot be used as a namespace, …).
 */
export function exportDifferences(
  official: readonly ExportedName[],
  ours: readonly ExportedName[],
): Difference[] {
  const oursByKey = new Map(ours.map((e) => [`${e.entry} ${e.name}`, e]));
  const differences: Difference[] = [];
  for (const exported of official) {
    const pair = ENTRY_PAIRS.find((p) => p.official === exported.entry);
    const where = `${pair?.ours ?? exported.entry} ${exported.name}`;
    const match = oursByKey.get(`${exported.entry} ${exported.name}`);
    if (match === undefined) {
      differences.push(`export missing: ${where}`);
      continue;
    }
    const lacking = exported.meanings.filter((m) => !match.meanings.includes(m));
    if (lacking.length > 0) differences.push(`export not usable as ${lacking.join("/")}: ${where}`);
  }
  return differences;
}

/** A corpus diagnostic as one line of text that gap patterns are matched against. */
export function describeDiagnostic(diagnostic: CorpusDiagnostic): Difference {
  return `${diagnostic.key} | ${diagnostic.line} | ${diagnostic.message.split("\n")[0] ?? ""}`;
}

/** Differences that no known gap explains. */
export function unexplained(
  differences: readonly Difference[],
  gaps: readonly KnownGap[],
): Difference[] {
  return differences.filter((d) => !gaps.some((gap) => gap.match.test(d)));
}

/** Known gaps that explain none of the differences: they were closed, so remove them. */
export function closedGaps(
  differences: readonly Difference[],
  gaps: readonly KnownGap[],
): string[] {
  return gaps.filter((gap) => !differences.some((d) => gap.match.test(d))).map((g) => g.what);
}
