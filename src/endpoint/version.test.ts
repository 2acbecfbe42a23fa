// SPDX-License-Identifier: MIT
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SDK_VERSION, SERVER_HEADER } from "./version.js";

describe("SDK_VERSION", () => {
  it("equals package.json's version", () => {
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as {
      version: string;
    };
    expect(SDK_VERSION).toBe(pkg.version);
    expect(SERVER_HEADER).toBe(`restate-hono/${pkg.version}`);
  });
});
