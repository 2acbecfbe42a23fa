// SPDX-License-Identifier: MIT
// HandlerAttempt, driven through `startInvocation` as the endpoint drives it: request bytes in,
// frames out, the sink ended once.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RetryableError, TerminalError } from "../errors.js";
import { handlers, object, service } from "../definitions/service.js";
import { type HandlerEntry, toServiceEntry } from "../definitions/registry.js";
import { CommandType, MessageType } from "../journal/message-types.js";
import type { ErrorMessage, OutputCommand } from "../journal/gen/protocol_pb.js";
import {
  concat,
  decodeOutput,
  inputCommand,
  journalCase,
} from "../journal/testing/journal-case.js";
import type { Context, ObjectContext } from "./types.js";
import type { HookContext, HooksProvider } from "./hooks.js";
import { isSuspendedError } from "./attempt-hooks.js";
import { startInvocation } from "./invocation.js";
import { memoryLogger } from "./__fixtures__/harness.js";

/** One attempt of `handler`: what it wrote, how often it ended its output, and its input. */
function attempt(handler: HandlerEntry, options: { key?: string; retryCount?: number } = {}) {
  const logger = memoryLogger();
  const written: Uint8Array[] = [];
  let ends = 0;
  const input = startInvocation(
    { handler, protocolVersion: 6, attemptHeaders: new Map(), logger },
    { write: (chunk) => void written.push(chunk.slice()), end: () => void ends++ },
  );
  input.push(
    journalCase()
      .start({ ...options, knownEntries: 1 })
      .input(inputCommand('"Till"'))
      .requestBytes(),
  );
  return {
    input,
    logger,
    ends: () => ends,
    frames: () => decodeOutput(concat(written)),
    types: () => decodeOutput(concat(written)).map((f) => f.type),
  };
}

type Attempt = ReturnType<typeof attempt>;

const outputOf = (a: Attempt) =>
  a.frames().find((f) => f.type === CommandType.Output)?.message as OutputCommand;
const errorOf = (a: Attempt) =>
  a.frames().find((f) => f.type === MessageType.Error)?.message as ErrorMessage;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Lets the handler, the scheduler's deferred checks and the hooks' races all run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await vi.runOnlyPendingTimersAsync();
}

function entryOf(fn: (ctx: Context, name: string) => Promise<unknown>, hooks?: HooksProvider[]) {
  const definition = service({
    name: "Greeter",
    handlers: { greet: fn },
    ...(hooks !== undefined ? { options: { hooks } } : {}),
  });
  return toServiceEntry(definition).handlers.get("greet")!;
}

