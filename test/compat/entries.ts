// SPDX-License-Identifier: MIT
// The official packages' entry points and the restate-hono entry each one maps to. The corpus is
// written against the official names; the rewrite below is the "one-line change" a user makes.

/** One official entry point and its restate-hono counterpart. */
export interface EntryPair {
  readonly official: string;
  readonly ours: string;
}

/** Every public entry point of the official SDK 1.17.2 and of its ingress client package. */
export const ENTRY_PAIRS: readonly EntryPair[] = [
  { official: "@restatedev/restate-sdk", ours: "restate-hono" },
  { official: "@restatedev/restate-sdk/fetch", ours: "restate-hono/fetch" },
  { official: "@restatedev/restate-sdk/node", ours: "restate-hono/node" },
  { official: "@restatedev/restate-sdk/lambda", ours: "restate-hono/lambda" },
  { official: "@restatedev/restate-sdk-clients", ours: "restate-hono/clients" },
];

const BY_OFFICIAL = new Map(ENTRY_PAIRS.map((pair) => [pair.official, pair.ours]));

// A quoted module specifier naming one of the official packages (with an optional subpath).
const SPECIFIER = /(["'])(@restatedev\/restate-sdk(?:-clients)?(?:\/[a-z]+)?)\1/g;

/**
 * Rewrites every official module specifier in `source` to the restate-hono one, leaving the rest of
 * the text (and so every line number) as it was.
 *
 * @throws Error when the source names an official entry point that has no counterpart.
 */
export function rewriteImports(source: string): string {
  return source.replace(SPECIFIER, (_match, quote: string, specifier: string) => {
    const ours = BY_OFFICIAL.get(specifier);
    if (ours === undefined) throw new Error(`no restate-hono entry for ${specifier}`);
    return `${quote}${ours}${quote}`;
  });
}
