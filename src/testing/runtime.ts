// SPDX-License-Identifier: MIT
// The in-memory Restate server: it owns invocations and their journals, runs attempts through the
// real engine, answers their commands (commands.ts) and decides when to resume, retry or complete.
import { attemptTraceparent } from "./trace-header.js";
import { type Frame, encodeFrame } from "../journal/framing.js";
import type { Leaf, NotificationResult } from "../journal/futures.js";
import { MessageType, isCommandType } from "../journal/message-types.js";
import type { ProtocolVersion } from "../journal/vm.js";
import type { AnyDefinition } from "../definitions/service.js";
import type { DefaultServiceOptions, RetryPolicy } from "../definitions/options.js";
import { type ServiceEntry, serviceEntryOf } from "../definitions/registry.js";
import type { Logger } from "../context/logger.js";
import { Activity } from "./activity.js";
import { Attempt, type AttemptEnd, type AttemptHost, failureOfError } from "./attempt.js";
import { type TimerHandle, VirtualClock } from "./clock.js";
import { handleCommand, handleProposal } from "./commands.js";
import { cancel, recordFailure } from "./control.js";
import { IdGenerator } from "./ids.js";
import { Injections } from "./injections.js";
import {
  Invocation,
  type InvocationRequest,
  type InvocationResult,
  failure,
} from "./invocation.js";
import { encodeNotification, leafKey } from "./journal-store.js";
import { ObjectLocks } from "./locks.js";
import { runMock } from "./mock-runner.js";
import { MockRegistry } from "./mocks.js";
import { PromiseStore } from "./promise-store.js";
import { attemptRequest } from "./start-message.js";
import { StateStore } from "./state-store.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";
import { EnvironmentCodec } from "./value-codec.js";

/** How the runtime behaves; merged with defaults by `TestEnvironment.start`. */
export interface RuntimeOptions {
  readonly services: readonly AnyDefinition[];
  readonly seed: bigint;
  /** Initial virtual time, ms since the epoch. */
  readonly now: number;
  readonly protocolVersion: ProtocolVersion;
  /** Request/response attempts: every await on something new suspends, every resume replays. */
  readonly replayEveryStep: boolean;
  readonly logger: Logger;
  /** The environment-wide retry policy (the server default when fields are unset). */
  readonly retryPolicy: RetryPolicy;
  /** What every service's options are merged over, as an endpoint's defaults. */
  readonly defaultServiceOptions: DefaultServiceOptions;
  /** The journal value codec, already provided. */
  readonly valueCodec?: JournalValueCodec;
}

/** The in-memory runtime; `TestEnvironment` is its public face. */
export class Runtime implements AttemptHost {
  readonly options: RuntimeOptions;
  readonly codec: EnvironmentCodec;
  readonly clock: VirtualClock;
  readonly state = new StateStore();
  readonly promises = new PromiseStore();
  readonly mocks = new MockRegistry();
  readonly injections = new Injections();
  readonly services = new Map<string, ServiceEntry>();
  readonly invocations = new Map<string, Invocation>();
  readonly ids: IdGenerator;
  readonly #deduplicated = new Map<string, Invocation>();
  readonly #locks = new ObjectLocks();
  readonly #live = new Set<Attempt>();
  readonly #activity = new Activity();

  constructor(options: RuntimeOptions) {
    this.options = options;
    this.codec = new EnvironmentCodec(options.valueCodec);
    this.clock = new VirtualClock(options.now);
    this.ids = new IdGenerator(options.seed);
    for (const definition of options.services) {
      this.services.set(definition.name, serviceEntryOf(definition, options.defaultServiceOptions));
    }
  }

  get version(): ProtocolVersion {
    return this.options.protocolVersion;
  }

