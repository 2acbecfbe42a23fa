// SPDX-License-Identifier: MIT
// The published package as a user gets it: `npm pack` the build, install the tarball into a fresh
// project (its dependencies symlinked from this repository, so no network), then load every
// subpath with require() and import(), and type-check small files importing every subpath with
// moduleResolution node10, node16 (an ESM .ts and a CommonJS .cts) and bundler.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import ts from "typescript";
import { runtimeBinary, runtimeEnv } from "../../dev/runtimes.js";
import { startDenoUserApp } from "./deno-user-app.js";
import { serverPerFile } from "./support.js";

const ROOT = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  exports: Record<string, string | Record<string, unknown>>;
};
/** Every subpath of the package (`restate-hono`, `restate-hono/fetch`, …). */
const SUBPATHS = Object.keys(pkg.exports)
  .filter((key) => key !== "./package.json")
  .map((key) => (key === "." ? "restate-hono" : `restate-hono/${key.slice(2)}`));
/** Subpaths published for ESM only (they read import.meta), each with its reason in the build. */
const ESM_ONLY = SUBPATHS.filter((s) => {
  const entry = pkg.exports[s === "restate-hono" ? "." : `./${s.slice("restate-hono/".length)}`];
  return typeof entry === "object" && !("require" in entry);
});
const CJS = SUBPATHS.filter((s) => !ESM_ONLY.includes(s));

let project: string;
const env = serverPerFile();

