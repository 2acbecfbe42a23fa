// SPDX-License-Identifier: MIT
// Where an attempt logs: `ctx.console` for handler code, the system logger for the SDK. Over a
// plain logger the console prefixes the invocation and is silent on replay; over a logger
// transport both carry a `LoggerContext` and the transport decides.
import type { ContextInit } from "./context-init.js";
import type { Logger } from "./logger.js";
import type { Request } from "./types.js";
import { ReplayAwareConsole } from "./console.js";
import { LogSource, LoggerContext, invocationLogger, transportOf } from "./log-transport.js";

const NOT_REPLAYING = Object.freeze({ isReplaying: false });

/** The loggers of one attempt, built on first use (most handlers never log). */
export class AttemptLogging {
  readonly #init: ContextInit;
  readonly #request: () => Request;
  #console: ReplayAwareConsole | undefined;
  #loggerContext: LoggerContext | undefined;

  /** @param request - the attempt's `ctx.request()`, for the transport's `LoggerContext`. */
  constructor(init: ContextInit, request: () => Request) {
    this.#init = init;
    this.#request = request;
  }

  /** `ctx.console`. */
  get console(): ReplayAwareConsole {
    if (this.#console !== undefined) return this.#console;
    const { handler, logger, vm } = this.#init;
    const transport = transportOf(logger);
    this.#console =
      transport === undefined
        ? new ReplayAwareConsole(
            logger,
            [`[${handler.service}/${handler.name}][${vm.start.debugId}]`],
            vm,
          )
        : new ReplayAwareConsole(
            invocationLogger(transport, LogSource.USER, this.#context(), vm),
            [],
            undefined,
          );
    return this.#console;
  }

  /** Where the SDK logs about this invocation: with its context when the logger is a transport. */
  systemLogger(): Logger {
    const { logger } = this.#init;
    const transport = transportOf(logger);
    if (transport === undefined) return logger;
    return invocationLogger(transport, LogSource.SYSTEM, this.#context(), NOT_REPLAYING);
  }

  #context(): LoggerContext {
    const { handler, vm } = this.#init;
    const { start } = vm;
    return (this.#loggerContext ??= new LoggerContext(
      start.debugId,
      handler.service,
      handler.name,
      handler.serviceKind === "service" ? undefined : start.key,
      this.#request(),
      // `{}` on Node and fetch runtimes, `{ AWSRequestId }` on Lambda, as the official SDK gives.
      { ...this.#init.additionalLogContext },
      start.retryCount + 1,
    ));
  }
}
