// SPDX-License-Identifier: MIT
/**
 * Direct mode: no Restate server. The harness plays the runtime over HTTP/2 and measures the
 * endpoint alone: invocations/s and the endpoint process's CPU time per invocation.
 */
import type { Target } from "./build.js";
import type { BenchConfig, Levels } from "./config.js";
import { H2Invoker } from "./h2-client.js";
import { spawnEndpoint, type EndpointProcess } from "./processes.js";
import { greeterCase, replayCase, type DirectCase } from "./protocol.js";
import type { Results } from "./results.js";
import { runLoad } from "./stats.js";
import { log, rotate } from "./util.js";

interface Scenario {
  readonly invocation: DirectCase;
  readonly levels: Levels;
  readonly warmup: number;
  readonly targets: readonly Target[];
}

interface Running {
  readonly process: EndpointProcess;
  readonly client: H2Invoker;
}

const WARMUP_CONCURRENCY = 32;

/** Runs the direct-mode cells against each target's endpoint process. */
export async function runDirect(
  config: BenchConfig,
  bundles: Record<Target, string>,
  results: Results,
): Promise<void> {
  const { direct } = config;
  const scenarios: Scenario[] = [
    {
      invocation: greeterCase(),
      levels: direct.greeter,
      warmup: direct.warmup.greeter,
      targets: ["ours", "official", "floor"],
    },
    {
      invocation: replayCase(10),
      levels: direct.replay10,
      warmup: direct.warmup.replay10,
      targets: ["ours", "official"],
    },
    {
      invocation: replayCase(1000),
      levels: direct.replay1000,
      warmup: direct.warmup.replay1000,
      targets: ["ours", "official"],
    },
  ];
  const running = new Map<Target, Running>();
  const processes: EndpointProcess[] = [];
  try {
    for (const target of ["ours", "official", "floor"] as const) {
      const process = spawnEndpoint(bundles[target], 0);
      processes.push(process);
      const port = await process.ready;
      running.set(target, { process, client: await H2Invoker.connect(port) });
    }
    for (const scenario of scenarios) {
      for (const target of scenario.targets) {
        const { client } = get(running, target);
        const warm = await runLoad(scenario.warmup, WARMUP_CONCURRENCY, config.cellMaxMs, () =>
          client.invoke(scenario.invocation),
        );
        if (warm.failures > 0) {
          log(
            `direct warm-up ${scenario.invocation.name} ${target}: ${warm.failureReasons.join("; ")}`,
          );
        }
      }
    }
    for (let rep = 0; rep < config.reps; rep++) {
      for (const scenario of scenarios) {
        for (const [concurrency, requests] of scenario.levels) {
          // Alternate who goes first, so a drift in machine load does not favour one target.
          for (const target of rotate(scenario.targets, rep)) {
            await measure(
              config,
              results,
              get(running, target),
              target,
              scenario.invocation,
              concurrency,
              requests,
            );
          }
        }
      }
      log(`direct: repetition ${rep + 1}/${config.reps} done`);
    }
  } finally {
    for (const { client } of running.values()) client.destroy();
    for (const process of processes) await process.stop();
  }
}

async function measure(
  config: BenchConfig,
  results: Results,
  { process, client }: Running,
  target: Target,
  invocation: DirectCase,
  concurrency: number,
  requests: number,
): Promise<void> {
  const name = `${invocation.name}, c=${concurrency}`;
  const cpuBefore = process.cpuMicros();
  const load = await runLoad(requests, concurrency, config.cellMaxMs, () =>
    client.invoke(invocation),
  );
  const cpu = process.cpuMicros() - cpuBefore;
  const completed = load.ok + load.failures;
  results.mark("direct", name, target, {
    failures: load.failures,
    reasons: load.failureReasons,
    isTimeCapped: load.isTimeCapped,
  });
  results.add(
    "direct",
    name,
    "throughput",
    { unit: "inv/s" },
    target,
    (load.ok / load.wallMs) * 1000,
  );
  results.add(
    "direct",
    name,
    "endpoint CPU",
    { unit: "µs/inv" },
    target,
    cpu / Math.max(1, completed),
  );
}

function get(running: ReadonlyMap<Target, Running>, target: Target): Running {
  const entry = running.get(target);
  if (entry === undefined) throw new Error(`no endpoint process for ${target}`);
  return entry;
}
