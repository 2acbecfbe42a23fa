// SPDX-License-Identifier: MIT
// The official SDK's logging shapes (`LoggerTransport`, `LogMetadata`, `LoggerContext`,
// `RestateLogLevel`, `LogSource`), and the adapter that lets a transport stand where the SDK
// expects a `Logger`.
import type { Logger } from "./logger.js";
import type { Request } from "./types.js";

/**
 * Log levels, with the official SDK's values (an object plus a union type instead of an `enum`).
 *
 * @example
 * if (meta.level === RestateLogLevel.ERROR) alert(message);
 */
export const RestateLogLevel = Object.freeze({
  TRACE: "trace",
  DEBUG: "debug",
  INFO: "info",
  WARN: "warn",
  ERROR: "error",
} as const);
/** One of the {@link RestateLogLevel} values. */
export type RestateLogLevel = (typeof RestateLogLevel)[keyof typeof RestateLogLevel];

/**
 * Who logged: the SDK (`SYSTEM`, `JOURNAL`) or handler code through `ctx.console` (`USER`).
 *
 * @example
 * if (meta.source === LogSource.USER) appLog(message);
 */
export const LogSource = Object.freeze({
  SYSTEM: "SYSTEM",
  JOURNAL: "JOURNAL",
  USER: "USER",
} as const);
/** One of the {@link LogSource} values. */
export type LogSource = (typeof LogSource)[keyof typeof LogSource];

/**
 * The invocation a log line belongs to.
 *
 * @example
 * const where = meta.context?.invocationTarget; // "Cart/mary/add"
 */
export class LoggerContext {
  readonly invocationId: string;
  readonly serviceName: string;
  readonly handlerName: string;
  readonly key?: string | undefined;
  readonly request?: Request | undefined;
  readonly additionalContext?: { [name: string]: string } | undefined;
  /** `Service/handler`, or `Object/key/handler` for keyed services. */
  readonly invocationTarget: string;
  /**
   * The attempt, counted since the journal last made progress (1 on a first attempt), as the
   * runtime reports it; best effort. An addition to the official shape.
   */
  readonly attempt?: number | undefined;

  constructor(
    invocationId: string,
    serviceName: string,
    handlerName: string,
    key?: string,
    request?: Request,
    additionalContext?: { [name: string]: string },
    attempt?: number,
  ) {
    this.invocationId = invocationId;
    this.serviceName = serviceName;
    this.handlerName = handlerName;
    this.key = key;
    this.request = request;
    this.additionalContext = additionalContext;
    this.attempt = attempt;
    this.invocationTarget =
      key === undefined || key === ""
        ? `${serviceName}/${handlerName}`
        : `${serviceName}/${key}/${handlerName}`;
  }
}

/**
 * What a {@link LoggerTransport} learns about each message.
 *
 * @example
 * const meta: LogMetadata = { source: LogSource.USER, level: RestateLogLevel.INFO, replaying: false };
 */
export interface LogMetadata {
  source: LogSource;
  level: RestateLogLevel;
  /** True for `ctx.console` messages emitted while the handler replays journaled steps. */
  replaying: boolean;
  /** The invocation; undefined for endpoint-level messages. */
  context?: LoggerContext;
}

/**
 * The official SDK's log sink: a function of the metadata and the message. It receives every
 * message, including those emitted during replay (`meta.replaying`), and does its own filtering.
 * Give it to `endpoint().setLogger(…)`, `serve({ logger })` or the fetch/Node/Lambda handlers.
 *
 * @example
 * endpoint().setLogger((meta, message, ...rest) => {
 *   if (!meta.replaying) pino[meta.level]({ invocationId: meta.context?.invocationId }, String(message));
 * });
 */
export type LoggerTransport = (
  params: LogMetadata,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the official signature: transports typed `(meta, message: string)` must fit
  message?: any,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  ...optionalParams: any[]
) => void;

/** A `Logger` that forwards to a transport; the context layer finds the transport on it. */
export interface TransportLogger extends Logger {
  readonly transport: LoggerTransport;
}

/** The transport behind a logger made by {@link loggerFromTransport}, if any. */
export function transportOf(logger: Logger): LoggerTransport | undefined {
  return (logger as Partial<TransportLogger>).transport;
}

/**
 * Adapts a transport to the `Logger` the endpoint uses for its own (`SYSTEM`) messages.
 *
 * @internal
 */
export function loggerFromTransport(transport: LoggerTransport): TransportLogger {
  const at =
    (level: RestateLogLevel) =>
    (...args: unknown[]): void =>
      transport({ source: LogSource.SYSTEM, level, replaying: false }, ...args);
  return Object.freeze({
    transport,
    trace: at(RestateLogLevel.TRACE),
    debug: at(RestateLogLevel.DEBUG),
    info: at(RestateLogLevel.INFO),
    warn: at(RestateLogLevel.WARN),
    error: at(RestateLogLevel.ERROR),
  });
}

/**
 * Accepts either logging style: a `Logger` object is used as is, a transport function is adapted.
 *
 * @internal
 */
export function toLogger(logger: Logger | LoggerTransport): Logger {
  return typeof logger === "function" ? loggerFromTransport(logger) : logger;
}

/**
 * A logger for one invocation: messages go to the transport with the invocation's context (and,
 * for `USER` messages, whether the attempt is replaying).
 *
 * @internal
 */
export function invocationLogger(
  transport: LoggerTransport,
  source: LogSource,
  context: LoggerContext,
  replay: { readonly isReplaying: boolean },
): Logger {
  const at =
    (level: RestateLogLevel) =>
    (...args: unknown[]): void =>
      transport({ source, level, replaying: replay.isReplaying, context }, ...args);
  return {
    trace: at(RestateLogLevel.TRACE),
    debug: at(RestateLogLevel.DEBUG),
    info: at(RestateLogLevel.INFO),
    warn: at(RestateLogLevel.WARN),
    error: at(RestateLogLevel.ERROR),
  };
}
