// SPDX-License-Identifier: MIT
// What importing an entry evaluates. protobuf-es and the generated descriptors are most of the
// import time, and an invocation that only reads its input and writes its output never needs them:
// every entry reaches them only through the dynamic import of the engine's protocol codec.
import path from "node:path";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const ENTRIES = ["src/index.ts", "src/fetch.ts", "src/lambda.ts", "src/node.ts"];
const CODEC = "src/journal/protocol-codec.ts";
const PROTOBUF = /(^|\/)@bufbuild\/protobuf\/|src\/journal\/gen\//;

async function metafile(entry: string): Promise<Metafile> {
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
