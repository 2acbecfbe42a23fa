// SPDX-License-Identifier: MIT
// The API report (etc/*.api.md, `npm run api`) covers every public entry, and CI fails when it is
// out of date. The content itself is checked by `npm run api:check` on the build.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { publicEntries } from "../../dev/api-entries.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("API report", () => {
  const entries = publicEntries(ROOT);

  it("has one entry per typed export of package.json", () => {
    expect(entries.map((e) => e.subpath)).toEqual(
      expect.arrayContaining([".", "./fetch", "./node", "./lambda", "./clients", "./testing"]),
    );
    expect(entries.find((e) => e.subpath === "./clients")).toMatchObject({
      dts: path.join(ROOT, "dist/src/clients/index.d.ts"),
      reportFileName: "restate-hono-clients.api.md",
    });
  });

  it("has a checked-in report for exactly the public entries", () => {
    const reports = readdirSync(path.join(ROOT, "etc")).filter((f) => f.endsWith(".api.md"));
    expect(reports.sort()).toEqual(entries.map((e) => e.reportFileName).sort());
  });

  it("is checked in CI right after the build", () => {
    const steps = readFileSync(path.join(ROOT, ".ci/run"), "utf8")
      .split("\n")
      .filter((line) => line.startsWith("npm "));
    const build = steps.indexOf("npm run build");
    expect(build).toBeGreaterThanOrEqual(0);
    expect(steps[build + 1]).toBe("npm run api:check");
  });
});
