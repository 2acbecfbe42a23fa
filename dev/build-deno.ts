// SPDX-License-Identifier: MIT
/**
 * Builds dist/deno: the package's ES module entries for Deno (the `deno` export condition). Deno
 * loads an npm package module by module, and each module costs it start-up time (resolution, a
 * code-cache lookup): tsc's fetch entry is over a hundred modules, the official SDK's 34. So each
 * entry is bundled with our sources, protobuf-es and @msgpack/msgpack, in chunks shared between
 * entries (a class is the same class whichever entry it comes from). The protocol codec stays a
 * chunk of its own, imported on first need, as in every other build.
 *
 * Left as imports, for Deno to resolve from npm: Node built-ins, the peer dependencies, and Hono,
 * whose apps users mount in their own (see `external` below). No source maps: Deno reads a linked
 * map when it loads the module, which cost 2.3 M more instructions (of 134 M) for a Deno process
 * importing the fetch entry and answering discovery, measured with callgrind. Run by
 * `npm run build`, after tsc has written the types the `deno` condition points at.
 *
 * `./deploy-check` is left out: it finds the package's files from its own module URL.
 */
import fs from "node:fs/promises";
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

/** A source entry's output path under dist/deno, without `.js` (`src/fetch.ts` → `fetch`). */
function outputName(source: string): string {
  return source.replace(/^src\//, "").replace(/\.ts$/, "");
}

/** The output of a source entry, relative to the package root (`src/fetch.ts` → `dist/deno/fetch.js`). */
export function denoOutput(source: string): string {
  return `dist/deno/${outputName(source)}.js`;
}

/** The esbuild options of dist/deno, writing to `outDir` (a package's `dist/deno`). */
export function denoBuildOptions(outDir: string): BuildOptions {
  return {
    entryPoints: Object.values(DENO_ENTRIES).map((source) => ({
      in: path.join(ROOT, source),
      out: outputName(source),
    })),
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    chunkNames: "chunks/[name]-[hash]",
    // Peers come from the user's project; Node built-ins from Deno. Hono too: `app()` returns a
    // Hono app that users mount in their own (`npm:hono`), and a bundled copy would be a second
    // Hono whose apps are not `instanceof` theirs. Deno resolves it as it resolves theirs.
    external: ["node:*", "zod", "zod/*", "@opentelemetry/api", "hono", "hono/*"],
    tsconfig: path.join(ROOT, "tsconfig.build.json"),
    logLevel: "error",
    absWorkingDir: ROOT,
  };
}

/**
 * Writes dist/deno under `packageDir` (default: this repository), replacing what an earlier build
 * wrote: chunk names carry a content hash, and stale chunks would be packed and published.
 */
export async function buildDeno(packageDir = ROOT): Promise<void> {
  const outDir = path.join(packageDir, "dist", "deno");
  await fs.rm(outDir, { recursive: true, force: true });
  await build(denoBuildOptions(outDir));
}

if (
  process.argv[1] !== undefined &&
  fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
) {
  await buildDeno();
}
