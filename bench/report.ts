// SPDX-License-Identifier: MIT
// The run's context (date, machine, versions, command) and the RESULTS.md document.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import type { BenchConfig } from "./config.js";
import { CLOCK_TICKS } from "./processes.js";

/** Where and how a run happened. */
export interface RunContext {
  readonly date: string;
  readonly command: string;
  readonly machine: string;
  readonly versions: string;
  readonly loadBefore: string;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    return match?.[1]?.trim() ?? "unknown CPU";
  } catch {
    return os.cpus()[0]?.model ?? "unknown CPU";
  }
}

function gitRevision(): string {
  try {
    const run = (...args: string[]): string =>
      execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = run("status", "--porcelain").length > 0 ? " + uncommitted changes" : "";
    return `${run("rev-parse", "--short", "HEAD")}${dirty}`;
  } catch {
    return "unknown revision";
  }
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" / ");
}

/** Captures the context at the start of a run. */
export function captureContext(args: readonly string[]): RunContext {
  const viaNpm = process.env["npm_lifecycle_event"] === "bench";
  const argText = args.join(" ");
  const command = viaNpm
    ? `npm run bench${argText === "" ? "" : ` -- ${argText}`}`
    : `npx tsx bench/run.ts${argText === "" ? "" : ` ${argText}`}`;
  const gib = (os.totalmem() / 2 ** 30).toFixed(1);
  return {
    date: new Date().toISOString(),
    command,
    machine: `${os.cpus().length} logical cores, ${gib} GiB RAM, ${cpuModel()}, ${os.platform()} ${os.release()}, Node ${process.version}`,
    versions: `restate-hono ${gitRevision()}, @restatedev/restate-sdk 1.17.2, restate-server 1.7.12 (protocol V6)`,
    loadBefore: loadAverage(),
  };
}

const SMOKE_BANNER = `> **HARNESS SMOKE RUN — NOT RESULTS.** Produced with \`--quick\` (few iterations) on a shared
> machine while other engineers were running test suites. These figures only show that every cell
> produces numbers and that both SDKs answer every request correctly. Do not quote or compare
> them; the real measurement is a full run (\`npm run bench\`) on a quiet machine.`;

