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
 * The entries, and what this build shares with dist/node's, are in bundled-entries.ts.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildOptions } from "esbuild";
import {
  BUNDLED_ENTRIES,
  bundledBuildOptions,
  bundledOutput,
  isMainModule,
  writeBundled,
} from "./bundled-entries.js";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Subpath → the entry's source, relative to the package root (the entries under `deno`). */
export const DENO_ENTRIES = BUNDLED_ENTRIES;

/** The output of a source entry, relative to the package root (`src/fetch.ts` → `dist/deno/fetch.js`). */
export function denoOutput(source: string): string {
  return bundledOutput("deno", source);
}

/** The esbuild options of dist/deno, writing to `outDir` (a package's `dist/deno`). */
export function denoBuildOptions(outDir: string): BuildOptions {
  return bundledBuildOptions(outDir, {
    platform: "neutral",
    target: "es2022",
    // Peers come from the user's project; Node built-ins from Deno. Hono too: `app()` returns a
    // Hono app that users mount in their own (`npm:hono`), and a bundled copy would be a second
    // Hono whose apps are not `instanceof` theirs. Deno resolves it as it resolves theirs.
    external: ["node:*", "zod", "zod/*", "@opentelemetry/api", "hono", "hono/*"],
    sourcemap: false,
  });
}

/** Writes dist/deno under `packageDir` (default: this repository), replacing an earlier build. */
export async function buildDeno(packageDir = ROOT): Promise<void> {
  const outDir = path.join(packageDir, "dist", "deno");
  await writeBundled(outDir, denoBuildOptions(outDir));
}

if (isMainModule(import.meta.url)) await buildDeno();
