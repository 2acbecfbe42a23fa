// SPDX-License-Identifier: MIT
// Options of a `TestEnvironment` and the shapes its inspection methods return.
import type { AnyDefinition } from "../definitions/service.js";
import type { DefaultServiceOptions, RetryPolicy } from "../definitions/options.js";
import type { Logger } from "../context/logger.js";
import type { LoggerTransport } from "../context/log-transport.js";
import type { ProtocolVersion } from "../journal/vm.js";
import type { AttemptFailure, InvocationStatus } from "./invocation.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";

/**
 * Options of `TestEnvironment.start`; every field is optional.
 *
 * @example
 * await TestEnvironment.start({ services: [greeter], seed: 42, now: Date.parse("2026-01-01") });
 */
export interface TestEnvironmentOptions {
  /** The services, objects and workflows the runtime runs. */
  readonly services: readonly AnyDefinition[];
  /** Seeds invocation ids and every invocation's `ctx.rand`. */
  readonly seed: number | bigint;
  /** Initial virtual time (default: the real time at start). */
  readonly now: number | Date;
  /**
   * Runs every attempt in request/response mode with its input closed at once: each await on a
   * result not yet in the journal suspends, and each resumption replays the whole journal, so a
   * handler that takes another path on replay fails with a `NonDeterminismError`, and side
   * effects outside `ctx.run` show up once per replay. Once the invocation has ended, its whole
   * journal is replayed one more time, so the commands written after the last await are checked
   * too.
   */
  readonly replayEveryStep: boolean;
  readonly protocolVersion: ProtocolVersion;
  /**
   * Where `ctx.console` and the SDK log: a `Logger` (e.g. `console`) or an official-style
   * `LoggerTransport`; silent by default.
   */
  readonly logger: Logger | LoggerTransport;
  /**
   * Retry policy for failed attempts when neither handler nor service sets one; unset fields
   * take the server's defaults (500 ms doubling up to 1 min, 70 attempts, then pause).
   */
  readonly retryPolicy: RetryPolicy;
  /**
   * Options every service starts from, as `endpoint().defaultServiceOptions(…)` sets them: a
   * service's own options win field by field (its own `hooks` replace the default hooks, which
   * otherwise wrap the handler's hooks).
   */
  readonly defaultServiceOptions: DefaultServiceOptions;
  /**
   * The journal value codec, as `endpoint().journalValueCodecProvider(…)` sets it (called once, by
   * `start`): handlers journal encoded values and decode what they read, the ingress clients
   * encode inputs and decode outputs, and values the test resolves are encoded. Synchronous reads
   * from the test (`output`, `state().get`, a workflow promise's `peek`) still work: the
   * environment remembers what each encoding it made holds, so they need no (asynchronous) decode.
   */
  readonly journalValueCodecProvider?: () => Promise<JournalValueCodec>;
}

/** A logger that drops everything. */
export const SILENT_LOGGER: Logger = Object.freeze({
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});

/**
 * Defaults of {@link TestEnvironmentOptions} (`now` defaults to the real time at start).
 *
 * @example
 * TEST_ENVIRONMENT_DEFAULTS.protocolVersion; // 6
 */
export const TEST_ENVIRONMENT_DEFAULTS: Readonly<Omit<TestEnvironmentOptions, "now">> =
  Object.freeze({
    services: [],
    seed: 0,
    replayEveryStep: false,
    protocolVersion: 6,
    logger: SILENT_LOGGER,
    retryPolicy: {},
    defaultServiceOptions: {},
  });

/**
 * An invocation, by id or by the handle a send returned.
 *
 * @example
 * env.cancel(handle); env.cancel(handle.invocationId);
 */
export type InvocationRef = string | { readonly invocationId: string };

/**
 * What the runtime knows about an invocation.
 *
 * @example
 * expect(env.invocation(handle)).toMatchObject({ status: "completed", attempts: 2 });
 */
export interface InvocationInfo {
  readonly id: string;
  readonly service: string;
  readonly handler: string;
  readonly key?: string;
  readonly status: InvocationStatus;
  readonly attempts: number;
  readonly failures: readonly AttemptFailure[];
}
