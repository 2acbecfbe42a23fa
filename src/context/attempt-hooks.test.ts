// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { AttemptEndedError, AttemptHooks, isSuspendedError } from "./attempt-hooks.js";
import type { HookContext, HooksProvider, Interceptor, OutgoingCall, RunInfo } from "./hooks.js";

const context = { service: "svc", handler: "h" } as HookContext;
const call = { service: "Other", handler: "go" } as OutgoingCall;
const info = {} as RunInfo;

function hooksOf(...interceptors: Interceptor[]): AttemptHooks {
  return new AttemptHooks(
    interceptors.map((interceptor) => () => ({ interceptor })),
    context,
  );
}

/** Settles the microtasks a race needs. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe("AttemptHooks", () => {
  it("calls every provider once, in order, with the hook context", () => {
    const seen: unknown[] = [];
    const providers: HooksProvider[] = [
      (ctx) => {
        seen.push(["first", ctx]);
        return {};
      },
      (ctx) => {
        seen.push(["second", ctx]);
        return { interceptor: { run: (_name, next) => next() } };
      },
    ];
    const hooks = new AttemptHooks(providers, context);
    expect(seen).toEqual([
      ["first", context],
      ["second", context],
    ]);
    expect(hooks.hasRunInterceptors).toBe(true);
    expect(hooks.hasCallInterceptors).toBe(false);
  });

  it("runs the handler inside the handler interceptors, outermost first", async () => {
    const order: string[] = [];
    const hooks = hooksOf(
      {
        handler: async (next) => {
          order.push("outer in");
          await next();
          order.push("outer out");
        },
      },
      {
        handler: async (next) => {
          order.push("inner in");
          await next();
          order.push("inner out");
        },
      },
    );
    await hooks.aroundHandler(async () => {
      order.push("body");
    });
    expect(order).toEqual(["outer in", "inner in", "body", "inner out", "outer out"]);
  });

  it("runs the body directly when no handler interceptor exists", async () => {
    let ran = false;
    await hooksOf({}).aroundHandler(async () => {
      ran = true;
    });
    expect(ran).toBe(true);
  });

  it("refuses a second next() from a handler interceptor", async () => {
    let runs = 0;
    const hooks = hooksOf({
      handler: async (next) => {
        await next();
        await next();
      },
    });
    await expect(
      hooks.aroundHandler(async () => {
        runs++;
      }),
    ).rejects.toThrow(/more than once/);
    expect(runs).toBe(1);
  });

  it("rejects a pending next() with a suspension when the attempt suspends", async () => {
    let caught: unknown;
    const hooks = hooksOf({
      handler: async (next) => {
        try {
          await next();
        } catch (e) {
          caught = e;
          throw e;
        }
      },
    });
    const done = hooks.aroundHandler(() => new Promise<void>(() => undefined));
    await flush();
    hooks.attemptEnded(undefined);
    await expect(done).rejects.toBeInstanceOf(AttemptEndedError);
    expect(isSuspendedError(caught)).toBe(true);
    expect((caught as AttemptEndedError).code).toBe(599);
  });

  it("ends the chain even when an interceptor swallows the error and hangs", async () => {
    const hooks = hooksOf({
      handler: async (next) => {
        await next().catch(() => undefined);
        await new Promise<void>(() => undefined);
      },
    });
    const done = hooks.aroundHandler(() => new Promise<void>(() => undefined));
    hooks.attemptEnded({ message: "journal mismatch", code: 570 });
    const error = await done.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AttemptEndedError);
    expect((error as AttemptEndedError).message).toBe("journal mismatch");
    expect((error as AttemptEndedError).code).toBe(570);
    expect(isSuspendedError(error)).toBe(false);
  });

  it("keeps the first end reason, and fails a chain started after the end at once", async () => {
    const hooks = hooksOf({ handler: (next) => next() });
    hooks.attemptEnded({ message: "first", code: 500 });
    hooks.attemptEnded(undefined);
    await expect(hooks.aroundHandler(() => new Promise<void>(() => undefined))).rejects.toThrow(
      "first",
    );
  });

  it("tells only errors with code 599 to be suspensions", () => {
    expect(isSuspendedError(new AttemptEndedError("s", 599))).toBe(true);
    expect(isSuspendedError(new AttemptEndedError("f", 500))).toBe(false);
    expect(isSuspendedError({ code: 599 })).toBe(false);
    expect(isSuspendedError(null)).toBe(false);
  });

  it("runs a run closure inside the run interceptors, outermost first, and refuses a second next()", async () => {
    const order: string[] = [];
    const hooks = hooksOf(
      {
        run: async (name, next, seen) => {
          expect(seen).toBe(info);
          order.push(`outer ${name}`);
          await next();
        },
      },
      {
        run: async (name, next) => {
          order.push(`inner ${name}`);
          await next();
          await next();
        },
      },
    );
    await expect(
      hooks.aroundRun(
        "step",
        async () => {
          order.push("body");
        },
        info,
      ),
    ).rejects.toThrow(/more than once/);
    expect(order).toEqual(["outer step", "inner step", "body"]);
  });

  it("journals a call inside the call interceptors, outermost first", () => {
    const order: string[] = [];
    const hooks = hooksOf(
      {
        call: (request, next) => {
          order.push(`outer ${request.service}`);
          next();
        },
      },
      {
        call: (request, next) => {
          order.push(`inner ${request.handler}`);
          next();
        },
      },
    );
    expect(hooks.hasCallInterceptors).toBe(true);
    hooks.aroundCall(call, () => order.push("journal"));
    expect(order).toEqual(["outer Other", "inner go", "journal"]);
  });

  it("fails a call no interceptor let through, and one let through twice", () => {
    let journaled = 0;
    const body = () => void journaled++;
    expect(() => hooksOf({ call: () => undefined }).aroundCall(call, body)).toThrow(
      /did not call next\(\): Other\/go was not sent/,
    );
    expect(() =>
      hooksOf({
        call: (_request, next) => {
          next();
          next();
        },
      }).aroundCall(call, body),
    ).toThrow(/more than once/);
    expect(journaled).toBe(1);
  });
});
