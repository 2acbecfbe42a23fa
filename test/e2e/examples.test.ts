// SPDX-License-Identifier: MIT
// The examples, as `npm start` serves them, driven by the client script a user would run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestEnv, startEnv } from "./support.js";
import { greeter, signup, visits } from "../../examples/greeter.js";
import { BOOKING_SERVICES } from "../../examples/booking/booking.js";
import { tour } from "../../examples/client-script.js";

describe("examples", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startEnv([greeter, visits, signup, ...BOOKING_SERVICES]);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("runs the client script's tour end to end", async () => {
    const lines: string[] = [];
    await tour(env.server.ingressUrl, (line) => lines.push(line));
    expect(lines[0]).toMatch(
      /^Greeter\/greet -> Hello Script! \(visit #1, greeting [0-9a-f]{8}\)$/,
    );
    expect(lines[1]).toMatch(/^Signup\/script-\d+@example\.com\/run\/send -> Accepted inv_1\w+$/);
    expect(lines[2]).toMatch(/^Signup attach -> script-\d+@example\.com verified$/);
    expect(lines[3]).toBe(
      "Booking attach -> 402 payment declined: card expired; released hotel, flight",
    );
  });

  it("counts visits per name and greets later after a durable sleep", async () => {
    const first = await env.ingress("/Greeter/greet", "Ada");
    const second = await env.ingress("/Greeter/greet", "Ada");
    expect(first.json).toMatch(/visit #1/);
    expect(second.json).toMatch(/visit #2/);
    expect((await env.ingress("/Visits/Ada/count")).json).toBe(2);
    expect((await env.ingress("/Greeter/greetLater", { name: "Ada", seconds: 1 })).json).toBe(
      "Hello Ada, 1s later!",
    );
    expect((await env.ingress("/Greeter/greet", "  ")).status).toBe(400);
  });
});
