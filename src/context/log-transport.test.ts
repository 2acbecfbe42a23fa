// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import {
  LogSource,
  LoggerContext,
  type LogMetadata,
  RestateLogLevel,
  invocationLogger,
  loggerFromTransport,
  toLogger,
  transportOf,
} from "./log-transport.js";
import { memoryLogger } from "./__fixtures__/harness.js";

/** A transport that keeps every call it gets. */
function recorder() {
  const calls: Array<{ meta: LogMetadata; args: unknown[] }> = [];
  const transport = (meta: LogMetadata, ...args: unknown[]): void => {
    calls.push({ meta, args });
  };
  return { calls, transport };
}

const LEVELS = ["trace", "debug", "info", "warn", "error"] as const;

describe("LoggerContext", () => {
  it("names a keyed invocation Service/key/handler", () => {
    const c = new LoggerContext("inv_1", "Cart", "add", "mary");
    expect(c.invocationTarget).toBe("Cart/mary/add");
    expect(c).toMatchObject({ invocationId: "inv_1", serviceName: "Cart", handlerName: "add" });
    expect(c.key).toBe("mary");
  });

  it("names an unkeyed invocation, or one with an empty key, Service/handler", () => {
    expect(new LoggerContext("inv_1", "Greeter", "greet").invocationTarget).toBe("Greeter/greet");
    expect(new LoggerContext("inv_1", "Greeter", "greet", "").invocationTarget).toBe(
      "Greeter/greet",
    );
  });

  it("keeps the additional context and the attempt it is given", () => {
    const extra = { region: "eu" };
    const c = new LoggerContext("inv_1", "S", "h", undefined, undefined, extra, 3);
    expect(c.additionalContext).toBe(extra);
    expect(c.attempt).toBe(3);
    expect(c.request).toBeUndefined();
  });
});

describe("loggerFromTransport", () => {
  it("sends each level to the transport as a SYSTEM message that is not replaying", () => {
    const { calls, transport } = recorder();
    const logger = loggerFromTransport(transport);
    for (const level of LEVELS) logger[level](`${level}!`, 1);
    expect(calls).toEqual(
      LEVELS.map((level) => ({
        meta: { source: LogSource.SYSTEM, level: RestateLogLevel[upper(level)], replaying: false },
        args: [`${level}!`, 1],
      })),
    );
    expect(calls.every(({ meta }) => meta.context === undefined)).toBe(true);
  });

  it("exposes the transport, so the context layer can find it again", () => {
    const { transport } = recorder();
    const logger = loggerFromTransport(transport);
    expect(logger.transport).toBe(transport);
    expect(transportOf(logger)).toBe(transport);
    expect(Object.isFrozen(logger)).toBe(true);
  });
});

describe("transportOf", () => {
  it("finds no transport behind a plain logger", () => {
    expect(transportOf(memoryLogger())).toBeUndefined();
  });
});

describe("toLogger", () => {
  it("uses a Logger object as is", () => {
    const logger = memoryLogger();
    expect(toLogger(logger)).toBe(logger);
  });

  it("adapts a transport function to a logger over it", () => {
    const { calls, transport } = recorder();
    const logger = toLogger(transport);
    expect(transportOf(logger)).toBe(transport);
    logger.warn("careful");
    expect(calls).toEqual([
      { meta: { source: "SYSTEM", level: "warn", replaying: false }, args: ["careful"] },
    ]);
  });
});

describe("invocationLogger", () => {
  it("sends each level with the given source and the invocation's context", () => {
    const { calls, transport } = recorder();
    const context = new LoggerContext("inv_1", "Cart", "add", "mary");
    const logger = invocationLogger(transport, LogSource.USER, context, { isReplaying: false });
    for (const level of LEVELS) logger[level](level, { n: 1 });
    expect(calls.map(({ meta }) => meta.level)).toEqual(
      LEVELS.map((l) => RestateLogLevel[upper(l)]),
    );
    for (const { meta, args } of calls) {
      expect(meta.source).toBe("USER");
      expect(meta.context).toBe(context);
      expect(meta.replaying).toBe(false);
      expect(args).toEqual([meta.level, { n: 1 }]);
    }
  });

  it("reads the replay flag at each message, not once when built", () => {
    const { calls, transport } = recorder();
    const context = new LoggerContext("inv_1", "S", "h");
    const replay = { isReplaying: true };
    const logger = invocationLogger(transport, LogSource.JOURNAL, context, replay);
    logger.info("during replay");
    replay.isReplaying = false;
    logger.info("after replay");
    expect(calls.map(({ meta, args }) => [meta.source, meta.replaying, args[0]])).toEqual([
      ["JOURNAL", true, "during replay"],
      ["JOURNAL", false, "after replay"],
    ]);
  });
});

function upper(level: (typeof LEVELS)[number]): keyof typeof RestateLogLevel {
  return level.toUpperCase() as keyof typeof RestateLogLevel;
}
