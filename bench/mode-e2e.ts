// SPDX-License-Identifier: MIT
/**
 * End-to-end mode: a real restate-server per SDK (two servers, each with one endpoint registered
 * over HTTP/2), driven through the ingress. Per cell: throughput, latency p50/p99 as the client
 * sees it, and the endpoint process's CPU per request and RSS. The servers' own CPU is not counted.
 */
import { startRestateServer, type RestateServer } from "../dev/restate-server.js";
import type { Target } from "./build.js";
import type { BenchConfig, Levels } from "./config.js";
import { IngressClient } from "./ingress-client.js";
import { spawnEndpoint, type EndpointProcess } from "./processes.js";
import type { Results } from "./results.js";
import { FAN_OUT, SLEEP_MS } from "./services.js";
import { percentile, runLoad } from "./stats.js";
import { log, rotate } from "./util.js";

const TARGETS: readonly Target[] = ["ours", "official"];
const WARMUP_CONCURRENCY = 16;
const MAX_CONCURRENCY = 64;
const MB = 2 ** 20;

/** One request shape; `cell` makes object keys unique per cell so state starts at zero. */
interface E2eCase {
  readonly name: string;
  readonly levels: Levels;
  request(cell: string, worker: number): { path: string; body: string; expected: string };
}

function cases(config: BenchConfig): E2eCase[] {
  const steps = 10;
  return [
    {
      name: "greeter",
      levels: config.e2e.greeter,
      request: () => ({ path: "/Greeter/greet", body: '"bench"', expected: '"Hello bench!"' }),
    },
    {
      name: `${steps} × ctx.run`,
      levels: config.e2e.steps,
      request: () => ({
        path: "/Steps/run",
        body: String(steps),
        expected: String((steps * (steps - 1)) / 2),
      }),
    },
    {
      name: "object get + set",
      levels: config.e2e.counter,
      request: (() => {
        // Each worker has its own key and issues its requests in sequence, so its n-th call
        // must answer n.
        const counts = new Map<string, number>();
        return (cell: string, worker: number) => {
          const key = `${cell}-w${worker}`;
          const n = (counts.get(key) ?? 0) + 1;
          counts.set(key, n);
          return { path: `/Counter/${key}/add`, body: "1", expected: String(n) };
        };
      })(),
    },
    {
      name: `fan-out ${FAN_OUT} calls`,
      levels: config.e2e.fanOut,
      request: () => ({
        path: "/FanOut/fan",
        body: String(FAN_OUT),
        expected: String((FAN_OUT * (FAN_OUT - 1)) / 2),
      }),
    },
    {
      name: `sleep ${SLEEP_MS} ms`,
      levels: config.e2e.sleep,
      request: () => ({ path: "/Sleeper/nap", body: String(SLEEP_MS), expected: '"ok"' }),
    },
  ];
}

interface Stack {
  readonly server: RestateServer;
  readonly endpoint: EndpointProcess;
  readonly client: IngressClient;
}

