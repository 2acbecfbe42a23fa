// SPDX-License-Identifier: MIT
/**
 * Cold start, per runtime: from spawning the endpoint process to the first successful invocation.
 * The harness polls with a direct-mode greeter invocation (connect, invoke, validate) every ~2 ms
 * until one succeeds; the port is picked up front, so readiness messages play no part.
 *
 * Node serves the endpoints over HTTP/2 (`listen()`); Bun, Deno and workerd serve each SDK's
 * fetch handler over HTTP/1.1. The floor on every runtime is the bare runtime answering the
 * pre-encoded response (no SDK, no Hono), so "above the bare runtime" is what the SDK adds.
 */
import { freePort } from "../dev/restate-server.js";
import { runtimeBinary } from "../dev/runtimes.js";
import type { Target } from "./build.js";
import type { BenchConfig } from "./config.js";
import { H2Invoker } from "./h2-client.js";
import { invokeHttp1 } from "./h1-client.js";
import { readCpuMicrosFine, spawnEndpoint } from "./processes.js";
import { greeterCase, type DirectCase } from "./protocol.js";
import { runLambdaCold } from "./lambda-cold.js";
import type { Results } from "./results.js";
import { type ColdOutcome, recordColdRuns } from "./cold-runs.js";
import {
  buildNodeBareBundle,
  buildRuntimeBundle,
  FETCH_RUNTIMES,
  type FetchRuntime,
} from "./runtime-bundles.js";
import { prepareDenoPackage } from "./deno-package.js";
import { prepareNodePackage } from "./node-package.js";
import { spawnRuntime } from "./runtime-processes.js";
import { delay, log } from "./util.js";

const TARGETS: readonly Target[] = ["ours", "official", "floor"];
const COLD_TIMEOUT_MS = 20_000;
/** Between failed attempts; each costs the harness a little CPU that the child may want. */
const POLL_INTERVAL_MS = 2;
const MODE = "cold start";

/** What a cold start needs to know about one runtime. */
interface ColdRuntime {
  readonly label: string;
  /** Starts the child for `target` on `port`; the clock starts before this is called. */
  start(target: Target, port: number): Promise<ColdChild>;
  /** One invocation attempt; rejects while the child is not accepting connections yet. */
  invoke(port: number, invocation: DirectCase): Promise<string | undefined>;
}

interface ColdChild {
  readonly pid: number;
  readonly exited: Promise<unknown>;
  rssBytes(): number;
  stderrTail(): string;
  stop(): Promise<void>;
}

async function invokeHttp2(port: number, invocation: DirectCase): Promise<string | undefined> {
  const client = await H2Invoker.connect(port);
  try {
    return await client.invoke(invocation);
  } finally {
    client.destroy();
  }
}

/** A Node child per target (`node <file> <port>`) answering over HTTP/2. */
function nodeChildRuntime(label: string, files: Record<Target, string>): ColdRuntime {
  return {
    label,
    start: async (target, port) => {
      const child = spawnEndpoint(files[target], port);
      return { ...child, exited: child.ready.then(() => new Promise(() => undefined)) };
    },
    invoke: invokeHttp2,
  };
}

/** Node: the HTTP/2 endpoints of the other modes, and bare `node:http2` as the floor. */
async function nodeRuntime(
  bundles: Record<Target, string>,
  buildDir: string,
): Promise<ColdRuntime> {
  const files: Record<Target, string> = { ...bundles, floor: await buildNodeBareBundle(buildDir) };
  return nodeChildRuntime("Node, HTTP/2", files);
}

/** Bun, Deno or workerd serving each SDK's fetch handler; the floor is a bare fetch handler. */
async function fetchRuntime(runtime: FetchRuntime, buildDir: string): Promise<ColdRuntime> {
  const files = {} as Record<Target, string>;
  for (const target of TARGETS) files[target] = await buildRuntimeBundle(runtime, target, buildDir);
  return {
    label: `${runtime}, HTTP/1.1`,
    start: (target, port) => spawnRuntime(runtime, target, files[target], port),
    invoke: invokeHttp1,
  };
}

/** Deno running each SDK from its npm package, module by module (see deno-package.ts). */
async function denoPackageRuntime(buildDir: string): Promise<ColdRuntime> {
  const files = await prepareDenoPackage(buildDir);
  return {
    label: "deno, npm package, HTTP/1.1",
    start: (target, port) => spawnRuntime("deno", target, files[target], port),
    invoke: invokeHttp1,
  };
}

/**
 * Runs `config.cold.runs` cold starts per target on each runtime of `config.cold.runtimes` (Node,
 * the installed fetch runtimes, the Lambda handler), interleaved per runtime. Also records each
 * SDK's time and CPU above the same round's floor.
 */
export async function runCold(
  config: BenchConfig,
  bundles: Record<Target, string>,
  results: Results,
  buildDir: string,
): Promise<void> {
  const wanted = config.cold.runtimes;
  const runtimes = wanted.includes("node") ? [await nodeRuntime(bundles, buildDir)] : [];
  if (wanted.includes("node-npm")) {
    runtimes.push(
      nodeChildRuntime("node, npm package, HTTP/2", await prepareNodePackage(buildDir)),
    );
  }
  for (const runtime of FETCH_RUNTIMES) {
    if (!wanted.includes(runtime)) continue;
    if (runtimeBinary(runtime) === undefined) log(`cold: no ${runtime} binary, skipped`);
    else runtimes.push(await fetchRuntime(runtime, buildDir));
  }
  if (wanted.includes("deno-npm") && runtimeBinary("deno") !== undefined) {
    runtimes.push(await denoPackageRuntime(buildDir));
  }
  for (const runtime of runtimes) {
    await recordColdRuns(results, {
      mode: MODE,
      name: `${runtime.label}: spawn → first valid greeter response`,
      cpuLabel: "endpoint CPU until then",
      targets: TARGETS,
      runs: config.cold.runs,
      coldStart: (target) => coldStart(runtime, target),
    });
    log(`cold: ${runtime.label}: ${config.cold.runs} runs done`);
  }
  if (wanted.includes("lambda")) await runLambdaCold(config, results, buildDir);
}

async function coldStart(runtime: ColdRuntime, target: Target): Promise<ColdOutcome> {
  const port = await freePort();
  const invocation = greeterCase();
  const started = performance.now();
  const child = await runtime.start(target, port);
  let hasExited = false;
  void child.exited.then(
    () => (hasExited = true),
    () => (hasExited = true),
  );
  let lastError = "no attempt";
  try {
    while (performance.now() - started < COLD_TIMEOUT_MS && !hasExited) {
      try {
        const reason = await runtime.invoke(port, invocation);
        if (reason === undefined) {
          const ms = performance.now() - started;
          const cpuMs = readCpuMicrosFine(child.pid) / 1000;
          return { ms, cpuMs, rssMb: child.rssBytes() / 2 ** 20 };
        }
        lastError = reason;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
      await delay(POLL_INTERVAL_MS);
    }
    const why = hasExited ? `exited: ${child.stderrTail()}` : `no success in ${COLD_TIMEOUT_MS} ms`;
    return { ms: NaN, cpuMs: NaN, rssMb: NaN, error: `${why} (last: ${lastError})` };
  } finally {
    await child.stop();
  }
}
