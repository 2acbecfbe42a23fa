// SPDX-License-Identifier: MIT
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { isEntryPoint } from "./entry-point.js";

const dir = mkdtempSync(path.join(tmpdir(), "entry-point-"));
const bin = path.join(dir, "bin.js");
writeFileSync(bin, "");
symlinkSync(bin, path.join(dir, "link"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("isEntryPoint", () => {
  const url = pathToFileURL(bin).href;

  it("is true for the started script, directly or through a link", () => {
    expect(isEntryPoint(url, bin)).toBe(true);
    expect(isEntryPoint(url, path.join(dir, "link"))).toBe(true);
  });

  it("is false for another script, a missing one, or none", () => {
    expect(isEntryPoint(url, path.join(dir, "other.js"))).toBe(false);
    writeFileSync(path.join(dir, "other.js"), "");
    expect(isEntryPoint(url, path.join(dir, "other.js"))).toBe(false);
    expect(isEntryPoint(url, undefined)).toBe(false);
  });
});
