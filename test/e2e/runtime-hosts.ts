// SPDX-License-Identifier: MIT
/**
 * Serves a fetch-handler entry (the Bun, Deno and Worker templates) on a real runtime: bundles it
 * with esbuild from the package sources (no network), starts the runtime's binary from
 * node_modules on a port of its own choosing, and stops it by PID.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import {
  type RuntimeName,
  runtimeArgs,
  runtimeBinary,
  runtimeEnv,
  WRANGLER_ESBUILD_OPTIONS,
} from "../../dev/runtimes.js";

export { type RuntimeName, runtimeBinary };

const ROOT_DIR = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Bundles `entry` into `outFile` as one ES module for the browser platform, which fails on any
 * `node:` import; `restate-hono/fetch` resolves to the sources through tsconfig paths. A Worker is
 * bundled with wrangler's options ({@link WRANGLER_ESBUILD_OPTIONS}).
 */
export async function bundleForRuntime(
  entry: string,
  outFile: string,
  runtime?: RuntimeName,
): Promise<void> {
  await build({
    entryPoints: [path.resolve(ROOT_DIR, entry)],
    outfile: outFile,
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    ...(runtime === "workerd" ? WRANGLER_ESBUILD_OPTIONS : {}),
    tsconfig: path.join(ROOT_DIR, "tsconfig.json"),
    logLevel: "error",
  });
}

/** A runtime serving one bundle. */
export interface RuntimeHost {
  readonly runtime: RuntimeName;
  readonly url: string;
  readonly pid: number;
  /** What the runtime wrote to stdout and stderr so far. */
  logs(): string;
  /** SIGTERM, SIGKILL after a second; removes the temp dir. */
  stop(): Promise<void>;
}

/** How workerd runs a Worker (wrangler.toml's `compatibility_*` and `[vars]`). */
export interface WorkerSettings {
  readonly bindings?: Readonly<Record<string, string>>;
  /** Defaults to 2026-01-01. */
  readonly compatibilityDate?: string;
  /** Defaults to none. */
  readonly compatibilityFlags?: readonly string[];
}

/** workerd's config: one Worker, a socket on a port workerd picks. */
function workerdConfig(settings: WorkerSettings): string {
  const bindings = settings.bindings ?? {};
  const vars = Object.entries(bindings)
    .map(([name, text]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(text)})`)
    .join(", ");
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = ${JSON.stringify(settings.compatibilityDate ?? "2026-01-01")},
  compatibilityFlags = ${JSON.stringify(settings.compatibilityFlags ?? [])},
  bindings = [ ${vars} ],
);
`;
}

const LISTENING = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
const START_TIMEOUT_MS = 20_000;

/**
 * Bundles `entry` and serves it on `runtime`. Bun and Deno run the templates' own `serve` calls
 * (port 0, announced on stdout); workerd reports its port on a control pipe.
 *
 * @throws when the binary is missing, or the runtime exits or does not listen in time.
 */
export async function startRuntime(
  runtime: RuntimeName,
  entry: string,
  opts: WorkerSettings = {},
): Promise<RuntimeHost> {
  const binary = runtimeBinary(runtime);
  if (binary === undefined) throw new Error(`No ${runtime} binary in node_modules`);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `restate-hono-${runtime}-`));
  const bundle = path.join(dir, "worker.js");
  await bundleForRuntime(entry, bundle, runtime);
  const env = runtimeEnv(dir, { PORT: "0", HOST: "127.0.0.1", ...opts.bindings });
  const config = path.join(dir, "config.capnp");
  if (runtime === "workerd") await fs.writeFile(config, workerdConfig(opts));
  // workerd reports the port it bound on a control pipe (fd 3).
  const args = [
    ...runtimeArgs(runtime, bundle, config),
    ...(runtime === "workerd" ? ["--control-fd=3"] : []),
  ];
  const child = spawn(binary, args, {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (): Promise<void> => {
    await kill(child);
    await fs.rm(dir, { recursive: true, force: true });
  };
  try {
    const port = await announcedPort(child, () => output);
    return {
      runtime,
      url: `http://127.0.0.1:${port}`,
      pid: child.pid ?? -1,
      logs: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The port from workerd's control pipe or the template's "listening on" line. */
function announcedPort(child: ChildProcess, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`not listening after ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const check = (): void => {
      const match = LISTENING.exec(output());
      if (match?.[1] !== undefined) done(Number(match[1]));
    };
    const onControl = (chunk: Buffer): void => {
      for (const line of chunk.toString().split("\n")) {
        if (line.trim() === "") continue;
        const event = JSON.parse(line) as { event?: string; port?: number };
        if (event.event === "listen" && typeof event.port === "number") done(event.port);
      }
    };
    const onExit = (code: number | null): void =>
      fail(new Error(`exited with ${String(code)} before listening`));
    function cleanup(): void {
      clearTimeout(timer);
      child.stdout?.off("data", check);
      child.stderr?.off("data", check);
      child.stdio[3]?.off("data", onControl);
      child.off("exit", onExit);
    }
    function done(port: number): void {
      cleanup();
      resolve(port);
    }
    function fail(error: Error): void {
      cleanup();
      reject(new Error(`${error.message}:\n${output()}`));
    }
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.stdio[3]?.on("data", onControl);
    child.once("exit", onExit);
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 1_000);
  await exited;
  clearTimeout(timer);
}