const NOTES = `### What each mode measures

- **direct** — no Restate server. The harness plays the runtime over one HTTP/2 cleartext
  connection (prior knowledge): \`POST /invoke/<Svc>/<handler>\`, content-type
  \`application/vnd.restate.invocation.v6\`, body StartMessage + InputCommand (+ replayed journal),
  then end of stream. Every response is decoded and must be exactly Output(expected value) + End.
  *greeter*: known_entries = 1. *replay N*: \`Steps.run(N)\` retried after all N runs completed —
  N RunCommands + N RunCompletionNotifications replayed (known_entries = 1 + 2N), so the SDK
  replays without executing any step. Throughput = valid invocations / wall time at a fixed number
  in flight (c); CPU = endpoint process user+system time (\`/proc/<pid>/stat\`) / invocations.
- **e2e** — a real restate-server 1.7.12 per SDK (both servers up for the whole mode, only one
  loaded at a time), endpoint registered over HTTP/2 (checked: BidiStream, HTTP/2.0), requests
  through the ingress (keep-alive HTTP/1.1, c in flight). *greeter*: no context operations;
  *10 × ctx.run*: ten sequential side effects, each a round trip to the server; *object get + set*:
  virtual-object read-modify-write, one key per client worker (answers checked: n-th call → n);
  *fan-out 5 calls*: 5 concurrent calls to a callee service, \`RestatePromise.all\` (1 request = 6
  invocations on the same endpoint); *sleep 10 ms*: a durable timer. Latency is the client's
  request → response time. Endpoint CPU per request includes callee invocations; RSS is \`VmRSS\`
  after the cell. Server CPU is not counted.
- **cold start** — per runtime, spawn → first valid direct-mode greeter response, polling
  (connect + invoke) every ~2 ms. Node: \`node <bundle>\` listening over HTTP/2. Bun, Deno and
  workerd (\`bun run\`, \`deno run\`, \`workerd serve\` from node_modules): each SDK's \`/fetch\`
  handler served by the runtime over HTTP/1.1, one new connection per attempt; the official Worker
  runs with \`nodejs_compat\` (it imports \`node:buffer\`), ours with no flags. Each Worker is
  bundled as \`wrangler\` bundles it by default: one module, es2022, the \`workerd\`/\`worker\`/
  \`browser\` conditions, \`keepNames\`, not minified. _deno, npm package_: \`deno run main.ts\`
  importing each SDK from its package in \`node_modules\` module by module, as a Deno project does
  (ours: the package's build, dist/deno); Deno's code cache serves the rounds after the first.
  _node, npm package_: \`node main.mjs\` importing each SDK from its package in \`node_modules\`
  with no bundler, as most Node users run (ours: the package's build, dist/node through the
  \`node\` export condition; the official SDK after the \`Promise.withResolvers\` polyfill),
  binding the greeter and listening over HTTP/2 like the Node case, with its floor. The floor
  on every runtime is the bare runtime answering the pre-encoded response (Node: \`node:http2\`,
  no Hono).
  _time / CPU above bare runtime_ = each run's figure minus the same round's floor. The endpoint's
  CPU time until the answer is the sum over its threads of their scheduled run time
  (\`/proc/<pid>/task/*/schedstat\`, ns resolution); the Lambda child reports its own
  \`process.cpuUsage()\`. Also its RSS at that moment.
- **heap** — fresh endpoint process; warm-up, full GC (\`--expose-gc\`), heapUsed; then the
  greeter invocations in direct mode, full GC, heapUsed again.
- **size** — _Node_: esbuild \`bundle, minify, platform: node, format: esm\`, only Node built-ins
  external, of an entry that imports \`service\` and \`endpoint\` and binds one greeter. _Worker_:
  \`bundle, minify, platform: browser, format: esm\` of a greeter served by the SDK's \`/fetch\`
  handler (the bundle Bun and Deno run too); the official SDK's \`node:\` imports stay external.
  _naming \`serde\`_: the same greeter with \`handlers.handler({ input: serde.json, output:
  serde.json }, …)\`, so the bundle holds what the \`serde\` namespace object brings.
  The official SDK inlines its WASM core as base64, so its size counts it.

### Method

- Each endpoint runs alone in its own \`node\` process, started from an esbuild bundle built the
  same way for every target (not minified), so neither pays for TypeScript transpilation or
  per-file module loading that the other does not. Both log at \`RESTATE_LOGGING=WARN\`. The official
  SDK's process loads a \`Promise.withResolvers\` polyfill first (Node 20 lacks it).
- *floor* (direct, heap): a bare Hono app on \`@hono/node-server\` + \`http2.createServer\`
  returning pre-encoded Output + End — the HTTP/2 + Hono cost with no protocol work. In cold
  starts, the bare runtime (see above).
- Cells show the median of the repetitions and their range (min–max); the ratio is
  median(ours) / median(official) (for throughput > 1 is better for us, for time/CPU/memory < 1).
  Targets alternate order between repetitions. \`†\`: the cell hit its time cap before issuing all
  requests (figures are over the requests completed). A cell with any invalid response reads
  INVALID. CPU times have a resolution of one clock tick (${1000 / CLOCK_TICKS} ms) per cell.`;

/** The whole RESULTS.md. */
export function resultsDocument(
  config: BenchConfig,
  context: RunContext,
  table: string,
  failures: readonly string[],
  durationS: number,
  targets = "",
): string {
  const title = config.isQuick ? "Benchmark harness smoke run" : "Benchmark results";
  const parts = [
    `# ${title}`,
    "",
    ...(config.isQuick ? [SMOKE_BANNER, ""] : []),
    `- Date: ${context.date} (took ${durationS.toFixed(0)} s)`,
    `- Command: \`${context.command}\``,
    `- Machine: ${context.machine}`,
    `- Load average (1/5/15 min) at start: ${context.loadBefore}; at end: ${loadAverage()}`,
    `- Versions: ${context.versions}`,
    `- Modes: ${config.modes.join(", ")}; repetitions per cell: ${config.reps}` +
      (config.modes.includes("cold") ? `; cold starts per target: ${config.cold.runs}` : ""),
    "",
    table,
    "",
    failures.length === 0
      ? "All requests in all cells got valid responses."
      : `**${failures.length} cell(s) had invalid responses:**\n\n${failures.map((f) => `- ${f}`).join("\n")}`,
    "",
    ...(targets === "" ? [] : [targets, ""]),
    NOTES,
    "",
  ];
  return parts.join("\n");
}
