// SPDX-License-Identifier: MIT
/**
 * Cold start: from spawning the endpoint process to the first successful invocation. The harness
 * polls with a direct-mode greeter invocation (connect, invoke, validate) every ~2 ms
 * until one succeeds; the port is picked up front, so readiness messages play no part.
 */
import { freePort } from "../dev/restate-server.js";
import type { Target } from "./build.js";
import type { BenchConfig } from "./config.js";
import { H2Invoker } from "./h2-client.js";
import { spawnEndpoint } from "./processes.js";
import { greeterCase } from "./protocol.js";
import type { Results } from "./results.js";
import { delay, log, rotate } from "./util.js";

const TARGETS: readonly Target[] = ["ours", "official", "floor"];
const COLD_TIMEOUT_MS = 20_000;
/** Between failed attempts; each costs the harness a little CPU that the child may want. */
const POLL_INTERVAL_MS = 2;

/** Runs `config.cold.runs` cold starts per target, interleaved. */
export async function runCold(
  config: BenchConfig,
  bundles: Record<Target, string>,
  results: Results,
): Promise<void> {
  for (let run = 0; run < config.cold.runs; run++) {
    for (const target of rotate(TARGETS, run)) {
      const outcome = await coldStart(bundles[target]);
      const mode = "cold start";
      const name = "spawn → first valid greeter response";
      results.mark(mode, name, target, {
        failures: outcome.error === undefined ? 0 : 1,
        reasons: outcome.error === undefined ? [] : [outcome.error],
        isTimeCapped: false,
      });
      results.add(mode, name, "time", { unit: "ms", digits: 0 }, target, outcome.ms);
      results.add(
        mode,
        name,
        "endpoint CPU until then",
        { unit: "ms", digits: 0 },
        target,
        outcome.cpuMs,
      );
      results.add(mode, name, "RSS then", { unit: "MB", digits: 1 }, target, outcome.rssMb);
    }
    log(`cold: run ${run + 1}/${config.cold.runs} done`);
  }
}

interface ColdOutcome {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssMb: number;
  readonly error?: string;
}

async function coldStart(bundle: string): Promise<ColdOutcome> {
  const port = await freePort();
  const invocation = greeterCase();
  const started = performance.now();
  const process = spawnEndpoint(bundle, port);
  let hasExited = false;
  process.ready.catch(() => (hasExited = true));
  let lastError = "no attempt";
  try {
    while (performance.now() - started < COLD_TIMEOUT_MS && !hasExited) {
      let client: H2Invoker | undefined;
      try {
        client = await H2Invoker.connect(port);
        const reason = await client.invoke(invocation);
        if (reason === undefined) {
          const ms = performance.now() - started;
          return { ms, cpuMs: process.cpuMicros() / 1000, rssMb: process.rssBytes() / 2 ** 20 };
        }
        lastError = reason;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      } finally {
        client?.destroy();
      }
      await delay(POLL_INTERVAL_MS);
    }
    const why = hasExited
      ? `exited: ${process.stderrTail()}`
      : `no success in ${COLD_TIMEOUT_MS} ms`;
    return { ms: NaN, cpuMs: NaN, rssMb: NaN, error: `${why} (last: ${lastError})` };
  } finally {
    await process.stop();
  }
}
