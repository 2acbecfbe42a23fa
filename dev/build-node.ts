// SPDX-License-Identifier: MIT
/**
 * Builds dist/node: the package's ES module entries for Node (the `node` export condition), each
 * bundled with the package's own dependencies, sharing chunks between entries so a class is the
 * same class whichever entry it comes from.
 *
 * Why a bundle: Node loads an npm package module by module, and its ES module loader spends about
 * a millisecond on each (resolution, reading, compiling, linking). Importing the main entry as tsc
 * writes it loads 105 modules (87 of ours, 17 of hono) and took 105–150 ms, against about 37 ms
 * for these bundled entries and about 100 ms for the official SDK with its WASM core: "node, npm
 * package" cold start in `npm run bench` was 1.1× the official SDK's above bare Node. Splitting the
 * sources into fewer, larger modules would undo the code's layout; a build step does not.
 *
 * The protocol codec (protobuf-es and the descriptors) and the Node server stay chunks of their
 * own, imported on first need. Peer dependencies and Node built-ins stay imports. Source maps
 * carry the sources, so `node --enable-source-maps` shows the TypeScript. The build removes its
 * earlier output first (chunk names carry a hash). Run by `npm run build`.
 *
 * Hono is bundled, unlike in dist/deno: left to Node's loader it cost 22.7 M more instructions
 * from spawn to the first answer (`npx tsx bench/cold-callgrind.ts node-npm`: 116.5 → 139.2 M
 * above bare Node, 0.39× → 0.46× the official SDK's). A user who mounts our `app()` in their own
 * Hono app then runs two copies of Hono: routing, middleware and `app.mount` work across them
 * (Hono apps meet through `fetch` and plain route records), but our app is not `instanceof` the
 * user's `HonoBase`.
 *
 * The entries, and what this build shares with dist/deno's, are in bundled-entries.ts.
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

/** Subpath → the entry's source, relative to the package root (the entries under `node`). */
export const NODE_ENTRIES = BUNDLED_ENTRIES;

/** The output of a source entry, relative to the package root (`src/fetch.ts` → `dist/node/fetch.js`). */
export function nodeOutput(source: string): string {
  return bundledOutput("node", source);
}

/** The esbuild options of dist/node, writing to `outDir` (a package's `dist/node`). */
export function nodeBuildOptions(outDir: string): BuildOptions {
  return bundledBuildOptions(outDir, {
    platform: "node",
    target: "node20",
    // Peers come from the user's project.
    external: ["zod", "zod/*", "@opentelemetry/api"],
    sourcemap: true,
  });
}

/** Writes dist/node under `packageDir` (default: this repository), replacing an earlier build. */
export async function buildNode(packageDir = ROOT): Promise<void> {
  const outDir = path.join(packageDir, "dist", "node");
  await writeBundled(outDir, nodeBuildOptions(outDir));
}

if (isMainModule(import.meta.url)) await buildNode();
