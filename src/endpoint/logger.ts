// SPDX-License-Identifier: MIT
import type { Logger } from "../context/logger.js";

// The interface lives in context/ (invocations log through it); endpoints create the instances.
export type { Logger };

/** Log levels, from most to least verbose. */
export type LogLevel = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR";

/** The part of `console` the default logger writes to. */
export type LogSink = Pick<Console, "debug" | "info" | "warn" | "error">;

/**
 * Options of {@link createLogger}; every field has a default.
 *
 * @example
 * const options: Partial<LoggerOptions> = { level: "DEBUG", prefix: "[restate]" };
 */
export interface LoggerOptions {
  /** Messages below this level are dropped. Default: `RESTATE_LOGGING` from the environment, else `INFO`. */
  readonly level: LogLevel;
  /** Written before every message, e.g. `"[restate]"`; empty for none. */
  readonly prefix: string;
  /** Where messages go. Default: the global `console`. */
  readonly sink: LogSink;
}

const LEVELS: readonly LogLevel[] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"];

const LOGGER_DEFAULTS: Pick<LoggerOptions, "prefix" | "level"> = Object.freeze({
  prefix: "",
  level: "INFO",
});

function noop(): void {}

/**
 * Reads `RESTATE_LOGGING` without assuming Node: Workers have no `process`, and Deno throws on
 * `process.env` access without `--allow-env`.
 */
function levelFromEnv(): LogLevel | undefined {
  let value: string | undefined;
  try {
    // On Deno, `process` is a Node-compatibility global set up on its first access, which costs
    // a cold start about 10 ms of CPU: Deno's own API reads the variable for free.
    const deno = (globalThis as { Deno?: { env: { get(name: string): string | undefined } } }).Deno;
    const proc =
      deno === undefined
        ? (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
        : undefined;
    value = deno !== undefined ? deno.env.get("RESTATE_LOGGING") : proc?.env?.["RESTATE_LOGGING"];
  } catch {
    return undefined;
  }
  const level = value?.trim().toUpperCase();
  return LEVELS.find((candidate) => candidate === level);
}

/**
 * Creates a console-backed {@link Logger}. Call it once per endpoint: methods below the level are
 * bound to a no-op up front, so a disabled `debug()` call costs one empty function call.
 *
 * @example
 * const logger = createLogger({ prefix: "[restate]" });
 * logger.info("listening on", 9080);
 */
export function createLogger(options: Partial<LoggerOptions> = {}): Logger {
  const level = options.level ?? levelFromEnv() ?? LOGGER_DEFAULTS.level;
  const prefix = options.prefix ?? LOGGER_DEFAULTS.prefix;
  const sink = options.sink ?? globalThis.console;
  const threshold = LEVELS.indexOf(level);
  // `console.trace` prints a stack trace, so trace messages go to `debug`.
  const method = (index: number, write: (...args: unknown[]) => void) => {
    if (index < threshold) return noop;
    return prefix === "" ? write.bind(sink) : write.bind(sink, prefix);
  };
  return Object.freeze({
    trace: method(0, sink.debug),
    debug: method(1, sink.debug),
    info: method(2, sink.info),
    warn: method(3, sink.warn),
    error: method(4, sink.error),
  });
}
