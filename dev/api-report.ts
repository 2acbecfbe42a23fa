// SPDX-License-Identifier: MIT
// The API report: one `etc/<entry>.api.md` per public entry of package.json "exports", written by
// API Extractor from the built declarations (dist/src), so that every change to the public surface
// shows up as a diff in review.
//
//   tsx dev/api-report.ts          regenerate the reports (`npm run api` emits the .d.ts first)
//   tsx dev/api-report.ts --check  fail when a report differs from the declarations (CI)
//
// One TypeScript program is shared by all entries, so the whole run costs about one analysis.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import {
  CompilerState,
  Extractor,
  ExtractorConfig,
  ExtractorLogLevel,
} from "@microsoft/api-extractor";
import type { ExtractorMessage, IConfigFile } from "@microsoft/api-extractor";
import { publicEntries, type Entry } from "./api-entries.js";

const root = resolve(import.meta.dirname, "..");
const reportFolder = join(root, "etc");
const tempFolder = join(root, "dist", "api-report");
const isCheck = process.argv.includes("--check");

function configFor(entry: Entry, files: readonly string[]): IConfigFile {
  return {
    projectFolder: root,
    mainEntryPointFilePath: entry.dts,
    newlineKind: "lf",
    compiler: {
      overrideTsconfig: {
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2023"],
          types: ["node"],
          strict: true,
          skipLibCheck: true,
        },
        files,
      },
    },
    apiReport: {
      enabled: true,
      reportFileName: entry.reportFileName,
      reportFolder,
      reportTempFolder: tempFolder,
    },
    docModel: { enabled: false },
    dtsRollup: { enabled: false },
    tsdocMetadata: { enabled: false },
    // prepare() does not merge API Extractor's defaults, so every level is stated here.
    messages: {
      compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
      extractorMessageReporting: {
        default: { logLevel: ExtractorLogLevel.Warning },
        // The package does not use @public/@beta release tags; @internal is enough.
        "ae-missing-release-tag": { logLevel: ExtractorLogLevel.None },
        // Member-level TSDoc coverage is reviewed in the source, not enforced here.
        "ae-undocumented": { logLevel: ExtractorLogLevel.None },
        // A broken {@link} is a docs problem, not an API one.
        "ae-unresolved-link": { logLevel: ExtractorLogLevel.None },
        // Judged in messageCallback: a sub-entry may refer to what the main entry exports.
        "ae-forgotten-export": { logLevel: ExtractorLogLevel.Warning, addToApiReportFile: false },
      },
      // TSDoc syntax (unescaped braces in examples and the like) is not part of the API.
      tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
    },
  };
}

/** A view of the TypeScript program API Extractor built (its own TypeScript version). */
interface ProgramView {
  getSourceFile(fileName: string): object | undefined;
  getTypeChecker(): {
    getSymbolAtLocation(node: object): object | undefined;
    getExportsOfModule(moduleSymbol: object): readonly { readonly name: string }[];
  };
}

/** The names a declaration file exports. */
function exportedNames(compilerState: CompilerState, dts: string): Set<string> {
  const program = compilerState.program as ProgramView;
  const file = program.getSourceFile(dts);
  const checker = program.getTypeChecker();
  const moduleSymbol = file === undefined ? undefined : checker.getSymbolAtLocation(file);
  if (moduleSymbol === undefined) return new Set();
  return new Set(checker.getExportsOfModule(moduleSymbol).map((s) => s.name));
}

const entries = publicEntries(root);
const missing = entries.filter((e) => !existsSync(e.dts));
if (missing.length > 0) {
  console.error(
    `api-report: no declarations for ${missing.map((e) => e.subpath).join(", ")}. ` +
      "Run `npm run build` (or `npm run api`) first.",
  );
  process.exit(1);
}
mkdirSync(reportFolder, { recursive: true });
rmSync(tempFolder, { recursive: true, force: true });

