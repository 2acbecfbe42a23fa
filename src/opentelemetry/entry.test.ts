// SPDX-License-Identifier: MIT
// `@opentelemetry/api` is an optional peer dependency: only `restate-hono/opentelemetry` may load
// it. Checked on the module graph esbuild sees (every module, static or dynamic).
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

async function bundledModules(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    outdir: "/nonexistent-entry-test-out",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return Object.values(result.metafile.outputs).flatMap((meta) => Object.keys(meta.inputs));
}

const isOpenTelemetry = (m: string): boolean => m.includes("@opentelemetry/");

describe("@opentelemetry/api", () => {
  it.each(["../index.ts", "../fetch.ts"])("is never loaded by %s", async (entry) => {
    const modules = await bundledModules(entry);
    expect(modules.some((m) => m.endsWith("src/endpoint/fetch-endpoint.ts"))).toBe(true);
    expect(modules.filter(isOpenTelemetry)).toEqual([]);
  });

  it("is loaded by restate-hono/opentelemetry", async () => {
    expect((await bundledModules("./index.ts")).some(isOpenTelemetry)).toBe(true);
  });
});