/** The newest modification time under `dir` (files only). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

function isBuildCurrent(): boolean {
  try {
    // dist/node is written last (dev/build-node.ts).
    statSync(join(ROOT, "dist", "node", "fetch.js"));
    const built = statSync(join(ROOT, "dist", "cjs", "package.json")).mtimeMs;
    return (
      built >= newest(join(ROOT, "src")) &&
      ["package.json", "dev/bundled-entries.ts", "dev/build-deno.ts", "dev/build-node.ts"].every(
        (file) => built >= statSync(join(ROOT, file)).mtimeMs,
      )
    );
  } catch {
    return false;
  }
}

beforeAll(() => {
  if (!isBuildCurrent()) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "pipe" });
  project = mkdtempSync(join(tmpdir(), "restate-hono-package-"));
  const tarball = execFileSync("npm", ["pack", "--ignore-scripts", "--pack-destination", project], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  })
    .trim()
    .split("\n")
    .at(-1)!;
  const installed = join(project, "node_modules", "restate-hono");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", join(project, tarball), "-C", installed, "--strip-components=1"]);
  // The package's own dependencies (and the types a user project has), from this repository.
  const peers = Object.keys(pkg.peerDependencies ?? {});
  for (const dep of [...Object.keys(pkg.dependencies), ...peers, "@types/node"]) {
    const link = join(project, "node_modules", dep);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", dep), link);
  }
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user", private: true }));
}, 600_000);

afterAll(() => {
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

function runNode(code: string, extension: "cjs" | "mjs"): string {
  const file = join(project, `check.${extension}`);
  writeFileSync(file, code);
  return execFileSync(process.execPath, [file], { cwd: project, encoding: "utf8" });
}

describe("the packed package", () => {
  it("ships a CommonJS build beside the ESM one for every subpath except the ESM-only ones", () => {
    expect(ESM_ONLY).toEqual(["restate-hono/deploy-check"]);
    expect(CJS).toEqual(expect.arrayContaining(["restate-hono", "restate-hono/clients"]));
  });

  it("loads every subpath with require()", () => {
    const out = runNode(
      `for (const s of ${JSON.stringify(CJS)}) console.log(s, Object.keys(require(s)).length);`,
      "cjs",
    );
    for (const s of CJS) expect(out).toMatch(new RegExp(`^${s} [1-9]\\d*$`, "m"));
    // The two builds are separate module instances, but give the same names.
    const names = runNode(
      `import { createRequire } from "node:module";\n` +
        `const require = createRequire(import.meta.url);\n` +
        `const esm = await import("restate-hono");\n` +
        `console.log(JSON.stringify([Object.keys(esm).sort(), Object.keys(require("restate-hono")).sort()]));`,
      "mjs",
    );
    const [esmNames, cjsNames] = JSON.parse(names) as [string[], string[]];
    expect(cjsNames).toEqual(esmNames);
    expect(esmNames).toContain("service");
  });

  it("loads every subpath with import()", () => {
    const out = runNode(
      `for (const s of ${JSON.stringify(SUBPATHS)}) console.log(s, Object.keys(await import(s)).length);`,
      "mjs",
    );
    for (const s of SUBPATHS) expect(out).toMatch(new RegExp(`^${s} [1-9]\\d*$`, "m"));
  });

  /** The subpaths that give Node's import() a bundled entry through the `node` export condition. */
  const NODE_SUBPATHS = SUBPATHS.filter((s) => {
    const entry = pkg.exports[s === "restate-hono" ? "." : `./${s.slice("restate-hono/".length)}`];
    return typeof entry === "object" && "node" in entry;
  });

  it("gives Node's import() the bundled entries of dist/node, sharing one copy of each class, and require() the CommonJS build", () => {
    expect(NODE_SUBPATHS).toEqual(SUBPATHS.filter((s) => s !== "restate-hono/deploy-check"));
    const out = runNode(
      `import { createRequire } from "node:module";\n` +
        `const require = createRequire(import.meta.url);\n` +
        `const local = (url) => url.replace(/^.*\\/node_modules\\/restate-hono\\//, "");\n` +
        `for (const s of ${JSON.stringify(SUBPATHS)}) console.log("import", s, local(import.meta.resolve(s)));\n` +
        `for (const s of ${JSON.stringify(CJS)}) console.log("require", s, local(require.resolve(s)));\n` +
        `const [main, fetchEntry] = [await import("restate-hono"), await import("restate-hono/fetch")];\n` +
        `console.log("one TerminalError:", main.TerminalError === fetchEntry.TerminalError);\n`,
      "mjs",
    );
    for (const s of NODE_SUBPATHS) {
      const entry = pkg.exports[s === "restate-hono" ? "." : `./${s.slice(13)}`] as {
        node: { import: { default: string } };
        require: { default: string };
      };
      expect(out).toContain(`import ${s} ${entry.node.import.default.replace(/^\.\//, "")}\n`);
      expect(out).toContain(`require ${s} ${entry.require.default.replace(/^\.\//, "")}\n`);
    }
    expect(out).toContain("import restate-hono/deploy-check dist/src/deploy-check/index.js\n");
    expect(out).toContain("one TerminalError: true");
  });

  it("maps the stack of an error thrown in dist/node to the TypeScript sources with --enable-source-maps", () => {
    const file = join(project, "stack.mjs");
    writeFileSync(
      file,
      `import { endpoint } from "restate-hono";\n` +
        `try { endpoint().bind({}); } catch (error) { console.log(error.stack); }\n`,
    );
    const run = (flags: string[]) =>
      execFileSync(process.execPath, [...flags, file], { cwd: project, encoding: "utf8" });
    expect(run([])).toMatch(/\/dist\/node\/chunks\/chunk-\w+\.js:\d+:\d+\)/);
    expect(run(["--enable-source-maps"])).toMatch(
      /at RestateEndpoint\.bind \(.*\/restate-hono\/src\/endpoint\/endpoint-builder\.ts:\d+:\d+\)/,
    );
  });

  it("serves invocations on Node from dist/node behind the real server (lazy chunks included)", async () => {
    const file = join(project, "serve.mjs");
    writeFileSync(
      file,
      `import { endpoint, service } from "restate-hono";\n` +
        `const greeter = service({ name: "PackagedGreeter", handlers: { greet: async (ctx, name) => {\n` +
        `  const n = await ctx.run("n", async () => 41 + 1);\n` +
        `  await ctx.sleep(5);\n` +
        `  return \`Hello \${name} \${n} \${import.meta.resolve("restate-hono").replace(/^.*\\/restate-hono\\//, "")}\`;\n` +
        `} } });\n` +
        `const port = await endpoint().bind(greeter).listen(0, "127.0.0.1");\n` +
        `console.log("port", port);\n`,
    );
    const child = spawn(process.execPath, [file], {
      cwd: project,
      env: { ...process.env, RESTATE_LOGGING: "WARN" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = once(child, "exit");
    let port: number | undefined;
    for await (const chunk of child.stdout) {
      port = Number(/^port (\d+)$/m.exec(String(chunk))?.[1]);
      if (port > 0) break;
    }
    const stop = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    };
    await env().register(`http://127.0.0.1:${port}`, { http11: false, stop });
    const reply = await env().ingress("/PackagedGreeter/greet", "npm");
    expect(reply).toMatchObject({ status: 200, json: "Hello npm 42 dist/node/index.js" });
    await stop();
  }, 60_000);

  /** The subpaths that give Deno a bundled entry through the `deno` export condition. */
  const DENO_SUBPATHS = SUBPATHS.filter((s) => {
    const entry = pkg.exports[s === "restate-hono" ? "." : `./${s.slice("restate-hono/".length)}`];
    return typeof entry === "object" && "deno" in entry;
  });
  const deno = runtimeBinary("deno");

  it.skipIf(deno === undefined)(
    "gives Deno the bundled entries of dist/deno, sharing one copy of each class",
    () => {
      expect(DENO_SUBPATHS).toEqual(SUBPATHS.filter((s) => s !== "restate-hono/deploy-check"));
      const manifest = { name: "user", type: "module", dependencies: { "restate-hono": "*" } };
      writeFileSync(join(project, "package.json"), JSON.stringify(manifest));
      writeFileSync(join(project, "deno.json"), JSON.stringify({ nodeModulesDir: "manual" }));
      writeFileSync(
        join(project, "check-deno.mjs"),
        `for (const s of ${JSON.stringify(SUBPATHS)}) {\n` +
          `  const file = import.meta.resolve(s).replace(/^.*\\/node_modules\\/restate-hono\\//, "");\n` +
          `  console.log(s, file, Object.keys(await import(s)).length);\n` +
          `}\n` +
          `const [main, fetchEntry] = [await import("restate-hono"), await import("restate-hono/fetch")];\n` +
          `console.log("one TerminalError:", main.TerminalError === fetchEntry.TerminalError);\n`,
      );
      const out = execFileSync(
        deno!,
        ["run", "--allow-env", "--allow-read", "--no-prompt", "check-deno.mjs"],
        { cwd: project, encoding: "utf8", env: runtimeEnv(project, {}) },
      );
      writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user", private: true }));
      for (const s of DENO_SUBPATHS) {
        const entry = pkg.exports[s === "restate-hono" ? "." : `./${s.slice(13)}`] as {
          deno: { default: string };
        };
        const file = entry.deno.default.replace(/^\.\//, "");
        expect(out).toMatch(new RegExp(`^${s} ${file} [1-9]\\d*$`, "m"));
      }
      expect(out).toMatch(/^restate-hono\/deploy-check dist\/src\/deploy-check\/index\.js [1-9]/m);
      expect(out).toContain("one TerminalError: true");
    },
    120_000,
  );

  it.skipIf(deno === undefined)(
    "serves an invocation from a Deno user's own Hono app, our app() mounted in it",
    async () => {
      const manifest = {
        name: "user",
        type: "module",
        dependencies: { "restate-hono": "*", hono: "*" },
      };
      writeFileSync(join(project, "package.json"), JSON.stringify(manifest));
      writeFileSync(join(project, "deno.json"), JSON.stringify({ nodeModulesDir: "manual" }));
      const user = await startDenoUserApp(project, deno!);
      try {
        // Behind the real server, through the user's `app.route("/restate", …)`.
        const deployment = await env().register(`${user.url}/restate`, { http11: true });
        expect(deployment.services.map((s) => s.name)).toEqual(["MountedGreeter"]);
        const reply = await env().ingress("/MountedGreeter/greet", "Till");
        expect(reply.json, user.logs()).toBe("Hello Till, journaled, 1 extra args");
        // The user's middleware wraps our answers.
        const health = await fetch(`${user.url}/restate/health`);
        expect(await health.text()).toBe("OK");
        expect(Number(health.headers.get("x-user-middleware"))).toBeGreaterThanOrEqual(3);
        // `app.mount("/mounted", app().fetch)` strips its prefix before our app sees the request.
        const accept = "application/vnd.restate.endpointmanifest.v3+json";
        const discovery = await fetch(`${user.url}/mounted/discover`, { headers: { accept } });
        expect(discovery.status).toBe(200);
        expect(await discovery.text()).toContain("MountedGreeter");
        const seen = (await (await fetch(`${user.url}/seen`)).json()) as Record<string, unknown>;
        // One Hono: dist/deno leaves it to Deno's npm resolution (dev/build-deno.ts).
        expect(seen["isUserHono"]).toBe(true);
        expect(seen["seen"]).toBeGreaterThanOrEqual(3);
      } finally {
        writeFileSync(
          join(project, "package.json"),
          JSON.stringify({ name: "user", private: true }),
        );
        await user.stop();
      }
    },
    120_000,
  );

  const importsOf = (subpaths: readonly string[]) =>
    subpaths
      .map((s, i) => `import * as m${i} from "${s}";\nexport const v${i} = m${i};\n`)
      .join("");

  function typeCheck(files: Record<string, string>, options: ts.CompilerOptions): string[] {
    const names = Object.entries(files).map(([name, text]) => {
      const file = join(project, name);
      writeFileSync(file, text);
      return file;
    });
    const program = ts.createProgram(names, {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ["node"],
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      target: ts.ScriptTarget.ES2022,
      ...options,
    });
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }

  it("type-checks imports of every subpath with moduleResolution node10", () => {
    const diagnostics = typeCheck(
      {
        "node10.ts": `${importsOf(SUBPATHS)}\nimport { service } from "restate-hono";\nexport const s = service;\n`,
      },
      { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 },
    );
    expect(diagnostics).toEqual([]);
  });

  it("type-checks imports with moduleResolution node16, from ESM and from a .cts file", () => {
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user", type: "module" }));
    const diagnostics = typeCheck(
      {
        "node16.ts": importsOf(SUBPATHS),
        "node16.cts":
          `${importsOf(CJS)}\nimport restate = require("restate-hono");\n` +
          `export const greeter = restate.service({ name: "G", handlers: {} });\n`,
      },
      { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 },
    );
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user", private: true }));
    expect(diagnostics).toEqual([]);
  });

  it("type-checks imports of every subpath with moduleResolution bundler", () => {
    const diagnostics = typeCheck(
      { "bundler.ts": importsOf(SUBPATHS) },
      { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
    );
    expect(diagnostics).toEqual([]);
  });
});
