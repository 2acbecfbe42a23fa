// SPDX-License-Identifier: MIT
// What happens to an invocation from outside its handler: failed attempts (retry, pause, kill per
// the retry policy), cancellation and kill.
import { SIGNAL_NOTIFICATION_TYPE } from "../journal/message-types.js";
import { NonDeterminismError } from "./reported-errors.js";
import { type AttemptFailure, type Invocation, failure } from "./invocation.js";
import { nextRetry } from "./retry.js";
import type { Runtime } from "./runtime.js";

/** Records a failed attempt, then retries (on the virtual clock), pauses or kills. */
export function recordFailure(
  rt: Runtime,
  invocation: Invocation,
  fields: Omit<AttemptFailure, "attempt" | "at">,
): void {
  const record: AttemptFailure = { ...fields, attempt: invocation.attempts, at: rt.clock.now() };
  invocation.failures.push(record);
  if (record.code === 570) {
    // A journal mismatch never heals by retrying the same code: report it to the test.
    invocation.fatal = new NonDeterminismError(invocation.id, record);
    rt.complete(invocation, failure(570, record.message));
    return;
  }
  const service = rt.services.get(invocation.target.service);
  const policies = [
    invocation.handler?.options.retryPolicy,
    service?.options.retryPolicy,
    rt.options.retryPolicy,
  ];
  const step = nextRetry(policies, invocation.failures.length, record.nextRetryDelay);
  if (step.kind === "kill") {
    rt.complete(invocation, failure(record.code, record.message));
  } else if (step.kind === "pause") {
    invocation.pause(record);
  } else {
    invocation.status = "backing-off";
    invocation.retriesSinceLastEntry++;
    const at = rt.clock.now() + step.delayMs;
    invocation.timer = rt.setTimer(at, () => rt.restart(invocation));
  }
}

/**
 * Cancels like the admin API: an invocation that has not started completes with `[409]
 * Cancelled` at once; a started one gets the cancel signal (index 1) and handles it itself.
 */
export function cancel(rt: Runtime, invocation: Invocation): boolean {
  const { status } = invocation;
  if (status === "completed") return false;
  if (status === "scheduled" || status === "inboxed" || invocation.handler === undefined) {
    rt.complete(invocation, failure(409, "Cancelled"));
    return true;
  }
  rt.deliver(invocation, SIGNAL_NOTIFICATION_TYPE, { kind: "signal", id: 1 }, { kind: "void" });
  if (status === "paused") rt.restart(invocation);
  return true;
}

/** Kills the invocation and the calls it waits for, without running more user code. */
export function kill(rt: Runtime, invocation: Invocation): boolean {
  if (invocation.status === "completed") return false;
  const attempt = invocation.live;
  rt.complete(invocation, failure(409, "killed"));
  attempt?.abort("killed");
  for (const id of invocation.calls) {
    const callee = rt.invocations.get(id);
    if (callee !== undefined) kill(rt, callee);
  }
  return true;
}
