// SPDX-License-Identifier: MIT
import type { Serde } from "../serde/serde.js";
import type { Duration } from "./duration.js";
import type { HooksProvider } from "../context/hooks.js";

/**
 * The runtime's retry policy for failed attempts of a service or handler (manifest v4).
 *
 * @example
 * const policy: RetryPolicy = { initialInterval: 100, maxAttempts: 10, onMaxAttempts: "kill" };
 */
export interface RetryPolicy {
  readonly initialInterval?: Duration;
  readonly maxInterval?: Duration;
  readonly maxAttempts?: number;
  readonly exponentiationFactor?: number;
  /** What the runtime does once `maxAttempts` is reached: pause the invocation or kill it. */
  readonly onMaxAttempts?: "pause" | "kill";
}

/**
 * Options shared by services and handlers; they go into the discovery manifest.
 *
 * @example
 * restate.service({ name: "greeter", handlers, options: { inactivityTimeout: { seconds: 30 } } });
 */
export interface CommonOptions {
  /** Documentation shown by the admin API. */
  readonly description?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly inactivityTimeout?: Duration;
  readonly abortTimeout?: Duration;
  readonly idempotencyRetention?: Duration;
  readonly journalRetention?: Duration;
  /** When true, the service/handler can only be called from other handlers, not the ingress. */
  readonly ingressPrivate?: boolean;
  /** When true, state is fetched key by key instead of being sent with every invocation. */
  readonly enableLazyState?: boolean;
  readonly retryPolicy?: RetryPolicy;
  /**
   * Interceptors around each attempt, each executed `ctx.run` and each outgoing call (see
   * {@link HooksProvider}). Service hooks wrap handler hooks; both lists run in order.
   */
  readonly hooks?: readonly HooksProvider[];
}

/**
 * Options of one handler: manifest options plus its input/output serdes.
 *
 * @example
 * restate.handlers.handler({ input: serde.binary, output: serde.binary }, async (ctx, bytes) => bytes);
 */
export interface HandlerOptions<I = unknown, O = unknown> extends CommonOptions {
  readonly input?: Serde<I>;
  readonly output?: Serde<O>;
  /** Content type accepted at the ingress; defaults to the input serde's content type. */
  readonly accept?: string;
  /** Content type of the output; defaults to the output serde's content type. */
  readonly contentType?: string;
  /** Workflow `run` handlers only: how long the workflow's result and state are kept. */
  readonly workflowRetention?: Duration;
}

/**
 * Options of a service, virtual object or workflow definition.
 *
 * @example
 * const options: ServiceOptions = { journalRetention: { days: 1 } };
 */
export type ServiceOptions = CommonOptions;
