// SPDX-License-Identifier: MIT
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger, type LogSink } from "./logger.js";

function recordingSink() {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push([level, ...args.map(String)].join(" "));
  const sink: LogSink = {
    debug: record("debug"),
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
  };
  return { lines, sink };
}

function logAll(logger: ReturnType<typeof createLogger>): void {
  logger.trace("t");
  logger.debug("d");
  logger.info("i");
  logger.warn("w");
  logger.error("e");
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("createLogger", () => {
  it("logs INFO and above by default", () => {
    vi.stubEnv("RESTATE_LOGGING", "");
    const { lines, sink } = recordingSink();
    logAll(createLogger({ sink }));
    expect(lines).toEqual(["info i", "warn w", "error e"]);
  });

  it("takes the level from RESTATE_LOGGING, case-insensitively", () => {
    vi.stubEnv("RESTATE_LOGGING", "trace");
    const { lines, sink } = recordingSink();
    logAll(createLogger({ sink }));
    expect(lines).toEqual(["debug t", "debug d", "info i", "warn w", "error e"]);
  });

  it("ignores an unknown RESTATE_LOGGING value", () => {
    vi.stubEnv("RESTATE_LOGGING", "LOUD");
    const { lines, sink } = recordingSink();
    logAll(createLogger({ sink }));
    expect(lines).toEqual(["info i", "warn w", "error e"]);
  });

  it("on Deno, reads RESTATE_LOGGING through Deno.env, not the Node-compatibility process", () => {
    vi.stubEnv("RESTATE_LOGGING", "TRACE");
    const asked: string[] = [];
    vi.stubGlobal("Deno", { env: { get: (name: string) => (asked.push(name), "error") } });
    const { lines, sink } = recordingSink();
    logAll(createLogger({ sink }));
    expect(asked).toEqual(["RESTATE_LOGGING"]);
    expect(lines).toEqual(["error e"]);
  });

  it("prefers an explicit level and writes the prefix first", () => {
    vi.stubEnv("RESTATE_LOGGING", "TRACE");
    const { lines, sink } = recordingSink();
    logAll(createLogger({ sink, level: "WARN", prefix: "[restate]" }));
    expect(lines).toEqual(["warn [restate] w", "error [restate] e"]);
  });

  it("works without a global process (Workers)", () => {
    vi.stubGlobal("process", undefined);
    try {
      const { lines, sink } = recordingSink();
      logAll(createLogger({ sink }));
      expect(lines).toHaveLength(3);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