/** Starts both stacks, warms them up, and runs every cell `config.reps` times. */
export async function runE2e(
  config: BenchConfig,
  bundles: Record<Target, string>,
  results: Results,
): Promise<void> {
  const stacks = new Map<Target, Stack>();
  try {
    for (const target of TARGETS) stacks.set(target, await startStack(bundles[target]));
    const all = cases(config);
    for (const c of all) {
      for (const target of TARGETS) {
        const stack = getStack(stacks, target);
        const warm = await drive(
          stack,
          c,
          `warm-${target}`,
          WARMUP_CONCURRENCY,
          config.e2e.warmup,
          config.cellMaxMs,
        );
        if (warm.failures > 0)
          log(`e2e warm-up ${c.name} ${target}: ${warm.failureReasons.join("; ")}`);
      }
    }
    log("e2e: warm-up done");
    let cellCount = 0;
    for (let rep = 0; rep < config.reps; rep++) {
      for (const c of all) {
        for (const [concurrency, requests] of c.levels) {
          for (const target of rotate(TARGETS, rep)) {
            const stack = getStack(stacks, target);
            const cell = `r${rep}-c${concurrency}-${target}-${cellCount++}`;
            const cpuBefore = stack.endpoint.cpuMicros();
            const load = await drive(stack, c, cell, concurrency, requests, config.cellMaxMs);
            const cpu = stack.endpoint.cpuMicros() - cpuBefore;
            const name = `${c.name}, c=${concurrency}`;
            results.mark("e2e", name, target, {
              failures: load.failures,
              reasons: load.failureReasons,
              isTimeCapped: load.isTimeCapped,
            });
            results.add(
              "e2e",
              name,
              "throughput",
              { unit: "req/s" },
              target,
              (load.ok / load.wallMs) * 1000,
            );
            results.add(
              "e2e",
              name,
              "latency p50",
              { unit: "ms" },
              target,
              percentile(load.latenciesMs, 50),
            );
            results.add(
              "e2e",
              name,
              "latency p99",
              { unit: "ms" },
              target,
              percentile(load.latenciesMs, 99),
            );
            results.add(
              "e2e",
              name,
              "endpoint CPU",
              { unit: "µs/req" },
              target,
              cpu / Math.max(1, load.ok + load.failures),
            );
            results.add(
              "e2e",
              name,
              "endpoint RSS",
              { unit: "MB", digits: 1 },
              target,
              stack.endpoint.rssBytes() / MB,
            );
          }
        }
      }
      log(`e2e: repetition ${rep + 1}/${config.reps} done`);
    }
  } finally {
    for (const stack of stacks.values()) {
      stack.client.close();
      await stack.endpoint.stop();
      await stack.server.stop();
    }
  }
}

function drive(
  stack: Stack,
  c: E2eCase,
  cell: string,
  concurrency: number,
  requests: number,
  maxMs: number,
): ReturnType<typeof runLoad> {
  return runLoad(requests, concurrency, maxMs, async (_index, worker) => {
    const { path, body, expected } = c.request(cell, worker);
    const reply = await stack.client.post(path, body);
    if (reply.status !== 200) return `HTTP ${reply.status}: ${reply.text.slice(0, 200)}`;
    return reply.text === expected
      ? undefined
      : `answer ${reply.text.slice(0, 100)}, expected ${expected}`;
  });
}

async function startStack(bundle: string): Promise<Stack> {
  const endpoint = spawnEndpoint(bundle, 0);
  let server: RestateServer | undefined;
  try {
    const port = await endpoint.ready;
    server = await startRestateServer({});
    const deployment = await server.register(`http://127.0.0.1:${port}`);
    await checkDeployment(server, deployment.id);
    return { server, endpoint, client: new IngressClient(server.ingressUrl, MAX_CONCURRENCY) };
  } catch (error) {
    await endpoint.stop();
    await server?.stop();
    throw error;
  }
}

/** Both SDKs must be measured on the same transport: HTTP/2, bidirectional streaming. */
async function checkDeployment(server: RestateServer, id: string): Promise<void> {
  const response = await fetch(`${server.adminUrl}/deployments/${id}`);
  const info = (await response.json()) as {
    protocol_type?: string;
    http_version?: string;
    sdk_version?: string;
  };
  log(
    `e2e: registered ${info.sdk_version ?? "?"} as ${info.protocol_type ?? "?"} over ${info.http_version ?? "?"}`,
  );
  if (info.protocol_type !== "BidiStream" || info.http_version !== "HTTP/2.0") {
    throw new Error(
      `deployment ${id} is ${JSON.stringify(info)}, expected BidiStream over HTTP/2.0`,
    );
  }
}

function getStack(stacks: ReadonlyMap<Target, Stack>, target: Target): Stack {
  const stack = stacks.get(target);
  if (stack === undefined) throw new Error(`no stack for ${target}`);
  return stack;
}