const files = entries.map((e) => e.dts);
let state: CompilerState | undefined;
let mainExports: Set<string> | undefined;
const stale: string[] = [];
let problems = 0;
let forgottenExports = 0;
const reportMessages = new Set([
  "console-api-report-changed",
  "console-api-report-copied",
  "console-api-report-created",
  "console-api-report-missing",
]);

for (const entry of entries) {
  const config = ExtractorConfig.prepare({
    configObject: configFor(entry, files),
    configObjectFullPath: join(root, "api-extractor.json"),
    packageJsonFullPath: join(root, "package.json"),
  });
  state ??= CompilerState.create(config, { additionalEntryPoints: files });
  mainExports ??= exportedNames(state, join(root, "dist/src/index.d.ts"));
  const result = Extractor.invoke(config, {
    localBuild: !isCheck,
    compilerState: state,
    messageCallback: (message: ExtractorMessage) => {
      message.handled = true;
      const level = message.logLevel;
      if (level !== ExtractorLogLevel.Warning && level !== ExtractorLogLevel.Error) return;
      // Report differences are summed up below, with what to do about them.
      if (reportMessages.has(message.messageId)) return;
      // API Extractor knows one entry per run: a type of the main entry that a sub-entry uses
      // (`restate-hono/testing` taking a `Duration`) is exported, just not from that entry.
      const forgotten = /^The symbol "([^"]+)"/.exec(message.text)?.[1];
      const isCrossEntry =
        message.messageId === "ae-forgotten-export" &&
        entry.subpath !== "." &&
        forgotten !== undefined &&
        mainExports?.has(forgotten) === true;
      if (isCrossEntry) return;
      const where =
        message.sourceFilePath === undefined
          ? ""
          : ` (${relative(root, message.sourceFilePath)}:${message.sourceFileLine})`;
      console.error(`${entry.subpath}: ${message.messageId}: ${message.text}${where}`);
      if (message.messageId === "ae-forgotten-export") forgottenExports += 1;
      else problems += 1;
    },
  });
  if (result.apiReportChanged) stale.push(entry.reportFileName);
  if (result.apiReportChanged && !isCheck)
    console.log(`api-report: updated etc/${entry.reportFileName}`);
}

// A report whose entry is gone from package.json is stale too.
const expected = new Set(entries.map((e) => e.reportFileName));
for (const name of readdirSync(reportFolder)) {
  if (!name.endsWith(".api.md") || expected.has(name)) continue;
  if (isCheck) stale.push(name);
  else rmSync(join(reportFolder, name));
}

if (isCheck && stale.length > 0) {
  for (const name of stale) {
    const current = join(reportFolder, name);
    const fresh = join(tempFolder, name);
    if (!existsSync(fresh)) {
      console.error(`api-report: etc/${name} belongs to no entry of package.json "exports".`);
      continue;
    }
    try {
      const paths = [relative(root, current), relative(root, fresh)];
      execFileSync("git", ["diff", "--no-index", "--", ...paths], { cwd: root, stdio: "inherit" });
    } catch {
      // git diff exits 1 when the files differ: that is the point of showing it.
    }
  }
  console.error(
    `\napi-report: the public API differs from etc/ (${stale.join(", ")}).\n` +
      "Run `npm run api` and commit the changed etc/*.api.md with your change.",
  );
  process.exit(1);
}
if (forgottenExports > 0) {
  // Fatal: users would see a type in a public signature that they cannot import by name.
  console.error(
    `api-report: ${forgottenExports} forgotten export(s) above: a type a public signature uses ` +
      "that its entry does not export. Export it from that entry, or keep it out of the signature.",
  );
  process.exit(1);
}
if (problems > 0) {
  console.error(`api-report: ${problems} API Extractor problem(s) above; fix them.`);
  process.exit(1);
}
console.log(
  isCheck
    ? `api-report: ${entries.length} reports match the public API.`
    : `api-report: ${entries.length} reports written to etc/.`,
);
