// SPDX-License-Identifier: MIT
/**
 * Dev-only: where the Bun, Deno and workerd binaries are (npm devDependencies), for the e2e tests
 * on real runtimes and the cold-start benchmarks. npm may skip the packages' install scripts, so
 * the platform packages' binaries are called directly.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildOptions } from "esbuild";

export type RuntimeName = "bun" | "deno" | "workerd";

const ROOT_DIR = fileURLToPath(new URL("..", import.meta.url));

const BINARIES: Readonly<Record<RuntimeName, readonly string[]>> = {
  bun: ["node_modules/bun/bin/bun.exe", "node_modules/@oven/bun-linux-x64/bin/bun"],
  deno: ["node_modules/@deno/linux-x64-glibc/deno"],
  workerd: ["node_modules/@cloudflare/workerd-linux-64/bin/workerd"],
};

/**
 * The runtime's binary in node_modules, or undefined when this platform has none installed.
 *
 * @example
 * const deno = runtimeBinary("deno"); // …/node_modules/@deno/linux-x64-glibc/deno
 */
export function runtimeBinary(runtime: RuntimeName): string | undefined {
  return BINARIES[runtime].map((p) => path.join(ROOT_DIR, p)).find((p) => existsSync(p));
}

/**
 * Command-line arguments that serve `bundle` (an ES module): Bun and Deno run it, workerd serves
 * the capnp `config` that embeds it. Deno gets network and environment access only.
 */
export function runtimeArgs(runtime: RuntimeName, bundle: string, config?: string): string[] {
  switch (runtime) {
    case "bun":
      return ["run", bundle];
    case "deno":
      return ["run", "--allow-net", "--allow-env", "--no-prompt", bundle];
    case "workerd":
      if (config === undefined) throw new Error("workerd needs a capnp config");
      return ["serve", config];
  }
}

/** Environment for a runtime child: no update checks, caches under `dir`. */
export function runtimeEnv(dir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"] ?? "",
    HOME: dir,
    DENO_DIR: path.join(dir, ".deno"),
    DENO_NO_UPDATE_CHECK: "1",
    RESTATE_LOGGING: "WARN",
    ...extra,
  };
}

/**
 * What `wrangler dev`/`wrangler deploy` hand esbuild by default (wrangler's deployment-bundle
 * options): one ES module, es2022, the `workerd`/`worker`/`browser` export conditions, no
 * minification, and `keepNames` (every named function and class gets its name re-attached at
 * run time, which costs at start-up). Dynamic imports are bundled into that one module too.
 */
export const WRANGLER_ESBUILD_OPTIONS: Readonly<
  Pick<BuildOptions, "format" | "target" | "conditions" | "keepNames" | "minify">
> = Object.freeze({
  format: "esm",
  target: "es2022",
  conditions: ["workerd", "worker", "browser"],
  keepNames: true,
  minify: false,
});
