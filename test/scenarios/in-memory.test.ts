// SPDX-License-Identifier: MIT
// The shared scenarios on the in-memory runtime, once with streaming attempts and once replaying
// at every step (as the server's HTTP/1.1 request/response mode does). The e2e twin is
// test/e2e/scenarios.test.ts.
import { describe, it } from "vitest";
import { SCENARIOS, SCENARIO_SERVICES } from "./scenarios.js";
import { inMemoryDriver } from "./in-memory-driver.js";

describe.each([
  { mode: "streaming attempts", replayEveryStep: false },
  { mode: "replay at every step", replayEveryStep: true },
])("shared scenarios in memory, $mode", ({ replayEveryStep }) => {
  for (const scenario of SCENARIOS) {
    it(scenario.name, async () => {
      const { driver } = await inMemoryDriver({ services: SCENARIO_SERVICES, replayEveryStep });
      await scenario.run(driver);
    });
  }
});
