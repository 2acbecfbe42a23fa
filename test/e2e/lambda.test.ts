// SPDX-License-Identifier: MIT
// The Lambda template behind a real restate-server, through a local bridge that delivers exactly
// the events Lambda would (restate-server's own payload, API Gateway REST and HTTP APIs, function
// URLs), in request/response mode (HTTP/1.1 registration).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handler } from "../../examples/lambda/handler.js";
import { type EventShape, type LambdaBridge, startLambdaBridge } from "./lambda-bridge.js";
import { serverPerFile } from "./support.js";

const SHAPES: readonly EventShape[] = [
  "restate-server",
  "api-gateway-rest",
  "api-gateway-http",
  "function-url",
];

const env = serverPerFile();

// One server for all shapes: each registration becomes the services' latest revision, so the
// shapes run one after another (vitest runs a file's suites in order).
for (const shape of SHAPES) {
  describe(`Lambda handler, ${shape} events`, () => {
    let bridge: LambdaBridge | undefined;

    beforeAll(async () => {
      bridge = await startLambdaBridge(handler, shape);
      const deployment = await env().register(bridge.url, { http11: true });
      expect(deployment.services.map((s) => s.name).sort()).toEqual(["Counter", "Greeter"]);
    });
    afterAll(async () => {
      await bridge?.stop();
    });

    it("serves state, ctx.run and a call to a virtual object", async () => {
      const name = `${shape}-${randomUUID().slice(0, 8)}`;
      const before = bridge!.events.length;
      const first = await env().ingress("/Greeter/greet", name);
      expect(first.status).toBe(200);
      expect(first.json).toMatch(new RegExp(`^Hello ${name}, visit #1, from `));
      expect((await env().ingress("/Greeter/greet", name)).json).toMatch(/visit #2,/);
      expect((await env().ingress(`/Counter/${name}/get`)).json).toBe(2);
      expect((await env().ingress(`/Counter/${name}/add`, 40)).json).toBe(42);
      // Every attempt went through the bridge, as an event of this shape.
      expect(bridge!.events.length).toBeGreaterThan(before + 4);
    });

    it("suspends on a durable sleep and resumes in a new invocation of the function", async () => {
      const before = bridge!.events.length;
      const reply = await env().ingress("/Greeter/greetLater", { name: shape, delayMs: 200 });
      expect(reply).toMatchObject({ status: 200, json: `Hello ${shape}, 200 ms later!` });
      expect(bridge!.events.length).toBeGreaterThanOrEqual(before + 2);
    });

    it("answers a terminal error with its code", async () => {
      const reply = await env().ingress("/Greeter/greet", " ");
      expect(reply.status).toBe(400);
      expect(reply.json).toMatchObject({ message: "name must not be empty" });
    });
  });
}
