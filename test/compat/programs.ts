// SPDX-License-Identifier: MIT
// Builds the two TypeScript programs of the compatibility check in-process: the corpus as written
// (against the official SDK) and the corpus with its imports rewritten (against restate-hono's
// sources). Parsed library files are shared between the two, so the second program is cheap.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { ENTRY_PAIRS, rewriteImports } from "./entries.js";

/** The repository root and the corpus folder. */
export const ROOT = join(import.meta.dirname, "..", "..");
export const CORPUS_DIR = join(import.meta.dirname, "corpus");

/** A virtual root file that imports every entry point, so their exports can be listed. */
export const ENTRIES_FILE = join(CORPUS_DIR, "__entries__.ts");

/** Which side of the comparison a program is. */
export type Side = "official" | "ours";

/** One diagnostic of a corpus file, in a form that compares across the two programs. */
export interface CorpusDiagnostic {
  /** `corpus/file.ts:line TScode` */
  readonly key: string;
  /** The text of the corpus line the diagnostic points at. */
  readonly line: string;
  readonly message: string;
}

/** The corpus files (absolute paths), sorted. */
export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith(".ts") && !name.startsWith("__"))
    .sort()
    .map((name) => join(CORPUS_DIR, name));
}

function compilerOptions(side: Side): ts.CompilerOptions {
  const configPath = join(CORPUS_DIR, "tsconfig.json");
  const { config } = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path)) as {
    config: unknown;
  };
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, CORPUS_DIR);
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
  if (side === "ours") {
    // restate-hono resolves to its sources, as the repository's own tsconfig does: `restate-hono`
    // to src/index.ts, and `restate-hono/x` to src/x.ts or src/x/index.ts.
    options.baseUrl = ROOT;
    options.paths = {
      "restate-hono": ["./src/index.ts"],
      "restate-hono/*": ["./src/*.ts", "./src/*/index.ts"],
    };
  }
  return options;
}

const entriesSource = ENTRY_PAIRS.map(
  (pair, i) => `import * as entry${i} from "${pair.official}";\nvoid entry${i};\n`,
).join("");

const sharedSourceFiles = new Map<string, ts.SourceFile>();

/** Creates the program of one side over the whole corpus plus {@link ENTRIES_FILE}. */
export function createCorpusProgram(side: Side): ts.Program {
  const options = compilerOptions(side);
  const host = ts.createCompilerHost(options, true);
  const corpus = new Set(corpusFiles());
  const readCorpus = (fileName: string): string | undefined => {
    const text = fileName === ENTRIES_FILE ? entriesSource : ts.sys.readFile(fileName);
    if (text === undefined) return undefined;
    return side === "ours" ? rewriteImports(text) : text;
  };
  const isCorpus = (fileName: string) => fileName === ENTRIES_FILE || corpus.has(fileName);
  const baseGetSourceFile = host.getSourceFile.bind(host);
  const baseReadFile = host.readFile.bind(host);
  const baseFileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => fileName === ENTRIES_FILE || baseFileExists(fileName);
  host.readFile = (fileName) =>
    isCorpus(fileName) ? readCorpus(fileName) : baseReadFile(fileName);
  host.getSourceFile = (fileName, languageVersion, onError) => {
    if (isCorpus(fileName)) {
      const text = readCorpus(fileName);
      return text === undefined ? undefined : ts.createSourceFile(fileName, text, languageVersion);
    }
    // Library and package files are identical on both sides; parse them once.
    const cached = sharedSourceFiles.get(fileName);
    if (cached !== undefined) return cached;
    const file = baseGetSourceFile(fileName, languageVersion, onError);
    if (file !== undefined && !fileName.startsWith(join(ROOT, "src"))) {
      sharedSourceFiles.set(fileName, file);
    }
    return file;
  };
  return ts.createProgram({ rootNames: [...corpus, ENTRIES_FILE], options, host });
}

/** The diagnostics of the corpus files of `program` (syntactic and semantic), in file order. */
export function corpusDiagnostics(program: ts.Program): CorpusDiagnostic[] {
  const result: CorpusDiagnostic[] = [];
  for (const fileName of corpusFiles()) {
    const file = program.getSourceFile(fileName);
    if (file === undefined) throw new Error(`corpus file not in program: ${fileName}`);
    const diagnostics = [
      ...program.getSyntacticDiagnostics(file),
      ...program.getSemanticDiagnostics(file),
    ];
    for (const diagnostic of diagnostics) {
      const start = diagnostic.start ?? 0;
      const { line } = file.getLineAndCharacterOfPosition(start);
      const lineStart = file.getLineStarts()[line] ?? 0;
      const lineEnd = file.getLineEndOfPosition(start);
      result.push({
        key: `${relative(CORPUS_DIR, fileName)}:${line + 1} TS${diagnostic.code}`,
        line: file.text.slice(lineStart, lineEnd).trim(),
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"),
      });
    }
  }
  return result;
}
