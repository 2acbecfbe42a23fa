// SPDX-License-Identifier: MIT
// The TypeScript snippets of the repository's docs as one in-process program against the sources
// (as users import them: `restate-hono`, `restate-hono/clients`, …). A snippet is a fragment that
// uses names an earlier snippet or the surrounding prose introduced; a {@link SnippetContext} gives
// it those names, and a `services.ts` per document holds the services its snippets import.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

/** The repository root. */
export const ROOT = join(import.meta.dirname, "..", "..");

/** Where the snippets live in the program (no such folder exists on disk). */
const VIRTUAL_DIR = join(import.meta.dirname, "__docs__");

/** One fenced `ts` block of a document. */
export interface DocSnippet {
  /** The document, relative to the repository root. */
  readonly doc: string;
  /** 1-based position among the document's `ts` blocks. */
  readonly index: number;
  /** The block's first line, which names it in {@link SnippetContext} keys. */
  readonly firstLine: string;
  /** The line of the document the block's code starts on (1-based). */
  readonly docLine: number;
  readonly code: string;
}

/** What a snippet needs around it to compile. */
export interface SnippetContext {
  /** Declarations and imports put before the snippet. */
  readonly prelude?: string;
  /** Wraps the snippet in an async function (for fragments with `return`). */
  readonly isFunctionBody?: boolean;
}

/** The documents whose snippets must compile: README.md, docs/*.md, examples/*\/README.md. */
export function documents(): string[] {
  const inDir = (dir: string, pick: (name: string) => boolean) =>
    readdirSync(join(ROOT, dir), { withFileTypes: true })
      .filter((entry) => pick(entry.name) && (entry.isFile() || entry.isDirectory()))
      .map((entry) => entry.name);
  const docs = inDir("docs", (name) => name.endsWith(".md")).map((name) => `docs/${name}`);
  const examples = inDir("examples", (name) => !name.includes("."))
    .map((name) => `examples/${name}/README.md`)
    .filter((path) => readdirSync(join(ROOT, path, "..")).includes("README.md"));
  return ["README.md", ...docs.sort(), ...examples.sort()];
}

/** The `ts`/`typescript` blocks of one document. */
export function snippetsOf(doc: string): DocSnippet[] {
  const lines = readFileSync(join(ROOT, doc), "utf8").split("\n");
  const snippets: DocSnippet[] = [];
  let open: { start: number; body: string[] } | undefined;
  lines.forEach((line, i) => {
    if (open === undefined) {
      if (/^```(ts|typescript)\s*$/.test(line)) open = { start: i + 2, body: [] };
      return;
    }
    if (!line.startsWith("```")) {
      open.body.push(line);
      return;
    }
    const code = open.body.join("\n");
    snippets.push({
      doc,
      index: snippets.length + 1,
      firstLine: open.body.find((l) => l.trim() !== "")?.trim() ?? "",
      docLine: open.start,
      code,
    });
    open = undefined;
  });
  return snippets;
}

/** The key of a snippet in a context table: its document and its first line. */
export function snippetKey(snippet: DocSnippet): string {
  return `${snippet.doc}: ${snippet.firstLine}`;
}

function slug(doc: string): string {
  return doc.replace(/\.md$/, "").replace(/[^A-Za-z0-9]+/g, "-");
}

/** The path of a snippet's file in the program. */
function snippetPath(snippet: DocSnippet): string {
  return join(VIRTUAL_DIR, slug(snippet.doc), `snippet-${snippet.index}.ts`);
}

/** A snippet's source: its prelude, then the snippet, as a module. */
function snippetSource(snippet: DocSnippet, context: SnippetContext): string {
  const body = context.isFunctionBody
    ? `export async function snippet(): Promise<unknown> {\n${snippet.code}\n}`
    : snippet.code;
  return `${context.prelude ?? ""}\n${body}\nexport {};\n`;
}

/** One compiler diagnostic, placed in its document. */
export interface SnippetDiagnostic {
  /** `README.md:123` when it points into the snippet, `README.md (prelude)` otherwise. */
  readonly where: string;
  readonly message: string;
}

/** The program over every snippet, with the virtual `services.ts` of each document. */
export interface SnippetProgram {
  diagnostics(snippet: DocSnippet): SnippetDiagnostic[];
  /** The diagnostics of the `services.ts` given for `doc`, as `line: message`. */
  servicesDiagnostics(doc: string): string[];
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(ROOT, "tsconfig.json");
  const { config } = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path)) as {
    config: unknown;
  };
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    // Every entry resolves to its sources, deploy-check too (the tsconfig lists the main ones).
    baseUrl: ROOT,
    paths: {
      "restate-hono": ["./src/index.ts"],
      "restate-hono/*": ["./src/*.ts", "./src/*/index.ts"],
    },
  };
}

/**
 * Compiles every snippet in one program; `services` maps a document to the source of the
 * `./services.js` its snippets (and preludes) import.
 */
export function compileSnippets(
  snippets: readonly DocSnippet[],
  contexts: ReadonlyMap<string, SnippetContext>,
  services: ReadonlyMap<string, string>,
): SnippetProgram {
  const files = new Map<string, string>();
  const prelude = new Map<DocSnippet, number>();
  for (const snippet of snippets) {
    const context = contexts.get(snippetKey(snippet)) ?? {};
    files.set(snippetPath(snippet), snippetSource(snippet, context));
    prelude.set(
      snippet,
      (context.prelude ?? "").split("\n").length + (context.isFunctionBody ? 1 : 0),
    );
  }
  const servicesPath = (doc: string) => join(VIRTUAL_DIR, slug(doc), "services.ts");
  for (const [doc, source] of services) files.set(servicesPath(doc), source);

  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const baseGetSourceFile = host.getSourceFile.bind(host);
  const baseReadFile = host.readFile.bind(host);
  const baseFileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => files.has(fileName) || baseFileExists(fileName);
  host.readFile = (fileName) => files.get(fileName) ?? baseReadFile(fileName);
  // The snippets' folders exist only here; module resolution asks for them before their files.
  host.directoryExists = (dir) => dir.startsWith(VIRTUAL_DIR) || ts.sys.directoryExists(dir);
  host.getSourceFile = (fileName, languageVersion, onError) => {
    const text = files.get(fileName);
    return text === undefined
      ? baseGetSourceFile(fileName, languageVersion, onError)
      : ts.createSourceFile(fileName, text, languageVersion);
  };
  const program = ts.createProgram({ rootNames: [...files.keys()], options, host });

  const diagnosticsOf = (file: ts.SourceFile) => [
    ...program.getSyntacticDiagnostics(file),
    ...program.getSemanticDiagnostics(file),
  ];
  return {
    servicesDiagnostics(doc) {
      const file = program.getSourceFile(servicesPath(doc));
      if (file === undefined) throw new Error(`no services.ts for ${doc}`);
      return diagnosticsOf(file).map((diagnostic) => {
        const { line } = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        return `${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " ")}`;
      });
    },
    diagnostics(snippet) {
      const file = program.getSourceFile(snippetPath(snippet));
      if (file === undefined) throw new Error(`${snippetKey(snippet)} is not in the program`);
      const skip = prelude.get(snippet) ?? 0;
      return diagnosticsOf(file).map((diagnostic) => {
        const line = file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line;
        const inSnippet = line >= skip && line < skip + snippet.code.split("\n").length;
        return {
          where: inSnippet
            ? `${snippet.doc}:${snippet.docLine + line - skip}`
            : `${snippet.doc} (prelude)`,
          message: ts.flattenDiagnosticMessageText(diagnostic.messageText, " "),
        };
      });
    },
  };
}
