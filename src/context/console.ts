// SPDX-License-Identifier: MIT
import type { Logger } from "./logger.js";
import type { ContextConsole } from "./types.js";

/** `ctx.console`: the endpoint's logger, prefixed with the invocation, silent while replaying. */
export class ReplayAwareConsole implements ContextConsole {
  private readonly logger: Logger;
  private readonly prefix: string;
  private readonly replay: { readonly isReplaying: boolean };

  constructor(logger: Logger, prefix: string, replay: { readonly isReplaying: boolean }) {
    this.logger = logger;
    this.prefix = prefix;
    this.replay = replay;
  }

  debug(...args: unknown[]): void {
    if (!this.replay.isReplaying) this.logger.debug(this.prefix, ...args);
  }
  info(...args: unknown[]): void {
    if (!this.replay.isReplaying) this.logger.info(this.prefix, ...args);
  }
  log(...args: unknown[]): void {
    if (!this.replay.isReplaying) this.logger.info(this.prefix, ...args);
  }
  warn(...args: unknown[]): void {
    if (!this.replay.isReplaying) this.logger.warn(this.prefix, ...args);
  }
  error(...args: unknown[]): void {
    if (!this.replay.isReplaying) this.logger.error(this.prefix, ...args);
  }
}
