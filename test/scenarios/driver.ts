// SPDX-License-Identifier: MIT
// The seam between the shared scenarios and the two runtimes they run on: the in-memory
// `TestEnvironment` and a real `restate-server`. A scenario only sees what a client of Restate
// sees (results, error codes, state, the last failure), so both drivers must agree on all of it.
import type { AnyDefinition } from "../../src/definitions/service.js";

/** A service, virtual object or workflow the scenarios invoke. */
export type Target = AnyDefinition;

/** How an invocation ended, as its caller sees it. */
export type Outcome =
  | { readonly status: "ok"; readonly value: unknown }
  | { readonly status: "failed"; readonly code: number; readonly message: string };

/** What the ingress answers to a one-way send. */
export interface Sent {
  readonly invocationId: string;
  /** `PreviouslyAccepted` when the idempotency key (or workflow id) was used before. */
  readonly status: "Accepted" | "PreviouslyAccepted";
}

/** The last failed attempt of an invocation that is still being retried (or gave up). */
export interface AttemptFailureInfo {
  readonly code: number;
  readonly message: string;
}

export interface CallOptions {
  /** The object key or workflow id; required for objects and workflows. */
  readonly key?: string;
  readonly idempotencyKey?: string;
}

export interface SendOptions extends CallOptions {
  /** Start the invocation this many milliseconds later. */
  readonly delay?: number;
}

export interface UntilOptions {
  /**
   * How much time may pass before the condition holds: virtual time in memory (advanced in small
   * steps), real time on the server (at least a few seconds there, for its own latency).
   */
  readonly within: number;
  /** What is being waited for, for the timeout message. */
  readonly what: string;
}

/**
 * A Restate runtime as a scenario drives it. Time is explicit: `elapse` advances the virtual
 * clock in memory and really waits on the server (so scenarios keep their waits to a second or
 * two), and `until` polls an observation while time passes.
 */
export interface ScenarioDriver {
  /** Milliseconds since the epoch, as handlers see it (`ctx.date.now()`). */
  now(): number;
  /** A request/response call; waits for the result. Only for handlers that finish on their own. */
  call(target: Target, handler: string, input?: unknown, options?: CallOptions): Promise<Outcome>;
  send(target: Target, handler: string, input?: unknown, options?: SendOptions): Promise<Sent>;
  /** Waits for the invocation to finish. */
  attach(invocationId: string): Promise<Outcome>;
  /** The outcome if the invocation has finished, `undefined` if not (does not wait). */
  output(invocationId: string): Promise<Outcome | undefined>;
  /**
   * Cancels like the admin API; false when the invocation had already completed (the server
   * answers 409 there, the in-memory runtime ignores the request).
   */
  cancel(invocationId: string): Promise<boolean>;
  /** Kills like the admin API; false when the invocation had already completed. */
  kill(invocationId: string): Promise<boolean>;
  resolveAwakeable(awakeableId: string, value: unknown): Promise<void>;
  elapse(ms: number): Promise<void>;
  /** Every state entry of an object or workflow key, JSON-decoded. */
  state(target: Target, key: string): Promise<Record<string, unknown>>;
  /** The last failed attempt of the invocation, if any is recorded. */
  lastFailure(invocationId: string): Promise<AttemptFailureInfo | undefined>;
  /** Polls `probe` until it returns something other than `undefined`, letting time pass. */
  until<T>(probe: () => Promise<T | undefined>, options: UntilOptions): Promise<T>;
}
