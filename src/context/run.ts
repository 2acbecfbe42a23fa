// SPDX-License-Identifier: MIT
// Executing a `ctx.run` closure once, proposing its result, and applying its retry policy.
import type { JournalVm } from "../journal/vm.js";
import { CommandType } from "../journal/message-types.js";
import { ProtocolError } from "../journal/errors.js";
import {
  ensureError,
  isPauseError,
  isTerminalError,
  retryDelayOf,
  type TerminalError,
} from "../errors.js";
import type { Serde } from "../serde/serde.js";
import type { Scheduler } from "./scheduler.js";
import type { RunOptions } from "./run-options.js";
import type { RunAction } from "./types.js";
import { fixedDelayPolicy, makeRetryPolicy } from "./retry-policy.js";
import { failureOf, toTerminal } from "./failures.js";
import type { AttemptHooks } from "./attempt-hooks.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";

/** Everything one run needs; built by the context at `ctx.run` time. */
export interface RunJob<T> {
  readonly vm: JournalVm;
  readonly scheduler: Scheduler;
  readonly completionId: number;
  readonly commandIndex: number;
  readonly name: string;
  readonly action: RunAction<T>;
  readonly serde: Serde<T>;
  readonly options: RunOptions<T> | undefined;
  /** The closure's `{ signal }` is built only if the closure reads it. */
  readonly signals: { readonly runSignal: AbortSignal };
  /** Test-only: an error to fail with instead of running the closure. */
  readonly fault?: (name: string) => Error | undefined;
  /** The run interceptors, when the handler has any. */
  readonly hooks?: AttemptHooks;
  /** The handler's `asTerminalError` option: maps what the closure throws to a terminal error. */
  readonly asTerminalError?: (error: unknown) => TerminalError | undefined;
  /** Encodes the serialized result before it is proposed, when the endpoint has a codec. */
  readonly valueCodec?: JournalValueCodec;
}

/** Runs the closure, then proposes its value or failure (or fails the attempt to retry). */
export async function executeRun<T>(job: RunJob<T>): Promise<void> {
  const { vm, scheduler } = job;
  scheduler.closureStarted();
  const startedAt = Date.now();
  try {
    const { signals } = job;
    const fault = job.fault?.(job.name);
    if (fault !== undefined) throw fault;
    const runContext = {
      get signal() {
        return signals.runSignal;
      },
    };
    const value =
      job.hooks === undefined
        ? await job.action(runContext)
        : await intercepted(job, job.hooks, runContext);
    if (vm.isClosed) return;
    proposeValue(job, value);
  } catch (e) {
    if (vm.isClosed) return;
    onRunFailure(job, e, Date.now() - startedAt);
  } finally {
    scheduler.closureFinished();
  }
}

/** The closure inside the run interceptors; what they throw is the run's failure. */
async function intercepted<T>(
  job: RunJob<T>,
  hooks: AttemptHooks,
  runContext: { readonly signal: AbortSignal },
): Promise<T> {
  const result: Array<{ value: T }> = [];
  const info = { retryCount: job.vm.runRetryInfo(job.completionId).retryCount };
  await hooks.aroundRun(
    job.name,
    async () => {
      result.push({ value: await job.action(runContext) });
    },
    info,
  );
  const done = result[0];
  if (done === undefined) throw new Error(`A run interceptor did not call next() ("${job.name}")`);
  return done.value;
}

/**
 * Proposes the closure's value. A value the serde (or the codec) cannot write is not a failure of
 * the closure: as with the official SDK it ends the attempt with no related command, and the run's
 * retry policy does not count it.
 */
function proposeValue<T>(job: RunJob<T>, value: T): void {
  let bytes: Uint8Array;
  try {
    const serialized = job.serde.serialize(value);
    bytes = job.valueCodec === undefined ? serialized : job.valueCodec.encode(serialized);
  } catch (e) {
    const error = ensureError(e);
    job.vm.fail(
      new ProtocolError(
        500,
        error.message,
        error.stack !== undefined ? { stack: error.stack } : {},
      ),
    );
    return;
  }
  job.vm.proposeRun(job.completionId, { value: bytes });
}

function onRunFailure<T>(job: RunJob<T>, thrown: unknown, durationMs: number): void {
  const { vm } = job;
  const e = toTerminal(thrown, job.asTerminalError);
  if (isTerminalError(e)) {
    vm.proposeRun(job.completionId, { failure: failureOf(e) });
    return;
  }
  const error = ensureError(e);
  const relatedCommand = {
    index: job.commandIndex,
    type: CommandType.Run,
    ...(job.name ? { name: job.name } : {}),
  };
  const stack = error.stack !== undefined ? { stack: error.stack } : {};
  if (isPauseError(error)) {
    // The invocation pauses until resumed; before V7 the engine reports that it cannot
    // (docs/protocol.md §8.3) and the runtime retries.
    vm.fail(new ProtocolError(500, error.message, { relatedCommand, ...stack, behavior: "pause" }));
    return;
  }
  const retryAfter = retryDelayOf(error);
  const policy =
    retryAfter !== undefined
      ? fixedDelayPolicy(retryAfter, job.options)
      : makeRetryPolicy(job.options);
  const previous = vm.runRetryInfo(job.completionId);
  const decision = policy.next(previous.retryCount + 1, previous.durationMs + durationMs);
  if (decision.kind === "terminal") {
    vm.proposeRun(job.completionId, { failure: { code: 500, message: error.message } });
    return;
  }
  vm.fail(
    new ProtocolError(500, error.message, {
      relatedCommand,
      ...(decision.delayMs !== undefined ? { nextRetryDelayMs: decision.delayMs } : {}),
      ...stack,
    }),
  );
}
