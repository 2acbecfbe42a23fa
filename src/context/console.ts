// SPDX-License-Identifier: MIT
import type { Logger } from "./logger.js";
import type { ContextConsole } from "./types.js";

/**
 * `ctx.console`. Over a plain `Logger` it prefixes the invocation and stays silent while
 * replaying; over a logger transport (official style) every message goes through, the transport
 * gets `replaying` in its metadata and decides.
 */
export class ReplayAwareConsole implements ContextConsole {
  private readonly logger: Logger;
  private readonly prefix: readonly string[];
  private readonly replay: { readonly isReplaying: boolean } | undefined;

  /**
   * @param prefix - written before each message; empty for none.
   * @param replay - when given, messages are dropped while it says the attempt is replaying.
   */
  constructor(
    logger: Logger,
    prefix: readonly string[],
    replay: { readonly isReplaying: boolean } | undefined,
  ) {
    this.logger = logger;
    this.prefix = prefix;
    this.replay = replay;
  }

  private get isSilent(): boolean {
    return this.replay?.isReplaying === true;
  }

  trace(...args: unknown[]): void {
    if (!this.isSilent) this.logger.trace(...this.prefix, ...args);
  }
  debug(...args: unknown[]): void {
    if (!this.isSilent) this.logger.debug(...this.prefix, ...args);
  }
  info(...args: unknown[]): void {
    if (!this.isSilent) this.logger.info(...this.prefix, ...args);
  }
  log(...args: unknown[]): void {
    if (!this.isSilent) this.logger.info(...this.prefix, ...args);
  }
  warn(...args: unknown[]): void {
    if (!this.isSilent) this.logger.warn(...this.prefix, ...args);
  }
  error(...args: unknown[]): void {
    if (!this.isSilent) this.logger.error(...this.prefix, ...args);
  }
}
