// SPDX-License-Identifier: MIT
/**
 * What dist/deno (build-deno.ts) and dist/node (build-node.ts) have in common: the same entries,
 * each bundled with the package's own dependencies into chunks shared between entries (a class is
 * the same class whichever entry it comes from), laid out the same way under their directory.
 * Each build script keeps the choices that differ: platform, target, what stays an import, and
 * source maps.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * Subpath → the entry's source, relative to the package root. `./deploy-check` is left out: it
 * finds the package's files from its own module URL.
 */
export const BUNDLED_ENTRIES: Readonly<Record<string, string>> = Object.freeze({
  ".": "src/index.ts",
  "./fetch": "src/fetch.ts",
  "./lambda": "src/lambda.ts",
  "./node": "src/node.ts",
  "./clients": "src/clients/index.ts",
  "./testing": "src/testing/index.ts",
  "./opentelemetry": "src/opentelemetry/index.ts",
});

/** A source entry's output path under its directory, without `.js` (`src/fetch.ts` → `fetch`). */
function outputName(source: string): string {
  return source.replace(/^src\//, "").replace(/\.ts$/, "");
}

/** The output of a source entry, relative to the package root (`dist/<dir>/fetch.js`). */
export function bundledOutput(dir: "deno" | "node", source: string): string {
  return `dist/${dir}/${outputName(source)}.js`;
}

/** The choices in which the two builds differ. */
export type BundleChoices = Required<
  Pick<BuildOptions, "platform" | "target" | "external" | "sourcemap">
>;

/** The esbuild options of a bundled build writing to `outDir`. */
export function bundledBuildOptions(outDir: string, choices: BundleChoices): BuildOptions {
  return {
    entryPoints: Object.values(BUNDLED_ENTRIES).map((source) => ({
      in: path.join(ROOT, source),
      out: outputName(source),
    })),
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: "esm",
    // The ES module builds of the dependencies (esbuild's Node default prefers `main`).
    mainFields: ["module", "main"],
    chunkNames: "chunks/[name]-[hash]",
    tsconfig: path.join(ROOT, "tsconfig.build.json"),
    logLevel: "error",
    absWorkingDir: ROOT,
    ...choices,
  };
}

/**
 * Writes a bundled build to `outDir`, replacing what an earlier build wrote: chunk names carry a
 * content hash, and stale chunks would be packed and published.
 */
export async function writeBundled(outDir: string, options: BuildOptions): Promise<void> {
  await fs.rm(outDir, { recursive: true, force: true });
  await build(options);
}

/** Whether the module at `url` is the script Node was started with. */
export function isMainModule(url: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(url) === path.resolve(process.argv[1]);
}
