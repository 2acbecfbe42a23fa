// SPDX-License-Identifier: MIT
// What Node gets from the package (dev/build-node.ts): Node's ES module loader costs about a
// millisecond per module, so each entry it imports through the `node` export condition is bundled
// with the package's own dependencies, and start-up evaluates a dozen modules rather than 105.
// Checked on the build's metafile, in memory.
import { readFileSync } from "node:fs";
import path from "node:path";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { NODE_ENTRIES, nodeBuildOptions, nodeOutput } from "../../dev/build-node.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = "dist/node";

interface Target {
  readonly types: string;
  readonly default: string;
}
interface Export {
  readonly node?: { readonly import?: Target };
  readonly import?: Target;
}
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  exports: Record<string, Export | string>;
  files: string[];
};

let meta: Metafile;

beforeAll(async () => {
  const result = await build({
    ...nodeBuildOptions(path.join(ROOT, OUT)),
    write: false,
    metafile: true,
  });
  meta = result.metafile;
});

/** The output files evaluated when `output` is imported: its static imports, transitively. */
function loadedAtImport(output: string): string[] {
  const seen = new Set([output]);
  const queue = [output];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    for (const imported of meta.outputs[file]?.imports ?? []) {
      if (imported.kind !== "import-statement" || imported.external === true) continue;
      if (seen.has(imported.path)) continue;
      seen.add(imported.path);
      queue.push(imported.path);
    }
  }
  return [...seen];
}

/** The output holding `source`. */
function chunkOf(source: string): string | undefined {
  return Object.keys(meta.outputs).find((file) => meta.outputs[file]?.inputs[source] !== undefined);
}

describe("the package's entries for Node", () => {
  it("are what the node condition of each subpath names for import(), after deno's", () => {
    for (const [subpath, source] of Object.entries(NODE_ENTRIES)) {
      const entry = pkg.exports[subpath];
      if (typeof entry !== "object") throw new Error(`${subpath} is not a conditional export`);
      // Deno matches `node` too; require() must fall through to the CommonJS build.
      expect(Object.keys(entry).slice(0, 2), subpath).toEqual(["deno", "node"]);
      expect(entry.node).toEqual({
        import: { types: entry.import?.types, default: `./${nodeOutput(source)}` },
      });
      expect(meta.outputs[nodeOutput(source)], subpath).toBeDefined();
    }
    const withNode = Object.keys(pkg.exports).filter((s) => {
      const entry = pkg.exports[s];
      return typeof entry === "object" && "node" in entry;
    });
    expect(withNode.sort()).toEqual(Object.keys(NODE_ENTRIES).sort());
    expect(pkg.files).toContain(OUT);
  });

  it("load the main entry from a few modules, with no dependency but Node's imported by name", () => {
    const loaded = loadedAtImport(nodeOutput("src/index.ts"));
    // The entry plus the chunks it shares with other entries (11 today) against the 105 modules of
    // the tsc build; the bound leaves room for the chunking to move as entries change.
    expect(loaded.length).toBeLessThanOrEqual(16);
    const imports = loaded.flatMap((file) => meta.outputs[file]?.imports ?? []);
    expect(imports.filter((i) => i.external === true && !i.path.startsWith("node:"))).toEqual([]);
  });

  it("leave the protocol codec and the Node server to chunks imported on first need", () => {
    const loaded = loadedAtImport(nodeOutput("src/index.ts"));
    const inputs = loaded.flatMap((file) => Object.keys(meta.outputs[file]?.inputs ?? {}));
    expect(inputs.filter((input) => input.includes("@bufbuild/protobuf"))).toEqual([]);
    expect(inputs).not.toContain("src/journal/protocol-codec.ts");
    expect(inputs).not.toContain("src/endpoint/node-server.ts");
    const dynamic = loaded.flatMap((file) =>
      (meta.outputs[file]?.imports ?? []).filter((i) => i.kind === "dynamic-import"),
    );
    expect(dynamic.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        chunkOf("src/journal/protocol-codec.ts"),
        chunkOf("src/endpoint/node-server.ts"),
      ]),
    );
  });

  it("share one copy of each module between entries (one TerminalError class)", () => {
    const holders = Object.keys(meta.outputs).filter(
      (file) => meta.outputs[file]?.inputs["src/errors.ts"] !== undefined,
    );
    expect(holders).toHaveLength(1);
    expect(holders[0]).toMatch(/^dist\/node\/chunks\//);
  });
});
