// SPDX-License-Identifier: MIT
/**
 * Not in a run: cold-start instruction counts, which repeat whatever the load on the machine (the
 * cold mode's times and CPU do not). For each Node case (the bench's bundles; Node importing each
 * SDK from its npm package, node-package.ts) and target, the child runs under
 * `valgrind --tool=callgrind`, the harness polls it with the direct-mode greeter invocation until
 * one is valid, then stops it with SIGUSR2 (no one handles it, so the process ends there and
 * callgrind writes its totals).
 *
 * Each total leaves out V8's `HashSeed::InitializeRoots`: it searches for primes from the random
 * hash seed, a different number of instructions in every process (6–17 million seen on bare Node,
 * against about 90 million for all of restate-hono's start-up above it).
 *
 * Usage: `npx tsx bench/cold-callgrind.ts [node|node-npm …]` (needs `valgrind` and
 * `callgrind_annotate` on the PATH; about a minute per case).
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { freePort } from "../dev/restate-server.js";
import { buildEndpointBundles, makeBuildDir, type Target } from "./build.js";
import { H2Invoker } from "./h2-client.js";
import { prepareNodePackage } from "./node-package.js";
import { greeterCase } from "./protocol.js";
import { buildNodeBareBundle } from "./runtime-bundles.js";
import { delay } from "./util.js";

const TIMEOUT_MS = 180_000;
const RANDOM_SEEDED = "HashSeed::InitializeRoots";

/** Instructions of one cold start of `file`, without the random-seeded part. */
async function countColdStart(file: string, outFile: string): Promise<number> {
  const port = await freePort();
  const args = ["--tool=callgrind", `--callgrind-out-file=${outFile}`, process.execPath];
  const child = spawn("valgrind", [...args, file, String(port)], {
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    env: { ...process.env, RESTATE_LOGGING: "WARN" },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const started = Date.now();
  for (let isAnswered = false; !isAnswered; await delay(20)) {
    if (Date.now() - started > TIMEOUT_MS) {
      child.kill("SIGKILL");
      throw new Error(`${file}: no valid answer in ${TIMEOUT_MS} ms\n${stderr}`);
    }
    const client = await H2Invoker.connect(port).catch(() => undefined);
    if (client === undefined) continue;
    try {
      isAnswered = (await client.invoke(greeterCase())) === undefined;
    } catch {
      // Not serving yet.
    } finally {
      client.destroy();
    }
  }
  child.kill("SIGUSR2");
  await exited;
  const annotated = execFileSync("callgrind_annotate", ["--inclusive=yes", outFile], {
    encoding: "utf8",
    maxBuffer: 64 * 2 ** 20,
  });
  const total = /^\s*([\d,]+)\s.*PROGRAM TOTALS/m.exec(annotated)?.[1];
  const seeded = annotated.split("\n").find((line) => line.includes(RANDOM_SEEDED));
  const number = (text: string | undefined): number => Number((text ?? "").replace(/,/g, ""));
  if (total === undefined) throw new Error(`${outFile}: no totals`);
  return number(total) - number(/^\s*([\d,]+)/.exec(seeded ?? "")?.[1] ?? "0");
}

const wanted = process.argv.slice(2);
const dir = await makeBuildDir();
const cases: [string, Record<Target, string>][] = [];
if (wanted.length === 0 || wanted.includes("node")) {
  const bundles = await buildEndpointBundles(dir);
  cases.push(["Node, bundled", { ...bundles, floor: await buildNodeBareBundle(dir) }]);
}
if (wanted.length === 0 || wanted.includes("node-npm")) {
  cases.push(["node, npm package", await prepareNodePackage(dir)]);
}
try {
  for (const [index, [name, files]] of cases.entries()) {
    const counts = new Map<Target, number>();
    for (const target of ["floor", "ours", "official"] as const) {
      const out = path.join(dir, `callgrind-${index}-${target}.out`);
      counts.set(target, await countColdStart(files[target], out));
    }
    const floor = counts.get("floor") ?? NaN;
    const above = (t: Target): number => (counts.get(t) ?? NaN) - floor;
    const m = (n: number): string => `${(n / 1e6).toFixed(1)} M`;
    console.log(
      `${name}: bare ${m(floor)}; above it ours ${m(above("ours"))}, official ` +
        `${m(above("official"))}: ${(above("ours") / above("official")).toFixed(3)}x`,
    );
  }
} finally {
  await fs.rm(dir, { recursive: true, force: true });
}
