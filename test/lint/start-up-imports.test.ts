// SPDX-License-Identifier: MIT
// What importing an entry evaluates. protobuf-es and the generated descriptors are most of the
// import time, and an invocation that only reads its input and writes its output never needs them:
// every entry reaches them only through the dynamic import of the engine's protocol codec.
// And what a bundle of an entry costs V8 to parse before the first answer: see the last two
// describe blocks.
import path from "node:path";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const ENTRIES = ["src/index.ts", "src/fetch.ts", "src/lambda.ts", "src/node.ts"];
const CODEC = "src/journal/protocol-codec.ts";
const PROTOBUF = /(^|\/)@bufbuild\/protobuf\/|src\/journal\/gen\//;

/** Each entry's metafile, built once for the two describe blocks that read it. */
const metafiles = new Map<string, Promise<Metafile>>();

function metafile(entry: string): Promise<Metafile> {
  let meta = metafiles.get(entry);
  if (meta === undefined) {
    meta = buildMetafile(entry);
    metafiles.set(entry, meta);
  }
  return meta;
}

async function buildMetafile(entry: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    write: false,
    metafile: true,
    platform: "neutral",
    format: "esm",
    packages: "bundle",
    mainFields: ["module", "main"],
    external: ["node:*"],
    logLevel: "silent",
    absWorkingDir: ROOT,
  });
  return result.metafile;
}

/** The modules `entry` evaluates when imported: its static imports, transitively. */
function evaluatedAtImport(meta: Metafile, entry: string): Set<string> {
  const seen = new Set<string>([entry]);
  const queue = [entry];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const imported of meta.inputs[file]?.imports ?? []) {
      if (imported.kind !== "import-statement" || imported.external === true) continue;
      if (seen.has(imported.path)) continue;
      seen.add(imported.path);
      queue.push(imported.path);
    }
  }
  return seen;
}

/** The modules loaded with `import()` anywhere in the graph of `meta`. */
function dynamicallyImported(meta: Metafile): Set<string> {
  return new Set(
    Object.values(meta.inputs).flatMap((input) =>
      input.imports
        .filter((i) => i.kind === "dynamic-import" && i.external !== true)
        .map((i) => i.path),
    ),
  );
}

/** The text of an unminified one-file bundle of `entry`, as a user's esbuild build makes it. */
async function bundleText(entry: string, platform: "node" | "browser"): Promise<string> {
  const result = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    write: false,
    platform,
    format: "esm",
    logLevel: "silent",
    absWorkingDir: ROOT,
  });
  return result.outputFiles.map((file) => file.text).join("\n");
}

/** The inputs of a minified Worker bundle of `entry` (esbuild, browser platform, one file). */
async function workerInputs(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    platform: "browser",
    format: "esm",
    logLevel: "silent",
    absWorkingDir: ROOT,
  });
  return Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file),
  );
}

describe("what a Worker bundle of the fetch entry carries", () => {
  it("loads the protocol's descriptor without descriptor.proto's schema (descriptor-boot.ts)", async () => {
    const inputs = await workerInputs("src/fetch.ts");
    expect(inputs).toContain("src/journal/gen/protocol_boot.ts");
    expect(
      inputs.filter((file) => /google\/protobuf\/descriptor_pb|gen\/protocol_pb/.test(file)),
    ).toEqual([]);
  });
});

describe("modules evaluated when an entry is imported", () => {
  it.each(ENTRIES)("%s leaves protobuf-es and the descriptors to the lazy codec", async (entry) => {
    const meta = await metafile(entry);
    const atImport = [...evaluatedAtImport(meta, entry)];
    expect(atImport.filter((file) => PROTOBUF.test(file))).toEqual([]);
    expect(atImport).not.toContain(CODEC);
    const loadsCodec = Object.values(meta.inputs).some((input) =>
      input.imports.some((i) => i.path === CODEC && i.kind === "dynamic-import"),
    );
    expect(loadsCodec).toBe(true);
    // The codec module itself is where they come in.
    expect(meta.inputs[CODEC]?.imports.some((i) => PROTOBUF.test(i.path))).toBe(true);
  });
});

describe("what V8 parses in a one-file bundle of an entry", () => {
  // listen() serves every route (discovery and health too) through the Node request handler, so
  // no entry needs @hono/node-server; a bundle carried its 56 kB for V8 to parse, unused by the
  // first invocation (about 7 million instructions with the Hono app listen() built).
  it.each(ENTRIES)("%s: no @hono/node-server in the graph", async (entry) => {
    const meta = await metafile(entry);
    expect(Object.keys(meta.inputs).filter((file) => file.includes("@hono/node-server"))).toEqual(
      [],
    );
  });

  // A module that is loaded with import() and also reached through static imports gains nothing
  // from the dynamic import, but esbuild then wraps it and every module it imports in lazy-init
  // closures, so V8 parses those module bodies twice. Reaching node-invoke.ts both ways had the
  // whole engine wrapped (98 closures) in the bench's Node bundle.
  it.each(ENTRIES)("%s: no module is both imported dynamically and statically", async (entry) => {
    const meta = await metafile(entry);
    const atImport = evaluatedAtImport(meta, entry);
    expect([...dynamicallyImported(meta)].filter((file) => atImport.has(file))).toEqual([]);
  });

  // One non-ASCII character anywhere (esbuild keeps the doc comments of class members) makes V8
  // decode the whole source from UTF-8 into a two-byte string and scan that: about 6 million
  // instructions more for the bench's Node bundle (callgrind). String literals are escaped by
  // esbuild; comments are not.
  it.each([
    ...ENTRIES.map((entry) => [entry, "node"] as const),
    ["src/fetch.ts", "browser"] as const,
  ])("%s (platform %s) bundles to ASCII-only text", async (entry, platform) => {
    const lines = (await bundleText(entry, platform)).split("\n");
    expect(lines.filter((line) => /[^\t\n\r -~]/.test(line))).toEqual([]);
  });
});
