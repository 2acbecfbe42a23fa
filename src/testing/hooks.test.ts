// SPDX-License-Identifier: MIT
// Hooks and interceptors, driven by the in-memory runtime (real engine, real replay).
import { describe, expect, it } from "vitest";
import {
  type Context,
  type HooksProvider,
  TerminalError,
  handlers,
  isSuspendedError,
  service,
} from "../index.js";
import { TestEnvironment } from "./index.js";

/** A provider that records what each interceptor sees, under a label. */
function recorder(label: string, log: string[]): HooksProvider {
  return (ctx) => {
    log.push(`${label} provider ${ctx.service}/${ctx.handler}`);
    return {
      interceptor: {
        async handler(next) {
          log.push(`${label} before`);
          try {
            await next();
            log.push(`${label} after`);
          } catch (e) {
            log.push(`${label} error ${isSuspendedError(e) ? "suspended" : (e as Error).message}`);
            throw e;
          }
        },
        async run(name, next) {
          log.push(`${label} run ${name}`);
          await next();
          log.push(`${label} ran ${name}`);
        },
      },
    };
  };
}

describe("handler and run interceptors", () => {
  it("wrap service hooks around handler hooks, each list in order", async () => {
    const log: string[] = [];
    const svc = service({
      name: "Ordered",
      handlers: {
        go: handlers.handler(
          { hooks: [recorder("C", log)] },
          async (ctx: Context, name: string) => {
            log.push("handler");
            return ctx.run("greet", () => `hi ${name}`);
          },
        ),
      },
      options: { hooks: [recorder("A", log), recorder("B", log)] },
    });
    const env = await TestEnvironment.start({ services: [svc] });
    expect(await env.serviceClient(svc).go("Ada")).toBe("hi Ada");
    expect(log).toEqual([
      "A provider Ordered/go",
      "B provider Ordered/go",
      "C provider Ordered/go",
      "A before",
      "B before",
      "C before",
      "handler",
      "A run greet",
      "B run greet",
      "C run greet",
      "C ran greet",
      "B ran greet",
      "A ran greet",
      "C after",
      "B after",
      "A after",
    ]);
  });

  it("fire the handler interceptor per attempt and the run interceptor only for executed runs", async () => {
    const log: string[] = [];
    const svc = service({
      name: "Steps",
      handlers: {
        go: async (ctx: Context) => {
          const a = await ctx.run("one", () => 1);
          await ctx.sleep({ seconds: 1 });
          const b = await ctx.run("two", () => 2);
          return a + b;
        },
      },
      options: { hooks: [recorder("H", log)] },
    });
    const env = await TestEnvironment.start({ services: [svc], replayEveryStep: true });
    const send = env.serviceSendClient(svc).go();
    await env.advance({ seconds: 1 });
    expect(await env.result(send)).toBe(3);
    const attempts = env.invocation(send).attempts;
    expect(attempts).toBeGreaterThan(2);
    expect(log.filter((l) => l === "H before")).toHaveLength(attempts);
    expect(log.filter((l) => l.startsWith("H run"))).toEqual(["H run one", "H run two"]);
    // Attempts that end by suspending see next() reject with a suspension, not a failure.
    const count = (line: string) => log.filter((l) => l === line).length;
    expect(count("H error suspended")).toBeGreaterThan(0);
    expect(count("H after") + count("H error suspended")).toBe(attempts);
  });

  it("let an interceptor turn a success into a terminal failure after next()", async () => {
    const svc = service({
      name: "Veto",
      handlers: { go: async () => "fine" },
      options: {
        hooks: [
          () => ({
            interceptor: {
              async handler(next) {
                await next();
                throw new TerminalError("vetoed", { errorCode: 403 });
              },
            },
          }),
        ],
      },
    });
    const env = await TestEnvironment.start({ services: [svc] });
    await expect(env.serviceClient(svc).go()).rejects.toMatchObject({
      message: "vetoed",
      code: 403,
    });
  });

  it("let an interceptor rethrow a handler error as terminal, ending retries", async () => {
    let attempts = 0;
    const svc = service({
      name: "Translate",
      handlers: {
        go: async () => {
          attempts++;
          throw new Error("flaky");
        },
      },
      options: {
        hooks: [
          () => ({
            interceptor: {
              async handler(next) {
                try {
                  await next();
                } catch (e) {
                  throw new TerminalError(`gave up: ${(e as Error).message}`);
                }
              },
            },
          }),
        ],
      },
    });
    const env = await TestEnvironment.start({ services: [svc] });
    await expect(env.serviceClient(svc).go()).rejects.toThrow("gave up: flaky");
    expect(attempts).toBe(1);
  });

  it("make a run fail with what its interceptor throws", async () => {
    const svc = service({
      name: "RunVeto",
      handlers: {
        go: async (ctx: Context) => {
          try {
            await ctx.run("charge", () => "charged");
            return "no";
          } catch (e) {
            return `caught ${(e as Error).message}`;
          }
        },
      },
      options: {
        hooks: [
          () => ({
            interceptor: {
              async run(name, next) {
                await next();
                throw new TerminalError(`${name} refused`);
              },
            },
          }),
        ],
      },
    });
    const env = await TestEnvironment.start({ services: [svc] });
    expect(await env.serviceClient(svc).go()).toBe("caught charge refused");
  });

  it("reject next() when a run ends the attempt, and retry", async () => {
    const log: string[] = [];
    let failures = 1;
    const svc = service({
      name: "RunRetry",
      handlers: {
        go: async (ctx: Context) =>
          ctx.run("flaky", () => {
            if (failures-- > 0) throw new Error("try again");
            return "ok";
          }),
      },
      options: { hooks: [recorder("R", log)] },
    });
    const env = await TestEnvironment.start({ services: [svc] });
    const send = env.serviceSendClient(svc).go();
    await env.advance({ minutes: 1 });
    expect(await env.result(send)).toBe("ok");
    expect(log).toContain("R error try again");
    expect(log.filter((l) => l === "R before")).toHaveLength(2);
  });

  it("costs nothing unless configured: handlers without hooks have none", async () => {
    const { toServiceEntry } = await import("../definitions/registry.js");
    const plain = service({ name: "Plain", handlers: { go: async () => 1 } });
    expect(toServiceEntry(plain).handlers.get("go")?.hooks).toBeUndefined();
  });
});