describe("HandlerAttempt", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs the handler on its deserialized input and writes its output, then End, ending once", async () => {
    const a = attempt(entryOf(async (_ctx, name) => `Hello ${name}`));
    a.input.end();
    await settle();
    expect(a.types()).toEqual([CommandType.Output, MessageType.End]);
    expect(outputOf(a).result).toMatchObject({ case: "value" });
    expect(text((outputOf(a).result.value as { content: Uint8Array }).content)).toBe(
      '"Hello Till"',
    );
    expect(a.ends()).toBe(1);
  });

  it("journals a terminal error as a failure output", async () => {
    const a = attempt(
      entryOf(async () => {
        throw new TerminalError("no such user", { errorCode: 404 });
      }),
    );
    a.input.end();
    await settle();
    expect(a.types()).toEqual([CommandType.Output, MessageType.End]);
    expect(outputOf(a).result).toMatchObject({
      case: "failure",
      value: { code: 404, message: "no such user" },
    });
  });

  it("turns an error into a terminal one with the handler's asTerminalError", async () => {
    const definition = service({
      name: "Greeter",
      handlers: {
        greet: async () => {
          throw new RangeError("too long");
        },
      },
      options: { asTerminalError: (e) => new TerminalError(`mapped: ${(e as Error).message}`) },
    });
    const a = attempt(toServiceEntry(definition).handlers.get("greet")!);
    a.input.end();
    await settle();
    expect(outputOf(a).result).toMatchObject({
      case: "failure",
      value: { message: "mapped: too long" },
    });
  });

  it("fails a retryable error with an ErrorMessage, its retry delay, and a warning", async () => {
    const a = attempt(
      entryOf(async () => {
        throw new RetryableError("busy", { retryAfter: { seconds: 3 } });
      }),
    );
    a.input.end();
    await settle();
    expect(a.types()).toEqual([MessageType.Error]);
    expect(errorOf(a)).toMatchObject({ code: 500, message: "busy" });
    expect(Number(errorOf(a).nextRetryDelay)).toBe(3000);
    expect(
      a.logger.lines.some(([level, args]) => level === "warn" && /retry/.test(String(args[0]))),
    ).toBe(true);
    expect(a.ends()).toBe(1);
  });

  it("suspends on what the handler awaits once the input closes, and aborts the attempt signal", async () => {
    let signal: AbortSignal | undefined;
    const a = attempt(
      entryOf(async (ctx) => {
        signal = ctx.request().attemptCompletedSignal;
        await ctx.sleep({ seconds: 10 });
        return "late";
      }),
    );
    await settle();
    expect(a.ends()).toBe(0);
    expect(signal?.aborted).toBe(false);
    a.input.end();
    await settle();
    expect(a.types()).toEqual([CommandType.Sleep, MessageType.Suspension]);
    expect(a.ends()).toBe(1);
    expect(signal?.aborted).toBe(true);
  });

  it("writes nothing more and never ends the sink once the transport aborts", async () => {
    let signal: AbortSignal | undefined;
    const a = attempt(
      entryOf(async (ctx) => {
        signal = ctx.request().attemptCompletedSignal;
        await ctx.sleep({ seconds: 10 });
        return "late";
      }),
    );
    await settle();
    const before = a.types();
    a.input.abort(new Error("client gone"));
    a.input.end();
    await settle();
    expect(a.types()).toEqual(before);
    expect(a.ends()).toBe(0);
    expect(signal?.aborted).toBe(true);
  });

  it("runs the handler inside its interceptors, giving providers the attempt's context", async () => {
    const seen: string[] = [];
    let hookContext: HookContext | undefined;
    const counter = object({
      name: "Counter",
      handlers: {
        add: handlers.object.exclusive(async (_ctx: ObjectContext, name: string) => {
          seen.push("body");
          return name.length;
        }),
      },
      options: {
        hooks: [
          (ctx) => {
            hookContext = ctx;
            return {
              interceptor: {
                handler: async (next) => {
                  seen.push("before");
                  await next();
                  seen.push("after");
                },
              },
            };
          },
        ],
      },
    });
    const a = attempt(toServiceEntry(counter).handlers.get("add")!, { key: "k1", retryCount: 2 });
    a.input.end();
    await settle();
    expect(seen).toEqual(["before", "body", "after"]);
    expect(hookContext).toMatchObject({
      service: "Counter",
      handler: "add",
      key: "k1",
      retryCount: 2,
      isReplaying: false,
    });
    expect(a.types()).toEqual([CommandType.Output, MessageType.End]);
    expect(text((outputOf(a).result.value as { content: Uint8Array }).content)).toBe("4");
  });

  it("fails the attempt when a handler interceptor never calls next()", async () => {
    const body = vi.fn(async () => "unseen");
    const a = attempt(entryOf(body, [() => ({ interceptor: { handler: async () => undefined } })]));
    a.input.end();
    await settle();
    expect(body).not.toHaveBeenCalled();
    expect(a.types()).toEqual([MessageType.Error]);
    expect(errorOf(a).message).toMatch(/did not call next\(\)/);
  });

  it("rejects the interceptor's next() with a suspension when the attempt suspends", async () => {
    let caught: unknown;
    const a = attempt(
      entryOf(
        async (ctx) => {
          await ctx.sleep({ seconds: 10 });
          return "late";
        },
        [
          () => ({
            interceptor: {
              handler: async (next) => {
                try {
                  await next();
                } catch (e) {
                  caught = e;
                  throw e;
                }
              },
            },
          }),
        ],
      ),
    );
    a.input.end();
    await settle();
    expect(a.types()).toEqual([CommandType.Sleep, MessageType.Suspension]);
    expect(isSuspendedError(caught)).toBe(true);
    expect(a.ends()).toBe(1);
  });
});
