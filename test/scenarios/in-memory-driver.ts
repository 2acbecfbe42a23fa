// SPDX-License-Identifier: MIT
// The scenario driver over the in-memory runtime: `TestEnvironment` on a virtual clock.
import { definitionRecord } from "../../src/definitions/service.js";
import { isTerminalError } from "../../src/index.js";
import {
  NonDeterminismError,
  type TestEnvironmentOptions,
  TestEnvironment,
} from "../../src/testing/index.js";
import type { Outcome, ScenarioDriver, Target } from "./driver.js";

/** Virtual time `until` lets pass between two looks. */
const UNTIL_STEP_MS = 50;

/**
 * A driver over a fresh `TestEnvironment` running `options.services`.
 *
 * @example
 * const { driver } = await inMemoryDriver({ services: SCENARIO_SERVICES });
 */
export async function inMemoryDriver(
  options: Partial<TestEnvironmentOptions>,
): Promise<{ driver: ScenarioDriver; env: TestEnvironment }> {
  const env = await TestEnvironment.start(options);

  const sendClient = (target: Target, key: string | undefined) => {
    if (definitionRecord(target).kind === "service") return env.serviceSendClient(target.name);
    if (key === undefined) throw new TypeError(`${target.name} needs a key`);
    return definitionRecord(target).kind === "object"
      ? env.objectSendClient(target.name, key)
      : env.workflowSendClient(target.name, key);
  };
  const outcomeOf = (promise: Promise<unknown>): Promise<Outcome> =>
    promise.then((value) => ({ status: "ok", value }), failedOutcome);

  const driver: ScenarioDriver = {
    now: () => env.now(),
    async call(target, handler, input, options = {}) {
      const { key, idempotencyKey } = options;
      const send = sendClient(target, key)[handler];
      if (send === undefined) throw new TypeError(`No handler ${handler}`);
      const handle = send(input, idempotencyKey !== undefined ? { idempotencyKey } : {});
      return outcomeOf(env.result(handle));
    },
    async send(target, handler, input, options = {}) {
      const { key, idempotencyKey, delay } = options;
      const send = sendClient(target, key)[handler];
      if (send === undefined) throw new TypeError(`No handler ${handler}`);
      const { invocationId, status } = send(input, {
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        ...(delay !== undefined ? { delay } : {}),
      });
      return { invocationId, status };
    },
    attach: (id) => outcomeOf(env.attach(id)),
    async output(id) {
      await env.idle();
      try {
        const out = env.output(id);
        return out.ready ? { status: "ok", value: out.value } : undefined;
      } catch (error) {
        return failedOutcome(error);
      }
    },
    async cancel(id) {
      const isAccepted = env.cancel(id);
      await env.idle();
      return isAccepted;
    },
    async kill(id) {
      const isAccepted = env.kill(id);
      await env.idle();
      return isAccepted;
    },
    async resolveAwakeable(id, value) {
      env.resolveAwakeable(id, value);
      await env.idle();
    },
    elapse: (ms) => env.advance(ms),
    async state(target, key) {
      await env.idle();
      return env.state(target.name, key).all();
    },
    async lastFailure(id) {
      await env.idle();
      const last = env.invocation(id).failures.at(-1);
      return last === undefined ? undefined : { code: last.code, message: last.message };
    },
    async until(probe, { within, what }) {
      for (let waited = 0; ; waited += UNTIL_STEP_MS) {
        await env.idle();
        const value = await probe();
        if (value !== undefined) return value;
        if (waited >= within) throw new Error(`Still waiting for ${what} after ${within} ms`);
        await env.advance(UNTIL_STEP_MS);
      }
    },
  };
  return { driver, env };
}

/** A terminal failure, or a journal mismatch (which the server also reports as 570). */
function failedOutcome(error: unknown): Outcome {
  if (isTerminalError(error) || error instanceof NonDeterminismError) {
    return { status: "failed", code: error.code, message: error.message };
  }
  throw error;
}
