// SPDX-License-Identifier: MIT
/**
 * Deno as a Deno project runs an endpoint: `deno run main.ts`, the SDK imported from its npm
 * package in `node_modules` (`"nodeModulesDir": "manual"`), module by module as published, no
 * bundler of the user's. Ours is the package's own build (tsc's JavaScript and dist/deno, the
 * entries Deno resolves through the `deno` export condition, as `npm pack` would ship them); the
 * official SDK is its installed package. Deno keeps a V8 code cache in `DENO_DIR` (the build dir's
 * `.deno`), so the rounds after the first start from cached code, as a restarted process would.
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { buildDeno } from "../dev/build-deno.js";
import { ROOT_DIR, type Target } from "./build.js";
import { denoFloorSource } from "./runtime-bundles.js";

const SDK_IMPORTS: Readonly<Record<"ours" | "official", string>> = {
  ours: "restate-hono/fetch",
  official: "@restatedev/restate-sdk/fetch",
};

function mainSource(target: "ours" | "official"): string {
  return [
    `import { createEndpointHandler, service } from "${SDK_IMPORTS[target]}";`,
    "const greeter = service({",
    '  name: "Greeter",',
    "  handlers: { greet: async (_ctx: unknown, name: string) => `Hello ${name}!` },",
    "});",
    "const fetchHandler = createEndpointHandler({ services: [greeter] });",
    'Deno.serve({ port: Number(Deno.env.get("PORT")), hostname: "127.0.0.1", onListen() {} },',
    "  fetchHandler);",
  ].join("\n");
}

/**
 * Writes a Deno project under `buildDir/deno-package`: `node_modules` with this repository's
 * installed packages (symlinked) plus `restate-hono` built from the sources, and one entry per
 * target (`main-ours.ts`, `main-official.ts`, the bare floor). Returns each target's entry.
 */
export async function prepareDenoPackage(buildDir: string): Promise<Record<Target, string>> {
  const dir = path.join(buildDir, "deno-package");
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
  await fs.copyFile(path.join(ROOT_DIR, "package.json"), path.join(ours, "package.json"));
  const manifest = {
    name: "bench-deno-package",
    type: "module",
    dependencies: { "restate-hono": "*", "@restatedev/restate-sdk": "*" },
  };
  await fs.writeFile(path.join(dir, "package.json"), JSON.stringify(manifest));
  await fs.writeFile(path.join(dir, "deno.json"), JSON.stringify({ nodeModulesDir: "manual" }));
  const files = {
    ours: path.join(dir, "main-ours.ts"),
    official: path.join(dir, "main-official.ts"),
    floor: path.join(dir, "main-floor.mjs"),
  };
  await fs.writeFile(files.ours, mainSource("ours"));
  await fs.writeFile(files.official, mainSource("official"));
  await fs.writeFile(files.floor, denoFloorSource());
  return files;
}
