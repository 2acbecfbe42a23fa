// SPDX-License-Identifier: MIT
/**
 * esbuild bundles. Every endpoint child runs from a single-file bundle built the same way for all
 * targets, so neither SDK pays for TypeScript transpilation (tsx) or per-file module resolution at
 * start-up that the other does not. Also the bundle-size measurement.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build } from "esbuild";

/** The endpoints under test. `floor` is the bare Hono HTTP/2 handler. */
export type Target = "ours" | "official" | "floor";

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT_DIR = path.dirname(BENCH_DIR);

/** esbuild's ESM output has no `require`; a CommonJS dependency that calls it needs one. */
export const REQUIRE_SHIM =
  'import { createRequire as __benchCreateRequire } from "node:module";\n' +
  "const require = __benchCreateRequire(import.meta.url);";

/**
 * Bundles `bench/endpoint-<target>.ts` for every target into `outDir`; returns the file per target.
 * Not minified (a deployment would not need to be), no source maps.
 */
export async function buildEndpointBundles(outDir: string): Promise<Record<Target, string>> {
  const bundle = async (target: Target): Promise<string> => {
    const outfile = path.join(outDir, `endpoint-${target}.mjs`);
    await build({
      entryPoints: [path.join(BENCH_DIR, `endpoint-${target}.ts`)],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      banner: { js: REQUIRE_SHIM },
      logLevel: "error",
      absWorkingDir: ROOT_DIR,
    });
    return outfile;
  };
  return {
    ours: await bundle("ours"),
    official: await bundle("official"),
    floor: await bundle("floor"),
  };
}

/** Minified and gzipped size of a bundle. */
export interface BundleSize {
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
}

/**
 * Bundles a minimal app (`endpoint().bind(service(...)).listen()`) against an SDK's core entry with
 * `bundle, minify, platform: "node", format: "esm"`; only Node built-ins stay external.
 */
export async function measureBundleSize(sdkImport: string): Promise<BundleSize> {
  const contents = [
    `import { service, endpoint } from ${JSON.stringify(sdkImport)};`,
    "const greeter = service({",
    '  name: "Greeter",',
    "  handlers: { greet: async (_ctx, name) => `Hello ${name}!` },",
    "});",
    "await endpoint().bind(greeter).listen(9080);",
  ].join("\n");
  return minifiedSize(
    {
      stdin: { contents, resolveDir: ROOT_DIR, sourcefile: "size-entry.mjs", loader: "js" },
      platform: "node",
      format: "esm",
      target: "node20",
    },
    sdkImport,
  );
}

/**
 * Bundles with `options` plus `bundle, minify`, in memory; returns the size of the one output.
 *
 * @throws when esbuild produces no output (the message names `what`).
 */
export async function minifiedSize(options: BuildOptions, what: string): Promise<BundleSize> {
  const result = await build({
    ...options,
    bundle: true,
    minify: true,
    write: false,
    logLevel: "error",
    absWorkingDir: ROOT_DIR,
  });
  const output = result.outputFiles?.[0];
  if (output === undefined) throw new Error(`esbuild produced no output for ${what}`);
  return {
    minifiedBytes: output.contents.length,
    gzipBytes: gzipSync(output.contents, { level: 9 }).length,
  };
}

/** A fresh temporary directory for bundles; the caller removes it. */
export async function makeBuildDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), "restate-hono-bench-"));
}
