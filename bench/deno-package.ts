// SPDX-License-Identifier: MIT
/**
 * Deno as a Deno project runs an endpoint: `deno run main.ts`, the SDK imported from its npm
 * package in `node_modules` (`"nodeModulesDir": "manual"`), module by module as published, no
 * bundler of the user's. Ours is the package's own build (tsc's JavaScript and dist/deno, the
 * entries Deno resolves through the `deno` export condition, as `npm pack` would ship them); the
 * official SDK is its installed package. Deno keeps a V8 code cache in `DENO_DIR` (the build dir's
 * `.deno`), so the rounds after the first start from cached code, as a restarted process would.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Target } from "./build.js";
import { writePackageProject } from "./package-project.js";
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
 * Writes a Deno project under `buildDir/deno-package` (see package-project.ts), and one entry per
 * target (`main-ours.ts`, `main-official.ts`, the bare floor). Returns each target's entry.
 */
export async function prepareDenoPackage(buildDir: string): Promise<Record<Target, string>> {
  const dir = path.join(buildDir, "deno-package");
  await writePackageProject(dir);
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
