// SPDX-License-Identifier: MIT
// Every member of the public context types has a doc comment: what it journals, when it suspends,
// what it throws belong there (every public symbol is documented). Parses the sources only (no type checking).
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** The modules that declare the context API handlers see. */
const MODULES = [
  "src/context/types.ts",
  "src/context/promise-types.ts",
  "src/context/combinators.ts",
];

/** `Interface.member` for each exported interface member without a `/** … *\/` comment. */
function undocumented(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const missing: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement) || !isExported(statement)) continue;
    if (!hasDoc(statement, text)) missing.push(statement.name.text);
    const seen = new Set<string>();
    for (const member of statement.members) {
      const name = member.name?.getText(source) ?? "(call)";
      // Overloads share the doc of their first signature, as TSDoc renders them.
      if (seen.has(name)) continue;
      seen.add(name);
      if (!hasDoc(member, text)) missing.push(`${statement.name.text}.${name}`);
    }
  }
  return missing;
}

function isExported(node: ts.InterfaceDeclaration): boolean {
  return node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true;
}

function hasDoc(node: ts.Node, text: string): boolean {
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  return ranges.some((r) => text.startsWith("/**", r.pos));
}

describe("TSDoc of the context API", () => {
  for (const file of MODULES) {
    it(`documents every interface and member in ${file}`, () => {
      expect(undocumented(file)).toEqual([]);
    });
  }
});
