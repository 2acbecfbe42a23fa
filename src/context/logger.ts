// SPDX-License-Identifier: MIT

/**
 * Where the SDK logs. The endpoint provides one per endpoint (never one per invocation).
 *
 * @example
 * const logger: Logger = { trace() {}, debug() {}, info: console.info, warn: console.warn, error: console.error };
 */
export interface Logger {
  trace(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}
