// SPDX-License-Identifier: MIT
// What the in-memory runtime knows about one invocation: its request, journal, status and result.
import { create, toBinary } from "@bufbuild/protobuf";
import * as pb from "../journal/gen/protocol_pb.js";
import type { Leaf, NotificationResult } from "../journal/futures.js";
import { CommandType } from "../journal/message-types.js";
import type { HandlerEntry } from "../definitions/registry.js";
import type { TimerHandle } from "./clock.js";
import type { InvocationIdentity } from "./ids.js";
import type { Attempt } from "./attempt.js";
import { JournalStore } from "./journal-store.js";

/**
 * Where an invocation is in its life, with the runtime's own status names (`sys_invocation`).
 *
 * @example
 * expect(env.invocation(handle.invocationId).status).toBe("suspended");
 */
export type InvocationStatus =
  "scheduled" | "inboxed" | "running" | "suspended" | "backing-off" | "paused" | "completed";

/** How an invocation ended: a value or a terminal failure. */
export type InvocationResult = Extract<NotificationResult, { kind: "value" } | { kind: "failure" }>;

/** A terminal failure result. */
export function failure(code: number, message: string): InvocationResult {
  return { kind: "failure", code, message, metadata: [] };
}

/** Which handler an invocation runs. */
export interface InvocationTarget {
  readonly service: string;
  readonly handler: string;
  /** The object or workflow key; absent for services. */
  readonly key?: string;
}

/** What started an invocation (a client, or another invocation's call or send). */
export interface InvocationRequest {
  readonly target: InvocationTarget;
  readonly input: Uint8Array;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly idempotencyKey?: string;
  /** Virtual time the invocation may start at (delayed sends). */
  readonly invokeAt?: number;
  /** The calling invocation, if any. */
  readonly caller?: string;
}

/**
 * One failed attempt, as the runtime recorded it (`last_failure` in `sys_invocation`).
 *
 * @example
 * expect(env.invocation(id).failures[0]?.message).toBe("connection refused");
 */
export interface AttemptFailure {
  /** 1-based number of the attempt that failed. */
  readonly attempt: number;
  /** Virtual time of the failure. */
  readonly at: number;
  readonly code: number;
  readonly message: string;
  readonly stacktrace?: string;
  /** The command the failure relates to, as the SDK reported it. */
  readonly relatedCommand?: {
    readonly index?: number;
    readonly type?: number;
    readonly name?: string;
  };
  readonly nextRetryDelay?: number;
}

/** Notified when an invocation completes, or each time it pauses. */
export interface InvocationWatcher {
  completed(result: InvocationResult): void;
  paused?(failure: AttemptFailure): void;
}

/** The runtime's record of one invocation. */
export class Invocation {
  readonly id: string;
  readonly bytes: Uint8Array;
  readonly seed: bigint;
  readonly request: InvocationRequest;
  /** The handler to run; undefined when a mock answers (or nothing does). */
  readonly handler: HandlerEntry | undefined;
  readonly journal = new JournalStore();
  readonly failures: AttemptFailure[] = [];
  /** Ids of the invocations this one called (not sent to): a kill propagates to them. */
  readonly calls: string[] = [];
  /** Run names by completion id, to match proposals with `failRun` rules. */
  readonly runs = new Map<number, { readonly name: string; readonly index: number }>();
  readonly createdAt: number;
  status: InvocationStatus = "scheduled";
  result: InvocationResult | undefined;
  /** What the OutputCommand said; becomes the result at End. */
  output: InvocationResult | undefined;
  attempts = 0;
  /** replayEveryStep: the final full-journal replay after End has run. */
  isVerified = false;
  /** Leaf keys (see `leafKey`) the invocation is suspended on. */
  awaiting: readonly string[] = [];
  /** Journal length and awaited ids of the last suspension that resumed at once. */
  lastSuspension: string | undefined;
  /** The attempt running right now. */
  live: Attempt | undefined;
  /** The pending delayed start or retry. */
  timer: TimerHandle | undefined;
  /** A runtime-side failure (journal mismatch) the clients rethrow as is. */
  fatal: Error | undefined;
  retriesSinceLastEntry = 0;
  lastEntryAt: number;
  readonly #watchers: InvocationWatcher[] = [];

  constructor(
    identity: InvocationIdentity,
    request: InvocationRequest,
    handler: HandlerEntry | undefined,
    now: number,
  ) {
    this.id = identity.id;
    this.bytes = identity.bytes;
    this.seed = identity.seed;
    this.request = request;
    this.handler = handler;
    this.createdAt = now;
    this.lastEntryAt = now;
    const input = create(pb.InputCommandSchema, {
      headers: request.headers.map(([key, value]) => ({ key, value })),
      value: { content: request.input },
    });
    this.appendCommand(CommandType.Input, toBinary(pb.InputCommandSchema, input), now);
  }

  get target(): InvocationTarget {
    return this.request.target;
  }

  /** Stores a command; returns its command index. */
  appendCommand(type: number, payload: Uint8Array, now: number): number {
    this.#stored(now);
    return this.journal.appendCommand(type, payload, now);
  }

  /** Stores a notification; false if one with the same id is already stored. */
  appendNotification(type: number, leaf: Leaf, payload: Uint8Array, now: number): boolean {
    const isNew = this.journal.appendNotification(type, leaf, payload, now);
    if (isNew) this.#stored(now);
    return isNew;
  }

  #stored(now: number): void {
    this.retriesSinceLastEntry = 0;
    this.lastEntryAt = now;
  }

  /** Registers a watcher; completes it at once if the invocation already completed. */
  watch(watcher: InvocationWatcher): void {
    if (this.result !== undefined) watcher.completed(this.result);
    else this.#watchers.push(watcher);
  }

  /** Sets the result and tells every watcher. */
  settle(result: InvocationResult): void {
    this.status = "completed";
    this.result = result;
    for (const watcher of this.#watchers.splice(0)) watcher.completed(result);
  }

  /** Marks the invocation paused and tells the watchers that care. */
  pause(failure: AttemptFailure): void {
    this.status = "paused";
    for (const watcher of this.#watchers) watcher.paused?.(failure);
  }
}