describe("endpoint default hooks (defaultServiceOptions)", () => {
  it("run for every service without hooks of its own, around its handler hooks", async () => {
    const log: string[] = [];
    const first = service({
      name: "First",
      handlers: {
        go: handlers.handler({ hooks: [recorder("H", log)] }, async (ctx: Context) =>
          ctx.run("step", () => "first"),
        ),
      },
    });
    const second = service({
      name: "Second",
      handlers: { go: async () => "second" },
    });
    const env = await TestEnvironment.start({
      services: [first, second],
      defaultServiceOptions: { hooks: [recorder("D", log)] },
    });
    expect(await env.serviceClient(first).go()).toBe("first");
    expect(await env.serviceClient(second).go()).toBe("second");
    expect(log).toEqual([
      "D provider First/go",
      "H provider First/go",
      "D before",
      "H before",
      "D run step",
      "H run step",
      "H ran step",
      "D ran step",
      "H after",
      "D after",
      "D provider Second/go",
      "D before",
      "D after",
    ]);
  });

  it("are replaced by a service's own hooks, as every default option is", async () => {
    const log: string[] = [];
    const own = service({
      name: "Own",
      handlers: { go: async () => "own" },
      options: { hooks: [recorder("S", log)] },
    });
    const env = await TestEnvironment.start({
      services: [own],
      defaultServiceOptions: { hooks: [recorder("D", log)] },
    });
    expect(await env.serviceClient(own).go()).toBe("own");
    expect(log).toEqual(["S provider Own/go", "S before", "S after"]);
  });
});

describe("call interceptors", () => {
  const echo = service({
    name: "Echo",
    handlers: {
      headers: async (ctx: Context) => Object.fromEntries(ctx.request().headers),
      note: async () => undefined,
    },
  });

  it("see calls and sends, add headers, and keep what they added on replay", async () => {
    const seen: string[] = [];
    let nonce = 0;
    const caller = service({
      name: "Caller",
      handlers: {
        go: async (ctx: Context) => {
          ctx.serviceSendClient(echo).note();
          await ctx.sleep({ seconds: 1 });
          return ctx.serviceClient(echo).headers(undefined, { headers: { "x-user": "ada" } });
        },
      },
      options: {
        hooks: [
          () => ({
            interceptor: {
              call(request, next) {
                seen.push(
                  `${request.kind} ${request.service}/${request.handler} ${request.isReplaying}`,
                );
                // Differs on every attempt: only a new call may get it.
                if (!request.isReplaying) request.headers["x-nonce"] = String(nonce++);
                request.headers["x-tenant"] ??= "acme";
                next();
              },
            },
          }),
        ],
      },
    });
    const env = await TestEnvironment.start({ services: [caller, echo], replayEveryStep: true });
    const send = env.serviceSendClient(caller).go();
    await env.advance({ seconds: 1 });
    expect(await env.result(send)).toEqual({ "x-user": "ada", "x-nonce": "1", "x-tenant": "acme" });
    expect(seen).toContain("send Echo/note false");
    expect(seen).toContain("send Echo/note true");
    expect(seen).toContain("call Echo/headers false");
    expect(seen).toContain("call Echo/headers true");
    expect(env.invocation(send).status).toBe("completed");
  });

  it("throw at the call site when an interceptor refuses a call", async () => {
    const caller = service({
      name: "Guarded",
      handlers: {
        go: async (ctx: Context) => {
          try {
            ctx.serviceSendClient(echo).note();
            return "sent";
          } catch (e) {
            return (e as Error).message;
          }
        },
      },
      options: {
        hooks: [
          () => ({
            interceptor: {
              call(request) {
                throw new TerminalError(`no calls to ${request.service}`);
              },
            },
          }),
        ],
      },
    });
    const env = await TestEnvironment.start({ services: [caller, echo] });
    expect(await env.serviceClient(caller).go()).toBe("no calls to Echo");
  });
});
