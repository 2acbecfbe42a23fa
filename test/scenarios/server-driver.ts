// SPDX-License-Identifier: MIT
// The scenario driver over a real restate-server (started by the e2e support), driven like a user
// would: through our typed ingress and admin clients (`restate-hono/clients`).
import { definitionRecord } from "../../src/definitions/service.js";
import { connect, connectAdmin, isHttpCallError, sqlString } from "../../src/clients/index.js";
import { json } from "../../src/serde/json.js";
import type { TestEnv } from "../e2e/support.js";
import type { AttemptFailureInfo, Outcome, ScenarioDriver, Target } from "./driver.js";

/** How often `until` looks again. */
const POLL_MS = 50;
/**
 * The least real time `until` waits: a bound in virtual time is exact, but on a real server each
 * step also pays for HTTP round trips and the server's own scheduling.
 */
const MIN_UNTIL_MS = 10_000;

/** The server's error code for a journal mismatch, which the SDK reports with code 570. */
const JOURNAL_MISMATCH = "RT0016";

/**
 * A driver over a running server and endpoint.
 *
 * @example
 * const env = await startEnv(SCENARIO_SERVICES);
 * const driver = serverDriver(env);
 */
export function serverDriver(env: TestEnv): ScenarioDriver {
  const ingress = connect({ url: env.server.ingressUrl });
  const admin = connectAdmin({ url: env.server.adminUrl });

  const client = (target: Target, key: string | undefined) => {
    const ref = { name: target.name };
    if (definitionRecord(target).kind === "service") return ingress.serviceClient(ref);
    if (key === undefined) throw new TypeError(`${target.name} needs a key`);
    return definitionRecord(target).kind === "object"
      ? ingress.objectClient(ref, key)
      : ingress.workflowClient(ref, key);
  };
  const sendClient = (target: Target, key: string | undefined) => {
    const ref = { name: target.name };
    if (definitionRecord(target).kind === "service") return ingress.serviceSendClient(ref);
    if (key === undefined) throw new TypeError(`${target.name} needs a key`);
    return definitionRecord(target).kind === "object"
      ? ingress.objectSendClient(ref, key)
      : ingress.workflowSendClient(ref, key);
  };
  const outcomeOf = (promise: Promise<unknown>): Promise<Outcome> =>
    promise.then((value) => ({ status: "ok", value }), failedOutcome);

  return {
    now: () => Date.now(),
    call(target, handler, input, options = {}) {
      const { key, idempotencyKey } = options;
      const call = client(target, key)[handler];
      if (call === undefined) throw new TypeError(`No handler ${handler}`);
      return outcomeOf(call(input, idempotencyKey !== undefined ? { idempotencyKey } : {}));
    },
    async send(target, handler, input, options = {}) {
      const { key, idempotencyKey, delay } = options;
      const send = sendClient(target, key)[handler];
      if (send === undefined) throw new TypeError(`No handler ${handler}`);
      const { invocationId, status } = await send(input, {
        ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
        ...(delay !== undefined ? { delay } : {}),
      });
      return { invocationId, status };
    },
    attach: (id) => outcomeOf(ingress.attach(id)),
    async output(id) {
      try {
        const out = await ingress.output(id);
        return out.ready ? { status: "ok", value: out.result } : undefined;
      } catch (error) {
        return failedOutcome(error);
      }
    },
    cancel: (id) => unlessCompleted(admin.cancelInvocation(id)),
    kill: (id) => unlessCompleted(admin.killInvocation(id)),
    resolveAwakeable: (id, value) => ingress.resolveAwakeable(id, value),
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    async state(target, key) {
      const rows = await admin.query<{ key: string; value: string }>(
        `SELECT key, value FROM state WHERE service_name = ${sqlString(target.name)} ` +
          `AND service_key = ${sqlString(key)}`,
      );
      return Object.fromEntries(
        rows.map((row) => [row.key, json.deserialize(hexBytes(row.value))]),
      );
    },
    async lastFailure(id) {
      const row = await admin.getInvocation(id);
      if (row?.lastFailure === undefined) return undefined;
      return failureInfo(row.lastFailureErrorCode, row.lastFailure);
    },
    async until(probe, { within, what }) {
      const deadline = Date.now() + Math.max(within, MIN_UNTIL_MS);
      for (;;) {
        const value = await probe();
        if (value !== undefined) return value;
        if (Date.now() >= deadline) throw new Error(`Still waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
  };
}

/** True once the admin API accepted the action; false for its 409 "already completed". */
function unlessCompleted(action: Promise<void>): Promise<boolean> {
  return action.then(
    () => true,
    (error: unknown) => {
      if (isHttpCallError(error) && error.status === 409) return false;
      throw error;
    },
  );
}

/** A terminal failure the invocation answered with; anything else is a test failure. */
function failedOutcome(error: unknown): Outcome {
  if (isHttpCallError(error) && error.source === "invocation") {
    return { status: "failed", code: error.status, message: error.message };
  }
  throw error;
}

/**
 * `sys_invocation.last_failure` as `{ code, message }`. The server writes the SDK's error as
 * `[570 Journal mismatch] message\nstacktrace` and files a journal mismatch under its own error
 * code, RT0016. The stack trace starts with `Name: ` and the message's first line again.
 */
function failureInfo(errorCode: string | undefined, text: string): AttemptFailureInfo {
  const match = /^\[(\d+)[^\]]*\]\s*/.exec(text);
  // The SDK's own code comes first: a mismatch must carry 570, not just the server's RT0016.
  const code = match !== null ? Number(match[1]) : errorCode === JOURNAL_MISMATCH ? 570 : 500;
  const body = match === null ? text : text.slice(match[0].length);
  const firstLine = body.split("\n", 1)[0] ?? "";
  const stackAt = body.indexOf(`: ${firstLine}`, 1);
  const lineStart = stackAt < 0 ? -1 : body.lastIndexOf("\n", stackAt);
  const isStack = lineStart >= 0 && /^\n\w+$/.test(body.slice(lineStart, stackAt));
  return { code, message: isStack ? body.slice(0, lineStart) : body };
}

/** The query API renders binary columns as hex. */
function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) =>
    parseInt(hex.slice(2 * i, 2 * i + 2), 16),
  );
}
