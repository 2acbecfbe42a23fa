// SPDX-License-Identifier: MIT
// Unit tests of the quick-start examples, written with the in-memory test runtime. Each test runs
// the real handlers through the real journal engine, in milliseconds, on a virtual clock.
import { describe, expect, it } from "vitest";
import { TestEnvironment } from "restate-hono/testing";
import { greeter, signup, visits } from "./greeter.js";

describe("Greeter", () => {
  it("greets and counts visits per name", async () => {
    const env = await TestEnvironment.start({ services: [greeter, visits], seed: 42 });

    const first = await env.serviceClient(greeter).greet("Till");
    const second = await env.serviceClient(greeter).greet("Till");

    expect(first).toMatch(/^Hello Till! \(visit #1, greeting [0-9a-f]{8}\)$/);
    expect(second).toMatch(/^Hello Till! \(visit #2, /);
    expect(env.state(visits, "Till").get("count")).toBe(2);
  });

  it("rejects an empty name with a terminal error", async () => {
    const env = await TestEnvironment.start({ services: [greeter, visits] });

    await expect(env.serviceClient(greeter).greet(" ")).rejects.toMatchObject({
      code: 400,
      message: "name must not be empty",
    });
  });

  it("can replace the Visits object with a mock", async () => {
    const env = await TestEnvironment.start({ services: [greeter] });
    const visit = env.mock(visits).handler("visit", () => 41);

    expect(await env.serviceClient(greeter).greet("Ada")).toMatch(/visit #41/);
    expect(visit.calls).toEqual([expect.objectContaining({ key: "Ada", input: undefined })]);
  });

  it("greets later: the durable sleep ends only when virtual time has passed", async () => {
    const env = await TestEnvironment.start({ services: [greeter] });
    const handle = env.serviceSendClient(greeter).greetLater({ name: "Till", seconds: 30 });

    await env.advance("29s");
    expect(env.invocation(handle).status).toBe("suspended");

    await env.advance("1s");
    expect(await handle.result()).toBe("Hello Till, 30s later!");
    expect(env.journal(handle).map((entry) => entry.type)).toEqual([
      "Input",
      "Sleep",
      "Run",
      "Output",
    ]);
  });

  it("is deterministic: replaying after every step gives the same greeting", async () => {
    const plain = await TestEnvironment.start({ services: [greeter, visits], seed: 7 });
    const replaying = await TestEnvironment.start({
      services: [greeter, visits],
      seed: 7,
      replayEveryStep: true,
    });

    expect(await replaying.serviceClient(greeter).greet("Till")).toBe(
      await plain.serviceClient(greeter).greet("Till"),
    );
  });
});

describe("Visits", () => {
  it("reads the count with a shared handler", async () => {
    const env = await TestEnvironment.start({ services: [visits] });
    env.state(visits, "Grace").set("count", 9);

    expect(await env.objectClient(visits, "Grace").count()).toBe(9);
    expect(await env.objectClient(visits, "Grace").visit()).toBe(10);
  });
});

describe("Signup", () => {
  it("waits for the email link, then verifies", async () => {
    const env = await TestEnvironment.start({ services: [signup] });
    const workflowId = "user-1";
    const run = env.workflowSendClient(signup, workflowId).run("ada@example.com");
    await env.idle();

    const secret = await env.workflowClient(signup, workflowId).secret();
    await env.workflowClient(signup, workflowId).click(secret!);

    expect(await run.result()).toBe("ada@example.com verified");
  });

  it("fails the workflow when the link carries the wrong secret", async () => {
    const env = await TestEnvironment.start({ services: [signup] });
    const workflow = env.workflow(signup, "user-2");
    env.workflowSendClient(signup, "user-2").run("bob@example.com");
    await env.idle();

    workflow.promise<string>("email-link").resolve("not-the-secret");

    await expect(workflow.result()).rejects.toMatchObject({ code: 403, message: "wrong secret" });
  });
});