  /** Creates an invocation (or returns the one its idempotency key / workflow id names). */
  invoke(request: InvocationRequest): Invocation {
    const { service, handler, key } = request.target;
    const entry = this.services.get(service)?.handlers.get(handler);
    const dedupe =
      request.idempotencyKey !== undefined
        ? `idempotency:${service}/${key ?? ""}/${handler}/${request.idempotencyKey}`
        : entry?.kind === "workflow"
          ? `workflow:${service}/${key ?? ""}`
          : undefined;
    const existing = dedupe !== undefined ? this.#deduplicated.get(dedupe) : undefined;
    if (existing !== undefined) return existing;
    const now = this.clock.now();
    const identity = this.ids.next(key !== undefined ? `${service}/${key}` : undefined);
    const invocation = new Invocation(identity, request, entry, now);
    this.invocations.set(invocation.id, invocation);
    if (dedupe !== undefined) this.#deduplicated.set(dedupe, invocation);
    const at = request.invokeAt;
    if (at !== undefined && at > now)
      invocation.timer = this.setTimer(at, () => this.#admit(invocation));
    else this.job(() => this.#admit(invocation));
    return invocation;
  }

  /** The invocation an idempotent request or a workflow id refers to, if it exists. */
  lookup(kind: "idempotency" | "workflow", path: string): Invocation | undefined {
    return this.#deduplicated.get(`${kind}:${path}`);
  }

  #admit(invocation: Invocation): void {
    if (invocation.status !== "scheduled") return;
    invocation.timer = undefined;
    const { service, handler, key } = invocation.target;
    const mock = this.mocks.find(service, handler);
    if (mock !== undefined) {
      void runMock(this, invocation, mock);
      return;
    }
    if (invocation.handler === undefined) {
      const what = this.services.has(service)
        ? `handler "${service}/${handler}"`
        : `service "${service}"`;
      this.complete(
        invocation,
        failure(404, `No ${what} in the test environment: register it or mock it with env.mock()`),
      );
      return;
    }
    if (invocation.handler.kind === "exclusive" && key !== undefined) {
      if (!this.#locks.acquire(`${service}/${key}`, invocation)) {
        invocation.status = "inboxed";
        return;
      }
    }
    this.#startAttempt(invocation);
  }

  #startAttempt(invocation: Invocation): void {
    const handler = invocation.handler;
    if (handler === undefined || invocation.status === "completed" || invocation.live) return;
    invocation.status = "running";
    invocation.attempts++;
    const { service, key } = invocation.target;
    const isLazy =
      handler.options.enableLazyState ?? this.services.get(service)?.options.enableLazyState;
    const isEager = key !== undefined && handler.serviceKind !== "service" && isLazy !== true;
    const attempt = new Attempt(this, invocation);
    invocation.live = attempt;
    this.#live.add(attempt);
    this.#activity.bump();
    const mode = this.options.replayEveryStep ? "request-response" : "bidi";
    const params = {
      handler,
      protocolVersion: this.version,
      attemptHeaders: new Map([
        ["x-restate-invocation-id", invocation.id],
        ["traceparent", attemptTraceparent(invocation.id, invocation.attempts)],
      ]),
      logger: this.options.logger,
      ...(this.codec.ready !== undefined ? { journalValueCodec: this.codec.ready } : {}),
      now: () => this.clock.now(),
      runFault: (name: string) => {
        const message = this.injections.takeRunFailure(invocation, name);
        return message === undefined ? undefined : new Error(message);
      },
    } as const;
    const state = isEager ? this.state.snapshot(service, key) : undefined;
    attempt.start(params, attemptRequest(invocation, state, this.clock.now()), mode);
    if (mode === "bidi") this.#activity.watch(() => this.#live);
  }

  /** @internal AttemptHost: one command or run proposal of a live attempt. */
  frame(attempt: Attempt, frame: Frame): void {
    this.#activity.bump();
    const invocation = attempt.invocation;
    try {
      if (isCommandType(frame.type)) {
        const index = invocation.appendCommand(frame.type, frame.payload, this.clock.now());
        handleCommand(this, invocation, frame.type, frame.payload, index);
        const action = this.injections.afterCommand(invocation, index);
        if (action === "crash") attempt.abort(`Injected crash after command #${index}`);
        if (action === "cancel") cancel(this, invocation);
      } else if (frame.type === MessageType.ProposeRunCompletion) {
        handleProposal(this, invocation, attempt, frame);
      }
    } catch (e) {
      this.#activity.fail(e);
      attempt.abort(`The test runtime could not handle a frame: ${String(e)}`);
    }
  }

