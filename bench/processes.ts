// SPDX-License-Identifier: MIT
/**
 * Endpoint child processes: one `node` process per endpoint, running a pre-built bundle, so the OS
 * can tell us its CPU time (`/proc/<pid>/stat`) and memory (`/proc/<pid>/status`).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { ChildMessage, HeapSample } from "./child-protocol.js";

/** Clock ticks per second for `/proc/<pid>/stat` times (`getconf CLK_TCK`, 100 on Linux). */
export const CLOCK_TICKS = readClockTicks();

function readClockTicks(): number {
  try {
    const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** User + system CPU time of a process so far, in µs (resolution: one clock tick, 10 ms). */
export function readCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may contain spaces; fields after it start at ") ".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 (utime) and 15 (stime), counted from 1 over the whole line; field 3 is index 0 here.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / CLOCK_TICKS;
}

/**
 * CPU time of a process in µs at nanosecond resolution: the sum over its live threads of the time
 * the scheduler ran them (`/proc/<pid>/task/<tid>/schedstat`, first field). Start-up costs of a
 * few tens of ms need that; the clock-tick figure of {@link readCpuMicros} is 10 ms coarse.
 * Threads that already ended are not counted; falls back to the tick figure when no thread reads.
 */
export function readCpuMicrosFine(pid: number): number {
  let nanos = 0;
  let threads = 0;
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        nanos += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
        threads++;
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  } catch {
    return readCpuMicros(pid);
  }
  return threads === 0 || !Number.isFinite(nanos) ? readCpuMicros(pid) : nanos / 1000;
}

/** Resident set size of a process (`VmRSS`), in bytes. */
export function readRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) * 1024;
}

/** A running endpoint child. */
export interface EndpointProcess {
  readonly pid: number;
  /** Resolves with the bound port once the endpoint listens (rejects if the child dies first). */
  readonly ready: Promise<number>;
  cpuMicros(): number;
  rssBytes(): number;
  /** Asks the child to run a full GC and report its heap (needs `--expose-gc`, which we pass). */
  heap(): Promise<HeapSample>;
  /** The child's last stderr lines, for error messages. */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after 3 s; resolves when the process has exited. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 3_000;
const READY_TIMEOUT_MS = 30_000;
const live = new Set<ChildProcess>();
let isExitHookInstalled = false;

/** Makes sure no endpoint outlives the harness (short of a SIGKILL of the harness itself). */
function installExitHook(): void {
  if (isExitHookInstalled) return;
  isExitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
  });
}

/**
 * Spawns `node --expose-gc <bundle> <port>` (port 0 = any free port). The child reports readiness
 * and heap samples over the IPC channel, and exits when that channel closes.
 *
 * @example
 * const ep = spawnEndpoint("/tmp/x/ours.mjs", 0);
 * const port = await ep.ready;
 */
export function spawnEndpoint(bundle: string, port: number): EndpointProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, RESTATE_LOGGING: "WARN" };
  // The harness runs under tsx, which may load itself through NODE_OPTIONS; the child runs plain JS.
  delete env["NODE_OPTIONS"];
  const child = spawn(process.execPath, ["--expose-gc", bundle, String(port)], {
    env,
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not spawn node for ${bundle}`);
  live.add(child);
  installExitHook();
  const tail: string[] = [];
  child.stderr?.on("data", (chunk: Buffer) => {
    tail.push(chunk.toString("utf8"));
    if (tail.length > 50) tail.shift();
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      live.delete(child);
      resolve();
    });
  });
  const heapWaiters: ((sample: HeapSample) => void)[] = [];
  const ready = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bundle}: not ready`)), READY_TIMEOUT_MS);
    child.on("message", (message: ChildMessage) => {
      if (message.type === "ready") {
        clearTimeout(timer);
        resolve(message.port);
      } else heapWaiters.shift()?.(message.heap);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${bundle} exited before listening:\n${tail.join("")}`));
    });
  });
  // Cold-start runs never await `ready`; keep its rejection from becoming unhandled.
  ready.catch(() => undefined);
  return {
    pid,
    ready,
    cpuMicros: () => readCpuMicros(pid),
    rssBytes: () => readRssBytes(pid),
    heap: () =>
      new Promise<HeapSample>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error("no heap sample in 30 s")),
          READY_TIMEOUT_MS,
        );
        heapWaiters.push((sample) => {
          clearTimeout(timer);
          resolve(sample);
        });
        child.send({ type: "heap" });
      }),
    stderrTail: () => tail.join(""),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(pid, "SIGTERM");
        const timer = setTimeout(() => process.kill(pid, "SIGKILL"), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      await exited;
    },
  };
}
