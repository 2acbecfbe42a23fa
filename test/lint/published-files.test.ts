// SPDX-License-Identifier: MIT
// What `npm run build` publishes: tsconfig.build.json leaves out tests, `__fixtures__` and the
// engine's test builders (src/journal/testing/), but tsc still compiles any file a published
// module imports. So no published module may import one of them.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const SRC = path.resolve(import.meta.dirname, "../../src");
const TEST_ONLY = /(^|\/)(__fixtures__|journal\/testing)(\/|$)|\.test\.ts$/;

/** Every `.ts` file under src, relative to it. */
function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") ? [path.relative(SRC, full)] : [];
  });
}

/** The relative import specifiers of a module, resolved against src. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), "utf8");
  const specifiers = [
    ...text.matchAll(/\bfrom\s+"(\.{1,2}\/[^"]+)"|\bimport\(\s*"(\.{1,2}\/[^"]+)"/g),
  ];
  return specifiers.map((m) => path.join(path.dirname(file), m[1] ?? m[2] ?? ""));
}

describe("published files", () => {
  const published = sources().filter((file) => !TEST_ONLY.test(file));

  it("finds the modules it checks", () => {
    expect(published).toContain("index.ts");
    expect(published).toContain(path.join("journal", "vm.ts"));
    expect(published.some((file) => file.startsWith(path.join("journal", "testing")))).toBe(false);
  });

  it("never import a test, a fixture or the engine's test builders", () => {
    const offending = published.flatMap((file) =>
      importsOf(file)
        .filter((target) => TEST_ONLY.test(target))
        .map((target) => `${file} imports ${target}`),
    );
    expect(offending).toEqual([]);
  });
});
