// SPDX-License-Identifier: MIT
// Service and handler options that change how attempts run, through the in-memory runtime (the
// same engine and context as the endpoint): asTerminalError for handlers and ctx.run closures.
import { describe, expect, it } from "vitest";
import { type Context, TerminalError, handlers, service } from "../index.js";
import { TestEnvironment } from "./index.js";

class ValidationError extends Error {}

const asBadRequest = (error: unknown) =>
  error instanceof ValidationError
    ? new TerminalError(error.message, { errorCode: 400 })
    : undefined;

let closureRuns = 0;

const validating = service({
  name: "Validating",
  options: { asTerminalError: asBadRequest, retryPolicy: { initialInterval: 10 } },
  handlers: {
    reject: async (_ctx: Context, name: string): Promise<string> => {
      throw new ValidationError(`invalid ${name}`);
    },
    flaky: async (): Promise<string> => {
      throw new Error("not mapped");
    },
    own: handlers.handler(
      { asTerminalError: () => new TerminalError("handler mapping", { errorCode: 422 }) },
      async (_ctx: Context, name: string): Promise<string> => {
        throw new ValidationError(`invalid ${name}`);
      },
    ),
    step: async (ctx: Context, name: string) => {
      try {
        return await ctx.run("validate", (): string => {
          closureRuns++;
          throw new ValidationError(`invalid ${name}`);
        });
      } catch (e) {
        if (!(e instanceof TerminalError)) throw e;
        return `run failed terminally: ${e.code} ${e.message}`;
      }
    },
  },
});

describe("asTerminalError", () => {
  it("fails the invocation with the mapped terminal error, without a retry", async () => {
    const env = await TestEnvironment.start({ services: [validating] });
    const handle = env.serviceSendClient(validating).reject("x");
    await expect(handle.result()).rejects.toMatchObject({ code: 400, message: "invalid x" });
    expect(env.invocation(handle).attempts).toBe(1);
  });

  it("leaves errors it does not map to the retry policy", async () => {
    const env = await TestEnvironment.start({ services: [validating] });
    const handle = env.serviceSendClient(validating).flaky();
    await env.advance("35ms");
    expect(env.invocation(handle).failures.map((f) => f.message)).toContain("not mapped");
    expect(env.invocation(handle).attempts).toBeGreaterThan(1);
  });

  it("takes the handler's mapping over its service's", async () => {
    const env = await TestEnvironment.start({ services: [validating] });
    const handle = env.serviceSendClient(validating).own("x");
    await expect(handle.result()).rejects.toMatchObject({ code: 422, message: "handler mapping" });
  });

  it("maps what a ctx.run closure throws: the run fails terminally, once", async () => {
    closureRuns = 0;
    const env = await TestEnvironment.start({ services: [validating] });
    const handle = env.serviceSendClient(validating).step("y");
    expect(await handle.result()).toBe("run failed terminally: 400 invalid y");
    expect(closureRuns).toBe(1);
    expect(env.invocation(handle).failures).toEqual([]);
  });
});

const sleepers = service({
  name: "Sleepers",
  handlers: {
    implicit: async (ctx: Context) => {
      await ctx.sleep({ minutes: 1 });
      return "slept";
    },
    explicit: handlers.handler({ explicitCancellation: true }, async (ctx: Context) => {
      await ctx.sleep({ minutes: 1 });
      return "slept";
    }),
  },
});

describe("explicitCancellation", () => {
  it("by default a cancellation rejects the awaited sleep with CancelledError", async () => {
    const env = await TestEnvironment.start({ services: [sleepers] });
    const handle = env.serviceSendClient(sleepers).implicit();
    await env.advance("1s");
    env.cancel(handle);
    await expect(handle.result()).rejects.toMatchObject({ code: 409 });
  });

  it("when set, awaits are not cancelled: the handler sleeps on and decides itself", async () => {
    const env = await TestEnvironment.start({ services: [sleepers] });
    const handle = env.serviceSendClient(sleepers).explicit();
    await env.advance("1s");
    env.cancel(handle);
    await env.advance("2m");
    expect(await handle.result()).toBe("slept");
  });
});
