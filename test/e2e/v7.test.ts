// SPDX-License-Identifier: MIT
// Service protocol V7, opt-in on both sides: restate-server with its experimental flag, and an
// endpoint advertising 5..7. The shared scenarios (test/scenarios/), on the negotiated version.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestEnv, TRANSPORTS, startEnv } from "./support.js";
import { waitFor } from "../../dev/restate-server.js";
import { SCENARIOS, SCENARIO_SERVICES } from "../scenarios/scenarios.js";
import type { ScenarioDriver } from "../scenarios/driver.js";
import { serverDriver } from "../scenarios/server-driver.js";

describe.each(TRANSPORTS)("protocol V7 over $name", ({ http11 }) => {
  let env: TestEnv | undefined;
  let driver: ScenarioDriver;
  beforeAll(async () => {
    env = await startEnv(SCENARIO_SERVICES, {
      http11,
      server: { enableProtocolV7: true },
      protocolVersions: [5, 7],
    });
    driver = serverDriver(env);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("negotiates V7 and answers", async () => {
    const send = await env!.ingress("/Greeter/greet/send", "Till");
    const { invocationId } = send.json as { invocationId: string };
    await waitFor(async () => (await env!.invocation(invocationId))?.["status"] === "completed", {
      message: "greet completed",
    });
    const row = await env!.invocation(invocationId);
    expect(Number(row?.["pinned_service_protocol_version"])).toBe(7);
    expect(row?.["completion_result"]).toBe("success");
  });

  for (const scenario of SCENARIOS) {
    it(scenario.name, () => scenario.run(driver));
  }
});
