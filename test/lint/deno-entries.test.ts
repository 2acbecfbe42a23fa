// SPDX-License-Identifier: MIT
// What Deno gets from the package (dev/build-deno.ts): Deno loads an npm package module by module,
// so each entry it resolves through the `deno` export condition is bundled with the package's own
// dependencies, and start-up evaluates a handful of modules rather than 115. Checked on the build's
// metafile, in memory.
import { readFileSync } from "node:fs";
import path from "node:path";
import { build, type Metafile } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { DENO_ENTRIES, denoBuildOptions, denoOutput } from "../../dev/build-deno.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = "dist/deno";

interface Export {
  readonly deno?: { readonly types: string; readonly default: string };
  readonly import?: { readonly types: string; readonly default: string };
}
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  exports: Record<string, Export | string>;
  files: string[];
};

let meta: Metafile;

beforeAll(async () => {
  const result = await build({
    ...denoBuildOptions(path.join(ROOT, OUT)),
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
      if (imported.kind !== "import-statement" || seen.has(imported.path)) continue;
      seen.add(imported.path);
      queue.push(imported.path);
    }
  }
  return [...seen];
}

describe("the package's entries for Deno", () => {
  it("are what the deno condition of each subpath names, with the types of its import", () => {
    for (const [subpath, source] of Object.entries(DENO_ENTRIES)) {
      const entry = pkg.exports[subpath];
      if (typeof entry !== "object") throw new Error(`${subpath} is not a conditional export`);
      expect(Object.keys(entry)[0], subpath).toBe("deno");
      expect(entry.deno).toEqual({
        types: entry.import?.types,
        default: `./${denoOutput(source)}`,
      });
      expect(meta.outputs[denoOutput(source)], subpath).toBeDefined();
    }
    const withDeno = Object.keys(pkg.exports).filter((s) => {
      const entry = pkg.exports[s];
      return typeof entry === "object" && "deno" in entry;
    });
    expect(withDeno.sort()).toEqual(Object.keys(DENO_ENTRIES).sort());
    expect(pkg.files).toContain(OUT);
  });

  it("load the fetch entry from a few modules, with only Hono imported by name", () => {
    const loaded = loadedAtImport(denoOutput("src/fetch.ts"));
    // One entry plus the chunks it shares with other entries (10 today) against the 115 modules
    // of the tsc build; the bound leaves room for the chunking to move as entries change.
    expect(loaded.length).toBeLessThanOrEqual(20);
    const imports = loaded.flatMap((file) => meta.outputs[file]?.imports ?? []);
    const external = imports.filter((i) => i.external === true).map((i) => i.path);
    expect(new Set(external)).toEqual(new Set(["hono/tiny", "hono/utils/url"]));
  });

  it("bundle no Hono: the user's Hono app and ours are one Hono (instanceof holds)", () => {
    const inputs = Object.values(meta.outputs).flatMap((output) => Object.keys(output.inputs));
    expect(inputs.filter((input) => /node_modules\/hono\//.test(input))).toEqual([]);
  });

  it("leave the protocol codec and protobuf-es to a chunk imported on first need", () => {
    const loaded = loadedAtImport(denoOutput("src/fetch.ts"));
    const inputsOf = (files: string[]) =>
      files.flatMap((file) => Object.keys(meta.outputs[file]?.inputs ?? {}));
    expect(inputsOf(loaded).filter((input) => input.includes("@bufbuild/protobuf"))).toEqual([]);
    expect(inputsOf(loaded)).not.toContain("src/journal/protocol-codec.ts");
    const codecChunk = Object.keys(meta.outputs).find(
      (file) => meta.outputs[file]?.inputs["src/journal/protocol-codec.ts"] !== undefined,
    );
    const dynamic = loaded.flatMap((file) =>
      (meta.outputs[file]?.imports ?? []).filter((i) => i.kind === "dynamic-import"),
    );
    expect(dynamic.map((i) => i.path)).toContain(codecChunk);
  });

  it("share one copy of each module between entries (one TerminalError class)", () => {
    const holders = Object.keys(meta.outputs).filter(
      (file) => meta.outputs[file]?.inputs["src/errors.ts"] !== undefined,
    );
    expect(holders).toHaveLength(1);
    expect(holders[0]).toMatch(/^dist\/deno\/chunks\//);
  });
});