  /** @internal AttemptHost: the attempt is over. */
  ended(attempt: Attempt, end: AttemptEnd): void {
    this.#activity.bump();
    this.#live.delete(attempt);
    const invocation = attempt.invocation;
    if (invocation.live === attempt) invocation.live = undefined;
    if (invocation.status === "completed") return;
    switch (end.kind) {
      case "end":
        if (this.options.replayEveryStep && !invocation.isVerified && invocation.handler) {
          // One more replay of the whole journal, Output included: the commands written after
          // the last await were never replayed by the step-by-step suspensions.
          invocation.isVerified = true;
          this.job(() => this.#startAttempt(invocation));
          return;
        }
        this.complete(invocation, invocation.output ?? failure(500, "Ended without an output"));
        return;
      case "suspension":
        this.#suspended(invocation, end.awaiting);
        return;
      case "error":
        recordFailure(this, invocation, failureOfError(end.error));
        return;
      case "aborted":
        recordFailure(this, invocation, { code: 500, message: end.reason });
        return;
      case "closed":
        recordFailure(this, invocation, { code: 500, message: "Closed without a terminator" });
    }
  }

  /** Parks the invocation until one of `awaiting` is stored; resumes at once if one already is. */
  #suspended(invocation: Invocation, awaiting: readonly string[]): void {
    invocation.status = "suspended";
    invocation.awaiting = awaiting;
    if (!awaiting.some((k) => invocation.journal.hasKey(k))) return;
    // Suspending twice on the same known journal would resume forever: report it instead.
    const signature = `${invocation.journal.length}|${awaiting.join(",")}`;
    if (invocation.lastSuspension === signature) {
      this.#activity.fail(
        new Error(
          `Invocation ${invocation.id} suspended again on ${awaiting.join(", ")}, which it has`,
        ),
      );
      return;
    }
    invocation.lastSuspension = signature;
    this.#resume(invocation);
  }

  #resume(invocation: Invocation): void {
    invocation.status = "running";
    this.job(() => this.#startAttempt(invocation));
  }

  /** Runs the invocation again (after a back-off, or when a paused invocation is resumed). */
  restart(invocation: Invocation): void {
    if (invocation.status !== "backing-off" && invocation.status !== "paused") return;
    invocation.timer?.cancel();
    invocation.timer = undefined;
    const { service, handler } = invocation.target;
    const mock = this.mocks.find(service, handler);
    invocation.status = "running";
    if (mock !== undefined) void runMock(this, invocation, mock);
    else this.#startAttempt(invocation);
  }

  /** Completes the invocation: releases its lock and tells everyone waiting for it. */
  complete(invocation: Invocation, result: InvocationResult): void {
    if (invocation.status === "completed") return;
    invocation.timer?.cancel();
    invocation.timer = undefined;
    const { service, key } = invocation.target;
    if (invocation.handler?.kind === "exclusive" && key !== undefined) {
      const next = this.#locks.release(`${service}/${key}`, invocation);
      if (next !== undefined) this.job(() => this.#startAttempt(next));
    }
    invocation.settle(result);
  }

  /**
   * Stores a notification in the invocation's journal and delivers it: pushed into the live
   * attempt if its input is open, else by resuming the invocation if it is suspended on it.
   * `live` replaces the frame sent to the live attempt (V7 run acks).
   */
  deliver(
    invocation: Invocation,
    type: number,
    leaf: Leaf,
    result: NotificationResult,
    live?: Uint8Array,
  ): void {
    if (invocation.status === "completed") return;
    const payload = encodeNotification(leaf, result, this.version);
    if (!invocation.appendNotification(type, leaf, payload, this.clock.now())) return;
    this.#activity.bump();
    const attempt = invocation.live;
    if (attempt?.isInputOpen) attempt.push(live ?? encodeFrame(type, payload));
    else if (invocation.status === "suspended" && invocation.awaiting.includes(leafKey(leaf))) {
      this.#resume(invocation);
    }
  }

  /** Schedules `fire` at virtual time `at` (at once if that is not in the future). */
  setTimer(at: number, fire: () => void): TimerHandle {
    const timer = this.clock.schedule(at, fire);
    if (at <= this.clock.now()) this.job(() => this.fireDue());
    return timer;
  }

  /** Fires every timer due at the current virtual time. */
  fireDue(): void {
    for (const fire of this.clock.takeDue()) fire();
  }

  /** Runs `fn` in a microtask, counted as pending work until it ran. */
  job(fn: () => void): void {
    this.#activity.job(fn);
  }

  /** Counts `work` (a mock implementation) as pending until it settles. */
  busy<T>(work: Promise<T>): Promise<T> {
    return this.#activity.track(work);
  }

  /**
   * Resolves once nothing runs any more: every invocation completed, suspended, backing off or
   * waiting for virtual time. Rejects with the first internal error of the runtime, if any.
   */
  idle(): Promise<void> {
    return this.#activity.idle(() => this.#live.size === 0);
  }
}
