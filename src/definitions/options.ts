// SPDX-License-Identifier: MIT
import type { Serde } from "../serde/serde.js";
import type { Duration } from "./duration.js";
import type { HooksProvider } from "../context/hooks.js";
import type { TerminalError } from "../errors.js";

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
  /**
   * Turns errors the handler throws into terminal errors: return a `TerminalError` to end the
   * invocation with it, `undefined` to let the error fail the attempt (and be retried) as usual.
   * A handler's function wins over its service's, which wins over the endpoint default.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever user code threw
  readonly asTerminalError?: (error: any) => TerminalError | undefined;
  /**
   * The serde of handler input and output, and of `ctx` client calls, when nothing more specific
   * is given (default: JSON).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- serdes of any value type
  readonly serde?: Serde<any>;
  /**
   * When true, a cancellation is not turned into a `CancelledError` at the next await: the
   * handler observes it itself, through `(ctx as internal.ContextInternal).cancellation()`, and
   * can cancel the calls it made with `cancelPreviousCalls()`.
   */
  readonly explicitCancellation?: boolean;
  /** What the runtime does on a journal mismatch (non-determinism): retry, pause or fail. */
  readonly onJournalMismatchErrors?: "retry" | "pause" | "fail";
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
  /**
   * When the handler returns nothing (empty output), still advertise the output serde's content
   * type (default false: no content type for an empty output).
   */
  readonly setOutputContentTypeIfEmpty?: boolean;
}

/**
 * Options of a service, virtual object or workflow definition.
 *
 * @example
 * const options: ServiceOptions = { journalRetention: { days: 1 } };
 */
export type ServiceOptions = CommonOptions;

/**
 * Options of a virtual object definition.
 *
 * @example
 * const options: ObjectOptions = { enableLazyState: true };
 */
export type ObjectOptions = ServiceOptions;

/**
 * Options of a workflow definition.
 *
 * @example
 * const options: WorkflowOptions = { workflowRetention: { days: 7 } };
 */
export interface WorkflowOptions extends ServiceOptions {
  /** How long the workflow's result and state are kept after `run` completes. */
  readonly workflowRetention?: Duration;
}

/**
 * Options every service bound to an endpoint starts from (`endpoint().defaultServiceOptions(…)`,
 * `defaultServiceOptions` of `serve()` and `createEndpointHandler()`). A service's own options win
 * over them, field by field, and a handler's options win over its service's. Each one reaches the
 * manifest of every service bound (as in the official SDK); `workflowRetention` applies to
 * workflows only.
 *
 * @example
 * const defaults: DefaultServiceOptions = { retryPolicy: { maxAttempts: 10 }, ingressPrivate: true };
 */
// The official spelling is `ServiceOptions & ObjectOptions & WorkflowOptions`; here the first two
// are one type and the third extends it.
export type DefaultServiceOptions = WorkflowOptions;

/**
 * Options of a service handler (`handlers.handler(opts, fn)`), as named by the official SDK.
 *
 * @example
 * const opts: ServiceHandlerOpts<string, string> = { input: serde.json, ingressPrivate: true };
 */
export type ServiceHandlerOpts<I = unknown, O = unknown> = HandlerOptions<I, O>;
/** Options of a virtual object handler (`handlers.object.exclusive/shared(opts, fn)`). */
export type ObjectHandlerOpts<I = unknown, O = unknown> = HandlerOptions<I, O>;
/** Options of a workflow handler (`handlers.workflow.workflow/shared(opts, fn)`). */
export type WorkflowHandlerOpts<I = unknown, O = unknown> = HandlerOptions<I, O>;
