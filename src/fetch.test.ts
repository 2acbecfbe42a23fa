// SPDX-License-Identifier: MIT
// `restate-hono/fetch` is the entry for runtimes without Node: it must carry the whole public API
// and bundle for the browser platform without a single `node:` module.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import * as fetchEntry from "./fetch.js";
import * as mainEntry from "./index.js";

const FETCH_ENTRY = fileURLToPath(new URL("./fetch.ts", import.meta.url));

/** What a Worker defining a service imports: definitions, serdes, errors, combinators, the handler. */
const WORKER = `
import { service, createEndpointHandler, serde, rpc, RestatePromise, TerminalError } from ${JSON.stringify(FETCH_ENTRY)};
const greeter = service({
  name: "Greeter",
  handlers: {
    greet: async (ctx, name) => {
      if (name === "") throw new TerminalError("empty");
      const [a] = await RestatePromise.all([ctx.run("a", () => name, { serde: serde.json })]);
      await ctx.serviceClient({ name: "Other" }).ping(a, rpc.opts({ idempotencyKey: a }));
      return a;
    },
  },
});
export default { fetch: createEndpointHandler({ services: [greeter] }) };
`;

/** A Worker that uses no serde but the default one. */
const MINIMAL_WORKER = `
import { service, createEndpointHandler } from ${JSON.stringify(FETCH_ENTRY)};
const greeter = service({ name: "Greeter", handlers: { greet: async (_ctx, name) => name } });
export default { fetch: createEndpointHandler({ services: [greeter] }) };
`;

/** Bundles a Worker for the browser platform; Node built-ins stay external so they can be listed. */
async function bundleWorker(
  contents = WORKER,
): Promise<{ nodeImports: string[]; inputs: string[]; code: string }> {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), sourcefile: "worker.ts", loader: "ts" },
    bundle: true,
    platform: "browser",
    format: "esm",
    write: false,
    metafile: true,
    logLevel: "silent",
    external: ["node:*"],
  });
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
  return {
    nodeImports: imports.map((i) => i.path).filter((p) => p.startsWith("node:")),
    // What ended up in the bundle: the metafile also lists inputs tree-shaken to nothing.
    inputs: Object.values(result.metafile.outputs).flatMap((o) =>
      Object.entries(o.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([name]) => name),
    ),
    code: result.outputFiles[0]?.text ?? "",
  };
}

describe("restate-hono/fetch", () => {
  it("exports the main entry's whole API except the Node server", () => {
    const nodeOnly = new Set(["RestateEndpoint", "serve", "endpoint"]);
    const missing = Object.keys(mainEntry).filter((name) => !(name in fetchEntry));
    expect(missing.filter((name) => !nodeOnly.has(name))).toEqual([]);
    expect(typeof fetchEntry.endpoint().bind).toBe("function");
    expect(fetchEntry.createEndpointHandler).toBeTypeOf("function");
  });

  it("bundles a service and its handler for the browser with no node: imports", async () => {
    const { nodeImports, inputs, code } = await bundleWorker();
    expect(nodeImports).toEqual([]);
    expect(inputs.filter((p) => p.includes("@hono/node-server"))).toEqual([]);
    expect(inputs.filter((p) => /endpoint\/node-/.test(p))).toEqual([]);
    expect(code).toContain("Greeter");
  });

  it("leaves @msgpack/msgpack out of a Worker that does not use serde.msgpack", async () => {
    const { inputs } = await bundleWorker(MINIMAL_WORKER);
    expect(inputs.filter((p) => p.includes("@msgpack/msgpack"))).toEqual([]);
    expect(inputs.some((p) => p.endsWith("src/serde/json.ts"))).toBe(true);
  });
});
