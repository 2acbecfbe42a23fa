// SPDX-License-Identifier: MIT
// The shared scenarios end to end: the same list test/scenarios/in-memory.test.ts runs on the
// in-memory runtime, here against a real restate-server over both transports.
import { afterAll, beforeAll, describe, it } from "vitest";
import { type TestEnv, TRANSPORTS, startEnv } from "./support.js";
import { SCENARIOS, SCENARIO_SERVICES } from "../scenarios/scenarios.js";
import type { ScenarioDriver } from "../scenarios/driver.js";
import { serverDriver } from "../scenarios/server-driver.js";

describe.each(TRANSPORTS)("shared scenarios on restate-server over $name", ({ http11 }) => {
  let env: TestEnv | undefined;
  let driver: ScenarioDriver;
  beforeAll(async () => {
    env = await startEnv(SCENARIO_SERVICES, { http11 });
    driver = serverDriver(env);
  });
  afterAll(async () => {
    await env?.stop();
  });

  for (const scenario of SCENARIOS) {
    it(scenario.name, () => scenario.run(driver));
  }
});
