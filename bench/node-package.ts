// SPDX-License-Identifier: MIT
/**
 * Node running an endpoint the way most Node users do, with no bundler: `node main.mjs`, the SDK
 * imported from its package in `node_modules`, module by module as published (package-project.ts:
 * ours is the package's own build, dist/node through its `node` export condition; the official
 * SDK is its installed package, after the `Promise.withResolvers` polyfill Node 20 needs). Each
 * binds the greeter and listens over HTTP/2; the floor is the Node case's bare `node:http2`.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";
import { BENCH_DIR, ROOT_DIR, type Target } from "./build.js";
import { writePackageProject } from "./package-project.js";
import { buildNodeBareBundle } from "./runtime-bundles.js";

const SDK_IMPORTS: Readonly<Record<"ours" | "official", string>> = {
  ours: "restate-hono",
  official: "@restatedev/restate-sdk",
};

function mainSource(target: "ours" | "official"): string {
  return [
    ...(target === "official" ? ['import "./polyfill.mjs";'] : []),
    `import { endpoint, service } from "${SDK_IMPORTS[target]}";`,
    "const greeter = service({",
    '  name: "Greeter",',
    "  handlers: { greet: async (_ctx, name) => `Hello ${name}!` },",
    "});",
    "await endpoint().bind(greeter).listen(Number(process.argv[2]));",
    // The harness spawns the child with an IPC channel; gone means nobody measures it any more.
    'process.on("disconnect", () => process.exit(0));',
  ].join("\n");
}

/**
 * Writes a Node project under `buildDir/node-package` (see package-project.ts) with one entry per
 * SDK (`main-ours.mjs`, `main-official.mjs`), plus the bare-Node floor. Returns each target's file.
 */
export async function prepareNodePackage(buildDir: string): Promise<Record<Target, string>> {
  const dir = path.join(buildDir, "node-package");
  await writePackageProject(dir);
  await build({
    entryPoints: [path.join(BENCH_DIR, "polyfill.ts")],
    outfile: path.join(dir, "polyfill.mjs"),
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "error",
    absWorkingDir: ROOT_DIR,
  });
  const files = {
    ours: path.join(dir, "main-ours.mjs"),
    official: path.join(dir, "main-official.mjs"),
    floor: await buildNodeBareBundle(buildDir),
  };
  await fs.writeFile(files.ours, mainSource("ours"));
  await fs.writeFile(files.official, mainSource("official"));
  return files;
}
