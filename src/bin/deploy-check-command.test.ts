// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { UsageError, parseDeployCheckArgs, runDeployCheck } from "./deploy-check-command.js";
import { main } from "./restate-hono.js";

describe("restate-hono deploy-check arguments", () => {
  it("reads every option, in both --flag value and --flag=value forms", () => {
    expect(
      parseDeployCheckArgs([
        "--admin=http://a:9070",
        "--module",
        "dist/services.js",
        "--replace",
        "dp_1",
        "--limit",
        "50",
        "--seed=7",
        "--remove-drained",
        "--json",
      ]),
    ).toEqual({
      options: {
        admin: "http://a:9070",
        module: "dist/services.js",
        replace: "dp_1",
        limit: 50,
        seed: 7,
        removeDrained: true,
      },
      isJson: true,
      isHelp: false,
    });
    expect(
      parseDeployCheckArgs(["--endpoint", "http://e:9080", "--update", "dp_1", "--http11"]).options,
    ).toEqual({ endpoint: "http://e:9080", update: "dp_1", useHttp11: true });
  });

  it("refuses what it cannot run", () => {
    const refused = (args: string[]) => () => parseDeployCheckArgs(args);
    expect(refused([])).toThrow(new UsageError("Give the new code with --module or --endpoint"));
    expect(refused(["--module", "m.js", "--limit", "0"])).toThrow(/--limit needs a positive/);
    expect(refused(["--module", "m.js", "--update", "dp_1"])).toThrow(/--update needs --endpoint/);
    expect(refused(["--module", "m.js", "--frobnicate"])).toThrow(/Unknown option --frobnicate/);
    expect(refused(["--module"])).toThrow(/--module needs a value/);
    expect(refused(["--module", "m.js", "extra"])).toThrow(/Unexpected argument "extra"/);
  });

  it("exits with 2 and the usage for a bad command line, 0 for help", async () => {
    const out: string[] = [];
    const io = {
      env: {},
      cwd: "/",
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => out.push(t),
    };
    expect(await runDeployCheck(["--limit", "x"], io)).toBe(2);
    expect(out.join("")).toContain("Usage: restate-hono deploy-check");
    expect(await main(["deploy-check", "--help"], io)).toBe(0);
    expect(await main(["nope"], io)).toBe(2);
    expect(out.join("")).toContain('Unknown command "nope"');
  });
});
