// SPDX-License-Identifier: MIT
// What restate-hono still lacks to be a drop-in replacement for @restatedev/restate-sdk 1.17.2,
// as found by the compatibility check (compat.test.ts). Each entry explains the differences its
// pattern matches: an export line (`export missing: restate-hono/fetch Opts`) or a corpus
// diagnostic (`file.ts:line TScode | source line | message`). The list only shrinks: once a gap is
// closed the check fails until its entry is deleted here. The aim is an empty list.

/** One feature or name still missing, and who is on it. */
export interface KnownGap {
  readonly what: string;
  readonly owner: "api" | "endpoint" | "obs" | "compat";
  readonly match: RegExp;
}

export const KNOWN_GAPS: readonly KnownGap[] = [
  // endpoint: entry points and endpoint builders.
];
