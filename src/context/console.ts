// SPDX-License-Identifier: MIT
import type { Logger } from "./logger.js";
import type { ContextConsole } from "./types.js";

type Level = "trace" | "debug" | "info" | "warn" | "error";

/**
 * `ctx.console`, a full `Console`. Over a plain `Logger` it prefixes the invocation and stays
 * silent while replaying; over a logger transport (official style) every message goes through,
 * the transport gets `replaying` in its metadata and decides. Counters, timers and groups are
 * per attempt.
 */
export class ReplayAwareConsole implements ContextConsole {
  readonly #logger: Logger;
  readonly #prefix: readonly string[];
  readonly #replay: { readonly isReplaying: boolean } | undefined;
  readonly #counts = new Map<string, number>();
  readonly #timers = new Map<string, number>();
  #indent = "";
  /** The platform's `Console` constructor, where there is one (Node); part of the `Console` type. */
  readonly Console = (globalThis.console as Partial<Console>).Console as Console["Console"];

  /**
   * @param prefix - written before each message; empty for none.
   * @param replay - when given, messages are dropped while it says the attempt is replaying.
   */
  constructor(
    logger: Logger,
    prefix: readonly string[],
    replay: { readonly isReplaying: boolean } | undefined,
  ) {
    this.#logger = logger;
    this.#prefix = prefix;
    this.#replay = replay;
  }

  #emit(level: Level, args: unknown[]): void {
    if (this.#replay?.isReplaying === true) return;
    if (this.#indent === "") this.#logger[level](...this.#prefix, ...args);
    else this.#logger[level](...this.#prefix, this.#indent, ...args);
  }

  trace(...args: unknown[]): void {
    this.#emit("trace", args);
  }
  debug(...args: unknown[]): void {
    this.#emit("debug", args);
  }
  info(...args: unknown[]): void {
    this.#emit("info", args);
  }
  log(...args: unknown[]): void {
    this.#emit("info", args);
  }
  warn(...args: unknown[]): void {
    this.#emit("warn", args);
  }
  error(...args: unknown[]): void {
    this.#emit("error", args);
  }
  dir(item?: unknown, _options?: unknown): void {
    this.#emit("info", [item]);
  }
  dirxml(...args: unknown[]): void {
    this.#emit("info", args);
  }
  table(data?: unknown, _properties?: readonly string[]): void {
    this.#emit("info", [data]);
  }
  assert(condition?: boolean, ...args: unknown[]): void {
    if (!condition) this.#emit("error", ["Assertion failed", ...args]);
  }
  count(label = "default"): void {
    const n = (this.#counts.get(label) ?? 0) + 1;
    this.#counts.set(label, n);
    this.#emit("info", [`${label}: ${n}`]);
  }
  countReset(label = "default"): void {
    this.#counts.delete(label);
  }
  group(...label: unknown[]): void {
    if (label.length > 0) this.#emit("info", label);
    this.#indent += "  ";
  }
  groupCollapsed(...label: unknown[]): void {
    this.group(...label);
  }
  groupEnd(): void {
    this.#indent = this.#indent.slice(2);
  }
  time(label = "default"): void {
    this.#timers.set(label, performance.now());
  }
  timeLog(label = "default", ...args: unknown[]): void {
    const started = this.#timers.get(label);
    if (started !== undefined) this.#emit("info", [`${label}: ${elapsed(started)}`, ...args]);
  }
  timeEnd(label = "default"): void {
    this.timeLog(label);
    this.#timers.delete(label);
  }
  /** Clearing the endpoint's log is not this invocation's business: a no-op. */
  clear(): void {}
  /** Profiling markers have no place in the endpoint's log: no-ops. */
  timeStamp(_label?: string): void {}
  profile(_label?: string): void {}
  profileEnd(_label?: string): void {}
}

function elapsed(started: number): string {
  return `${(performance.now() - started).toFixed(3)}ms`;
}
