// SPDX-License-Identifier: MIT
/**
 * Bundles for the fetch runtimes (Bun, Deno, workerd) and the bare-runtime floors. Each bundle is
 * one ES module: a Greeter fetch handler (`fetch-ours.ts`, `fetch-official.ts`, or the floor's
 * pre-encoded answer) plus the few lines that serve it on the runtime.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";
import { BENCH_DIR, ROOT_DIR, type BundleSize, type Target, minifiedSize } from "./build.js";
import { WRANGLER_ESBUILD_OPTIONS } from "../dev/runtimes.js";
import { greeterResponse, PROTOCOL_CONTENT_TYPE } from "./protocol.js";

export const FETCH_RUNTIMES = ["bun", "deno", "workerd"] as const;
export type FetchRuntime = (typeof FETCH_RUNTIMES)[number];

/**
 * The floor on a fetch runtime: answer every request with the pre-encoded Output + End of the
 * greeter, after reading the body. The bytes are a literal, so the floor loads no protocol code.
 */
function floorHandlerSource(): string {
  const bytes = [...greeterResponse()].join(",");
  return [
    `const body = new Uint8Array([${bytes}]);`,
    "export const fetchHandler = async (request) => {",
    "  await request.arrayBuffer();",
    `  return new Response(body.slice(), { headers: { "content-type": "${PROTOCOL_CONTENT_TYPE}" } });`,
    "};",
  ].join("\n");
}

/** The lines that serve `fetchHandler` on each runtime (port from `PORT`, loopback only). */
const LAUNCHERS: Readonly<Record<FetchRuntime, string>> = {
  bun: 'Bun.serve({ port: Number(process.env.PORT), hostname: "127.0.0.1", fetch: fetchHandler });',
  deno:
    'Deno.serve({ port: Number(Deno.env.get("PORT")), hostname: "127.0.0.1", onListen() {} },' +
    " fetchHandler);",
  workerd: "export default { fetch: fetchHandler };",
};

/** The bare Deno floor as a module of its own (for {@link prepareDenoPackage}'s project). */
export function denoFloorSource(): string {
  return `${floorHandlerSource()}\n${LAUNCHERS.deno}\n`;
}

/**
 * Bundles `target` for `runtime` into `outDir/<runtime>-<target>.mjs`; the Worker as wrangler
 * bundles it ({@link WRANGLER_ESBUILD_OPTIONS}). The official SDK's `/fetch` imports
 * `node:buffer` and `node:timers/promises`: those stay external (Bun and Deno have them; its
 * Worker runs with `nodejs_compat`, see {@link workerdConfig}).
 */
export async function buildRuntimeBundle(
  runtime: FetchRuntime,
  target: Target,
  outDir: string,
): Promise<string> {
  const outfile = path.join(outDir, `${runtime}-${target}.mjs`);
  const handler =
    target === "floor"
      ? floorHandlerSource()
      : `import { fetchHandler } from "./fetch-${target}.ts";`;
  await build({
    stdin: {
      contents: `${handler}\n${LAUNCHERS[runtime]}`,
      resolveDir: BENCH_DIR,
      sourcefile: `${runtime}-${target}.ts`,
      loader: "ts",
    },
    outfile,
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    ...(runtime === "workerd" ? WRANGLER_ESBUILD_OPTIONS : {}),
    external: target === "official" ? ["node:*"] : [],
    // The official WASM glue reads `module.require` (in a try, for Node's crypto); Bun takes any
    // mention of `module` for CommonJS and refuses the file's imports. An unset global keeps the
    // try failing the way it does in any ES module.
    define: target === "official" ? { module: "globalThis.__benchNoModule" } : {},
    logLevel: "error",
    absWorkingDir: ROOT_DIR,
  });
  return outfile;
}

/** workerd's config for one Worker on `port`; the official SDK needs Node compatibility. */
export function workerdConfig(bundleFile: string, port: number, target: Target): string {
  const flags = target === "official" ? '"nodejs_compat"' : "";
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "${path.basename(bundleFile)}") ],
  compatibilityDate = "2026-01-01",
  compatibilityFlags = [ ${flags} ],
);
`;
}

/** Writes the capnp config next to the bundle; returns its path. */
export async function writeWorkerdConfig(
  bundleFile: string,
  port: number,
  target: Target,
): Promise<string> {
  const file = `${bundleFile}.${port}.capnp`;
  await fs.writeFile(file, workerdConfig(bundleFile, port, target));
  return file;
}

/**
 * The bare-Node floor for cold starts: `node:http2` answering the pre-encoded greeter response,
 * with no Hono and no protocol code, behind the same child IPC as the other Node endpoints.
 */
export async function buildNodeBareBundle(outDir: string): Promise<string> {
  const outfile = path.join(outDir, "node-bare.mjs");
  const bytes = [...greeterResponse()].join(",");
  const contents = `import http2 from "node:http2";
import { serveChild } from "./child-main.ts";
const body = new Uint8Array([${bytes}]);
await serveChild(
  (port) =>
    new Promise((resolve) => {
      const server = http2.createServer((req, res) => {
        req.resume();
        req.on("end", () => {
          res.writeHead(200, { "content-type": "${PROTOCOL_CONTENT_TYPE}" });
          res.end(body);
        });
      });
      server.listen(port, "127.0.0.1", () => resolve(server.address().port));
    }),
);`;
  await build({
    stdin: { contents, resolveDir: BENCH_DIR, sourcefile: "node-bare.ts", loader: "ts" },
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
    absWorkingDir: ROOT_DIR,
  });
  return outfile;
}

const FETCH_ENTRIES: Readonly<Record<"ours" | "official", string>> = {
  ours: "../src/fetch.ts",
  official: "@restatedev/restate-sdk/fetch",
};

/**
 * The Worker of the greeter: as in `fetch-<target>.ts`, or (`namesSerde`) with its input and
 * output serdes named through the `serde` namespace, the way many services are written.
 */
function workerSource(target: "ours" | "official", namesSerde: boolean): string {
  if (!namesSerde)
    return `import { fetchHandler } from "./fetch-${target}.ts";\n${LAUNCHERS.workerd}`;
  return [
    `import { createEndpointHandler, handlers, serde, service } from "${FETCH_ENTRIES[target]}";`,
    "const greet = handlers.handler(",
    "  { input: serde.json, output: serde.json },",
    "  async (_ctx, name) => `Hello ${name}!`,",
    ");",
    'const greeter = service({ name: "Greeter", handlers: { greet } });',
    "export default { fetch: createEndpointHandler({ services: [greeter] }) };",
  ].join("\n");
}

/**
 * Size of a Worker: the greeter's fetch handler as the default export, bundled with
 * `bundle, minify, platform: "browser", format: "esm"`. The official SDK's `node:` imports stay
 * external (its Worker needs `nodejs_compat`); its WASM core is inlined as base64, so it counts.
 */
export async function measureWorkerBundleSize(
  target: "ours" | "official",
  namesSerde = false,
): Promise<BundleSize> {
  return minifiedSize(
    {
      stdin: {
        contents: workerSource(target, namesSerde),
        resolveDir: BENCH_DIR,
        sourcefile: `worker-${target}.ts`,
        loader: "ts",
      },
      platform: "browser",
      format: "esm",
      target: "es2022",
      external: target === "official" ? ["node:*"] : [],
    },
    `the Worker of ${target}`,
  );
}
