// SPDX-License-Identifier: MIT
// The drop-in promise, checked: the corpus (programs written for @restatedev/restate-sdk 1.17.2)
// type-checks identically against restate-hono after the one-line import change, every official
// export exists in the matching restate-hono entry, and the corpus uses every official export and
// member, so a name the official packages have cannot slip past unchecked.
import { beforeAll, describe, expect, it } from "vitest";
import {
  closedGaps,
  describeDiagnostic,
  exportDifferences,
  unexplained,
  type Difference,
} from "./compare.js";
import { KNOWN_GAPS } from "./known-gaps.js";
import { corpusDiagnostics, corpusFiles, createCorpusProgram } from "./programs.js";
import { corpusUsage, entryExports, isUsed, officialMembers } from "./surface.js";

let officialDiagnostics: Difference[] = [];
let unusedMembers: string[] = [];
let differences: Difference[] = [];

beforeAll(() => {
  const official = createCorpusProgram("official");
  const ours = createCorpusProgram("ours");
  officialDiagnostics = corpusDiagnostics(official).map(describeDiagnostic);
  const officialExports = entryExports(official);
  const usage = corpusUsage(official, corpusFiles());
  unusedMembers = officialMembers(official.getTypeChecker(), officialExports)
    .filter((member) => !isUsed(member, usage))
    .map((member) => member.path);
  const ourDiagnostics = new Set(corpusDiagnostics(ours).map(describeDiagnostic));
  const expected = new Set(officialDiagnostics);
  differences = [
    ...exportDifferences(officialExports, entryExports(ours)),
    ...[...ourDiagnostics].filter((d) => !expected.has(d)),
  ];
}, 120_000);

describe("drop-in compatibility with @restatedev/restate-sdk 1.17.2", () => {
  it("the corpus is valid code for the official SDK", () => {
    expect(officialDiagnostics).toEqual([]);
  });

  it("the corpus uses every official export, member and overload", () => {
    expect(unusedMembers).toEqual([]);
  });

  it("restate-hono exports every official name and type-checks the corpus the same way", () => {
    expect(unexplained(differences, KNOWN_GAPS)).toEqual([]);
  });

  it("lists no known gap that is already closed (delete those from known-gaps.ts)", () => {
    expect(closedGaps(differences, KNOWN_GAPS)).toEqual([]);
  });
});
