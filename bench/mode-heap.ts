// SPDX-License-Identifier: MIT
/**
 * Heap growth: a fresh endpoint process per repetition, a warm-up, a forced full GC (`--expose-gc`
 * in the child), then `heap.invocations` greeter invocations in direct mode and another full GC.
 * Growth that survives the second GC is what the invocations left behind.
 */
import type { Target } from "./build.js";
import type { BenchConfig } from "./config.js";
import { H2Invoker } from "./h2-client.js";
import { spawnEndpoint } from "./processes.js";
import { greeterCase } from "./protocol.js";
import type { Results } from "./results.js";
import { runLoad } from "./stats.js";
import { log, rotate } from "./util.js";

const TARGETS: readonly Target[] = ["ours", "official"];
const MB = 2 ** 20;

/** Runs the heap measurement `config.reps` times per SDK. */
export async function runHeap(
  config: BenchConfig,
  bundles: Record<Target, string>,
  results: Results,
): Promise<void> {
  const { warmup, invocations, concurrency } = config.heap;
  const invocation = greeterCase();
  const name = `${invocations.toLocaleString("en-US")} greeter invocations, c=${concurrency}`;
  for (let rep = 0; rep < config.reps; rep++) {
    for (const target of rotate(TARGETS, rep)) {
      const process = spawnEndpoint(bundles[target], 0);
      try {
        const client = await H2Invoker.connect(await process.ready);
        const warm = await runLoad(warmup, concurrency, config.cellMaxMs, () =>
          client.invoke(invocation),
        );
        const before = await process.heap();
        const load = await runLoad(invocations, concurrency, 4 * config.cellMaxMs, () =>
          client.invoke(invocation),
        );
        const after = await process.heap();
        client.destroy();
        results.mark("heap", name, target, {
          failures: warm.failures + load.failures,
          reasons: [...warm.failureReasons, ...load.failureReasons],
          isTimeCapped: load.isTimeCapped,
        });
        results.add(
          "heap",
          name,
          "heapUsed before",
          { unit: "MB", digits: 2 },
          target,
          before.heapUsed / MB,
        );
        results.add(
          "heap",
          name,
          "heapUsed after",
          { unit: "MB", digits: 2 },
          target,
          after.heapUsed / MB,
        );
        results.add(
          "heap",
          name,
          "growth",
          { unit: "KB", digits: 0 },
          target,
          (after.heapUsed - before.heapUsed) / 1024,
        );
        results.add("heap", name, "RSS after", { unit: "MB", digits: 1 }, target, after.rss / MB);
      } finally {
        await process.stop();
      }
    }
    log(`heap: repetition ${rep + 1}/${config.reps} done`);
  }
}
