// SPDX-License-Identifier: MIT
/**
 * A user's project that installs the SDKs from npm: `node_modules` holding this repository's
 * installed packages (symlinked, so `@restatedev/restate-sdk` is its installed package) and
 * `restate-hono` built from the sources as `npm run build` publishes it (tsc's JavaScript under
 * `dist/src`, dist/deno, dist/node, the package.json with its export conditions). The cold cases that run an
 * SDK from its package, module by module, start from it (deno-package.ts, node-package.ts).
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { buildDeno } from "../dev/build-deno.js";
import { buildNode } from "../dev/build-node.js";
import { ROOT_DIR } from "./build.js";

/** Writes `dir/node_modules` and `dir/package.json` (an ES module project depending on both SDKs). */
export async function writePackageProject(dir: string): Promise<void> {
  const modules = path.join(dir, "node_modules");
  const ours = path.join(modules, "restate-hono");
  await fs.mkdir(ours, { recursive: true });
  for (const name of await fs.readdir(path.join(ROOT_DIR, "node_modules"))) {
    if (name === "restate-hono" || name.startsWith(".")) continue;
    await fs.symlink(path.join(ROOT_DIR, "node_modules", name), path.join(modules, name));
  }
  // The JavaScript `npm run build` publishes (type-checking is the build's job, not the bench's).
  const tsc = path.join(ROOT_DIR, "node_modules", "typescript", "bin", "tsc");
  const args = ["-p", "tsconfig.build.json", "--noCheck", "--declaration", "false"];
  await promisify(execFile)(process.execPath, [tsc, ...args, "--outDir", path.join(ours, "dist")], {
    cwd: ROOT_DIR,
  });
  await buildDeno(ours);
  await buildNode(ours);
  await fs.copyFile(path.join(ROOT_DIR, "package.json"), path.join(ours, "package.json"));
  const manifest = {
    name: "bench-package-project",
    type: "module",
    dependencies: { "restate-hono": "*", "@restatedev/restate-sdk": "*" },
  };
  await fs.writeFile(path.join(dir, "package.json"), JSON.stringify(manifest));
}
