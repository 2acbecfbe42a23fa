// SPDX-License-Identifier: MIT
// Logging through an official-style LoggerTransport, driven by the in-memory runtime.
import { describe, expect, it } from "vitest";
import {
  type LogMetadata,
  type LoggerTransport,
  LogSource,
  RestateLogLevel,
  object,
  type ObjectContext,
  service,
} from "../index.js";
import { TestEnvironment } from "./index.js";

interface Line {
  readonly meta: LogMetadata;
  readonly text: string;
}

function recordingTransport(): { lines: Line[]; transport: LoggerTransport } {
  const lines: Line[] = [];
  return {
    lines,
    transport: (meta: LogMetadata, message?: unknown, ...rest: unknown[]) => {
      lines.push({ meta, text: [message, ...rest].map(String).join(" ") });
    },
  };
}

const stepper = object({
  name: "Stepper",
  handlers: {
    go: async (ctx: ObjectContext) => {
      ctx.console.info("before sleep");
      await ctx.sleep({ seconds: 1 });
      ctx.console.warn("after sleep");
      return "done";
    },
  },
});

describe("a LoggerTransport", () => {
  it("gets ctx.console messages with their invocation context and replay flag", async () => {
    const { lines, transport } = recordingTransport();
    const env = await TestEnvironment.start({
      services: [stepper],
      logger: transport,
      replayEveryStep: true,
    });
    const send = env.objectSendClient(stepper, "k1").go();
    await env.advance({ seconds: 1 });
    expect(await env.result(send)).toBe("done");
    const { invocationId } = send;
    const user = lines.filter((l) => l.meta.source === LogSource.USER);
    // First attempt: "before" live, then it suspends. Second: "before" replayed, "after" live.
    // The final check replays the whole journal once more: both replayed.
    expect(user.map((l) => [l.text, l.meta.level, l.meta.replaying])).toEqual([
      ["before sleep", RestateLogLevel.INFO, false],
      ["before sleep", RestateLogLevel.INFO, true],
      ["after sleep", RestateLogLevel.WARN, false],
      ["before sleep", RestateLogLevel.INFO, true],
      ["after sleep", RestateLogLevel.WARN, true],
    ]);
    const context = user[0]?.meta.context;
    expect(context).toMatchObject({
      invocationId,
      serviceName: "Stepper",
      handlerName: "go",
      key: "k1",
      invocationTarget: "Stepper/k1/go",
      attempt: 1,
    });
    expect(context?.request?.id).toBe(invocationId);
  });

  it("gets the SDK's own messages about an invocation as SYSTEM, with context", async () => {
    const { lines, transport } = recordingTransport();
    let attempts = 0;
    const flaky = service({
      name: "Flaky",
      handlers: {
        go: async () => {
          if (attempts++ === 0) throw new Error("first attempt fails");
          return "ok";
        },
      },
    });
    const env = await TestEnvironment.start({ services: [flaky], logger: transport });
    const send = env.serviceSendClient(flaky).go();
    await env.advance({ minutes: 1 });
    expect(await env.result(send)).toBe("ok");
    const warning = lines.find((l) => l.text.includes("first attempt fails"));
    expect(warning?.meta).toMatchObject({
      source: LogSource.SYSTEM,
      level: RestateLogLevel.WARN,
      replaying: false,
      context: { invocationId: send.invocationId, invocationTarget: "Flaky/go" },
    });
  });
});

describe("a plain Logger", () => {
  it("keeps ctx.console silent while replaying", async () => {
    const seen: string[] = [];
    const record = (...args: unknown[]) => void seen.push(args.map(String).join(" "));
    const logger = { trace: record, debug: record, info: record, warn: record, error: record };
    const env = await TestEnvironment.start({
      services: [stepper],
      logger,
      replayEveryStep: true,
    });
    const send = env.objectSendClient(stepper, "k2").go();
    await env.advance({ seconds: 1 });
    await env.result(send);
    const user = seen.filter((l) => l.includes("sleep"));
    expect(user).toHaveLength(2);
    expect(user[0]).toMatch(/^\[Stepper\/go\]\[inv_\w+\] before sleep$/);
    expect(user[1]).toMatch(/after sleep$/);
  });
});
