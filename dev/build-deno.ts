// SPDX-License-Identifier: MIT
/**
 * Builds dist/deno: the package's ES module entries for Deno (the `deno` export condition), each
 * bundled with the package's own dependencies, sharing chunks between entries so a class is the
 * same class whichever entry it comes from. Deno loads an npm package module by module, and each
 * module costs it (resolution, a code-cache lookup): the fetch entry's 115 modules (82 of ours, 17
 * of hono, 16 of @msgpack/msgpack) cost more start-up than all the SDK's work, while the official
 * SDK loads 34. The protocol codec stays a chunk of its own, imported on first need. Peer
 * dependencies and Node built-ins stay imports. Run by `npm run build` (after tsc, which writes the
 * types the `deno` condition points at).
 *
 * `./deploy-check` is left out: it finds the package's files from its own module URL.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Subpath → the entry's source, relative to the package root (the entries under `deno`). */
export const DENO_ENTRIES: Readonly<Record<string, string>> = Object.freeze({
  ".": "src/index.ts",
  "./fetch": "src/fetch.ts",
  "./lambda": "src/lambda.ts",
  "./node": "src/node.ts",
  "./clients": "src/clients/index.ts",
  "./testing": "src/testing/index.ts",
  "./opentelemetry": "src/opentelemetry/index.ts",
});

/** The output of a source entry, relative to the package root (`src/fetch.ts` → `dist/deno/fetch.js`). */
export function denoOutput(source: string): string {
  return `dist/deno/${source.replace(/^src\//, "").replace(/\.ts$/, ".js")}`;
}

/** The esbuild options of dist/deno, writing to `outDir` (a package's `dist/deno`). */
export function denoBuildOptions(outDir: string): BuildOptions {
  const entryPoints = Object.values(DENO_ENTRIES).map((source) => ({
    in: path.join(ROOT, source),
    out: denoOutput(source)
      .replace(/^dist\/deno\//, "")
      .replace(/\.js$/, ""),
  }));
  return {
    entryPoints,
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    chunkNames: "chunks/[name]-[hash]",
    // Peers come from the user's project; Node built-ins from Deno.
    external: ["node:*", "zod", "zod/*", "@opentelemetry/api"],
    tsconfig: path.join(ROOT, "tsconfig.build.json"),
    logLevel: "error",
    absWorkingDir: ROOT,
  };
}

/** Writes dist/deno under `packageDir` (default: this repository). */
export async function buildDeno(packageDir = ROOT): Promise<void> {
  await build(denoBuildOptions(path.join(packageDir, "dist", "deno")));
}

if (
  process.argv[1] !== undefined &&
  fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
) {
  await buildDeno();
}
