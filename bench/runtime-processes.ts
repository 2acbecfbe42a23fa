// SPDX-License-Identifier: MIT
/**
 * Runtime children for the cold-start mode: `bun`, `deno` or `workerd` serving one bundle on a
 * given port. CPU time and RSS come from `/proc/<pid>` as for the Node children.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { runtimeArgs, runtimeBinary, runtimeEnv } from "../dev/runtimes.js";
import type { Target } from "./build.js";
import { readCpuMicros, readRssBytes } from "./processes.js";
import { writeWorkerdConfig, type FetchRuntime } from "./runtime-bundles.js";

/** A running runtime child. */
export interface RuntimeProcess {
  readonly pid: number;
  /** Resolves when the child has exited (it should not, before `stop()`). */
  readonly exited: Promise<void>;
  cpuMicros(): number;
  rssBytes(): number;
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after 3 s; resolves when the process has exited. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 3_000;

/**
 * Spawns `runtime` serving `bundle` on `127.0.0.1:port` (workerd: writes its capnp config first).
 *
 * @throws when the runtime's binary is not installed.
 */
export async function spawnRuntime(
  runtime: FetchRuntime,
  target: Target,
  bundle: string,
  port: number,
): Promise<RuntimeProcess> {
  const binary = runtimeBinary(runtime);
  if (binary === undefined) throw new Error(`no ${runtime} binary in node_modules`);
  const config = runtime === "workerd" ? await writeWorkerdConfig(bundle, port, target) : undefined;
  const dir = path.dirname(bundle);
  const child = spawn(binary, runtimeArgs(runtime, bundle, config), {
    cwd: dir,
    env: runtimeEnv(dir, { PORT: String(port) }),
    stdio: ["ignore", "ignore", "pipe"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn ${runtime}`);
  const tail: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    tail.push(chunk.toString("utf8"));
    if (tail.length > 50) tail.shift();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killOnExit = (): void => void child.kill("SIGKILL");
  process.once("exit", killOnExit);
  return {
    pid,
    exited,
    cpuMicros: () => readCpuMicros(pid),
    rssBytes: () => readRssBytes(pid),
    stderrTail: () => tail.join(""),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      process.off("exit", killOnExit);
    },
  };
}
