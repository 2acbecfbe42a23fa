// SPDX-License-Identifier: MIT
// The public entries of the package (package.json "exports" with types) and the name of each one's
// API report in etc/. Shared by dev/api-report.ts and its test.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface Entry {
  /** The subpath in package.json "exports" (".", "./fetch", …). */
  readonly subpath: string;
  /** The entry's declaration file, absolute. */
  readonly dts: string;
  /** The report's file name in etc/. */
  readonly reportFileName: string;
}

/** Every export of package.json that has types, so a new entry gets a report without edits here. */
export function publicEntries(root: string): Entry[] {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    exports: Record<string, { import?: { types?: string } } | string>;
  };
  const entries: Entry[] = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const types = typeof target === "string" ? undefined : target.import?.types;
    if (types === undefined) continue;
    const suffix = subpath === "." ? "" : `-${subpath.slice(2).replaceAll("/", "-")}`;
    entries.push({
      subpath,
      dts: join(root, types),
      reportFileName: `restate-hono${suffix}.api.md`,
    });
  }
  return entries;
}
