// SPDX-License-Identifier: MIT
// Importing `restate-hono` must not load the Node server: node:http, node:http2 and node:net are
// imported by `listen()`. Checked on the module graph esbuild sees (code splitting keeps every
// dynamic import in a chunk of its own), so no process is started.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

const MAIN_ENTRY = fileURLToPath(new URL("./index.ts", import.meta.url));

/** Everything the entry chunk loads before any code runs: static imports, transitively. */
function staticClosure(metafile: Metafile, entry: string): { chunks: string[]; modules: string[] } {
  const chunks = new Set<string>();
  const modules = new Set<string>();
  const visit = (output: string): void => {
    if (chunks.has(output)) return;
    chunks.add(output);
    const meta = metafile.outputs[output];
    if (meta === undefined) return;
    for (const input of Object.keys(meta.inputs)) modules.add(input);
    for (const imported of meta.imports) {
      if (imported.kind !== "import-statement") continue;
      if (imported.external) modules.add(imported.path);
      else visit(imported.path);
    }
  };
  visit(entry);
  return { chunks: [...chunks], modules: [...modules] };
}

/** Bundles `entry` with code splitting; returns its static closure and every bundled module. */
async function graph(entry: string): Promise<{ modules: string[]; all: string[] }> {
  const result = await build({
    entryPoints: { main: entry },
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    outdir: path.join(path.dirname(MAIN_ENTRY), "..", ".entry-test-out"),
    write: false,
    metafile: true,
    logLevel: "silent",
    packages: "bundle",
  });
  const outputs = Object.entries(result.metafile.outputs);
  const [main] = outputs.find(([, meta]) => meta.entryPoint !== undefined) ?? [];
  expect(main).toBeDefined();
  return {
    modules: staticClosure(result.metafile, main ?? "").modules,
    all: outputs.flatMap(([, meta]) => Object.keys(meta.inputs)),
  };
}

const isHonoNodeAdapter = (m: string): boolean => m.includes("@hono/node-server");

describe("restate-hono (main entry)", () => {
  it("loads the Node server only when listen() runs", async () => {
    const { modules, all } = await graph(MAIN_ENTRY);
    const nodeServer = modules.filter(
      (m) => /^node:(http|http2|net)$/.test(m) || isHonoNodeAdapter(m),
    );
    expect(nodeServer).toEqual([]);
    expect(modules.some((m) => m.endsWith("src/endpoint/fetch-endpoint.ts"))).toBe(true);
    // ...and the dynamic chunk does hold the server, so the check above looks at the right graph.
    expect(all.some((m) => m.endsWith("src/endpoint/node-server.ts"))).toBe(true);
  });

  it("the Node server never loads Hono's Node adapter (nor with it Node's fetch)", async () => {
    // Importing @hono/node-server replaces the global Request/Response, which loads undici; the
    // Node request handler answers every route without it.
    const nodeServer = fileURLToPath(new URL("./endpoint/node-server.ts", import.meta.url));
    const { modules, all } = await graph(nodeServer);
    expect(modules).toContain("node:http2");
    expect(all.filter(isHonoNodeAdapter)).toEqual([]);
  });
});
