// SPDX-License-Identifier: MIT
// What a Cloudflare Worker built on `restate-hono/fetch` carries, module by module, bundled as the
// size bench bundles it (bench/runtime-bundles.ts: browser, minified). A module that sneaks back in
// (an unmarked top-level call, a class with a static block) adds kilobytes nobody would notice.
import path from "node:path";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

const GREETER = [
  'import { createEndpointHandler, service } from "./src/fetch.ts";',
  "const greeter = service({",
  '  name: "Greeter",',
  "  handlers: { greet: async (_ctx, name) => `Hello ${name}!` },",
  "});",
  "export default { fetch: createEndpointHandler({ services: [greeter] }) };",
].join("\n");

const SERDE_GREETER = [
  'import { createEndpointHandler, handlers, serde, service } from "./src/fetch.ts";',
  "const greet = handlers.handler(",
  "  { input: serde.json, output: serde.json },",
  "  async (_ctx, name) => `Hello ${name}!`,",
  ");",
  'const greeter = service({ name: "Greeter", handlers: { greet } });',
  "export default { fetch: createEndpointHandler({ services: [greeter] }) };",
].join("\n");

/** The modules with bytes in the minified bundle of `contents`. */
async function bundledModules(contents: string): Promise<string[]> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: "worker.ts", loader: "ts" },
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    logLevel: "silent",
    absWorkingDir: ROOT,
  });
  const outputs: Metafile["outputs"][string][] = Object.values(result.metafile.outputs);
  return outputs.flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file),
  );
}

const HONO_APP = /hono\/dist\/(hono-base|context|compose|router)/;

describe("a Worker built on createEndpointHandler", () => {
  it("carries no Hono app, no MessagePack and no schema serde", async () => {
    const modules = await bundledModules(GREETER);
    expect(modules).toContain("src/endpoint/fetch-handler.ts");
    expect(modules.filter((file) => HONO_APP.test(file))).toEqual([]);
    expect(modules.filter((file) => file.includes("@msgpack/"))).toEqual([]);
    expect(modules).not.toContain("src/serde/schema.ts");
    expect(modules).not.toContain("src/definitions/descriptors.ts");
  }, 30_000);

  it("naming `serde` adds its members but still no Hono app", async () => {
    const modules = await bundledModules(SERDE_GREETER);
    expect(modules.filter((file) => HONO_APP.test(file))).toEqual([]);
    // esbuild keeps every member of a namespace object another module re-exports: `serde` brings
    // `serde.msgpack` and `serde.schema` with it (see src/serde/index.ts).
    expect(modules).toContain("src/serde/msgpack.ts");
  }, 30_000);
});
