// SPDX-License-Identifier: MIT
// Explicit cancellation (`internal.ContextInternal`) and `onJournalMismatchErrors`, side by side:
// the same services run on the official SDK and on restate-hono behind one real restate-server
// with protocol V7 on, and every scenario must end the same way on both. A third endpoint of ours
// speaks V5..V6 only, for the fallback before V7. The polyfill must be the first import (Node 20).
import "../../bench/polyfill.js";
import { randomUUID } from "node:crypto";
import * as official from "@restatedev/restate-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ours from "../../src/index.js";
import { type ServerEnv, registerHttp2Handler, sqlId, startServerEnv } from "./support.js";
import { waitFor } from "../../dev/restate-server.js";
import {
  MISMATCH_BEHAVIORS,
  type MismatchBehavior,
  defineCancelServices,
} from "./cancellation-services.js";

/** One SDK's services behind its own endpoint. */
interface Side {
  readonly prefix: string;
  readonly log: string[];
}

let env: ServerEnv;
const sides = new Map<string, Side>();

/** The official SDK's services on an HTTP/2 server of this test (it advertises V5..V7). */
async function serveOfficial(prefix: string): Promise<Side> {
  const { definitions, log } = defineCancelServices(official, prefix);
  await registerHttp2Handler(
    env,
    official.createEndpointHandler({
      services: definitions,
    }),
  );
  return { prefix, log };
}

/** Our services on our endpoint, advertising protocol versions `5..max`. */
async function serveOurs(prefix: string, max: 6 | 7): Promise<Side> {
  const { definitions, log } = defineCancelServices(ours, prefix);
  const ep = ours.endpoint().protocolVersions(5, max);
  for (const definition of definitions) ep.bind(definition);
  const port = await ep.listen(0);
  await env.register(`http://127.0.0.1:${port}`, { http11: false, stop: () => ep.close(1000) });
  return { prefix, log };
}

beforeAll(async () => {
  env = await startServerEnv({ enableProtocolV7: true });
  sides.set("official", await serveOfficial("Official"));
  sides.set("ours", await serveOurs("Ours", 7));
  sides.set("ours on V6", await serveOurs("OursV6", 6));
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

const side = (name: string): Side => sides.get(name)!;

async function send(path: string, key: string): Promise<string> {
  const reply = await env.ingress(`${path}/send`, key);
  expect(reply.status).toBe(202);
  return (reply.json as { invocationId: string }).invocationId;
}

async function attach(id: string): Promise<{ status: number; json: unknown }> {
  const response = await env.ingressRaw(`/restate/invocation/${id}/attach`, { method: "GET" });
  const text = await response.text();
  return { status: response.status, json: text === "" ? undefined : JSON.parse(text) };
}

async function cancel(id: string): Promise<void> {
  expect((await env.admin("PATCH", `/invocations/${id}/cancel`)).status).toBe(202);
}

const logged = (s: Side, line: string) =>
  waitFor(async () => s.log.includes(line), { message: `${s.prefix}: ${line}` });

/** Cancels `guard` twice: the first cancel is cleaned up after, the second ends the handler. */
async function guardScenario(s: Side) {
  const key = randomUUID();
  const id = await send(`/${s.prefix}Guarded/guard`, key);
  await logged(s, `started ${key}`);
  await cancel(id);
  await logged(s, `cleanup ${key} cancelled`);
  await cancel(id);
  const outcome = await attach(id);
  const row = await env.invocation(id);
  return { outcome, status: row?.["status"], cleanups: s.log.filter((l) => l.includes(key)) };
}

/** `spawn` calls the child and cancels it with `cancelPreviousCalls()`. */
async function spawnScenario(s: Side) {
  const key = randomUUID();
  const reply = await env.ingress(`/${s.prefix}Parent/spawn`, key);
  await logged(s, `child ${key} saw 409 Cancelled`);
  return { status: reply.status, json: reply.json };
}

/**
 * Cancels `fan` (implicit mode) while it sleeps after a finished call and a running one: which
 * calls its journal cancels, in order, and how the invocation ends.
 */
async function fanoutScenario(s: Side) {
  const key = randomUUID();
  const id = await send(`/${s.prefix}Fanout/fan`, key);
  const line = () => s.log.find((l) => l.startsWith(`fanned ${key} `));
  await waitFor(async () => line() !== undefined, { message: `${s.prefix}: fanned ${key}` });
  const [quickId, holdId] = line()!.split(" ").slice(2);
  await cancel(id);
  const outcome = await attach(id);
  await logged(s, `child ${key} saw 409 Cancelled`);
  const rows = await env.server.query<{ entry_json: string }>(
    `SELECT entry_json FROM sys_journal WHERE id = '${sqlId(id)}' ` +
      `AND entry_type = 'Command: SendSignal' ORDER BY index`,
  );
  const cancelled = rows.map((row) => {
    const signal = (
      JSON.parse(row.entry_json) as { Command: { SendSignal: Record<string, unknown> } }
    ).Command.SendSignal;
    const target = signal["target_invocation_id"];
    return `${target === quickId ? "quick" : target === holdId ? "hold" : String(target)} ${JSON.stringify(signal["signal_id"])}`;
  });
  return { status: outcome.status, cancelled };
}

/** How the server holds a `drift` invocation whose replay no longer matches its journal. */
async function mismatchScenario(s: Side, behavior: MismatchBehavior) {
  const id = await send(`/${s.prefix}Mismatch${behavior}/drift`, randomUUID());
  const settled = async () => {
    const row = await env.invocation(id);
    if (row?.["status"] === "paused" || row?.["status"] === "completed") return true;
    return Number(row?.["retry_count"] ?? 0) >= 3;
  };
  await waitFor(settled, { message: `${s.prefix} ${behavior} settled` });
  const row = (await env.invocation(id))!;
  const failure = row["completion_failure"];
  const result = {
    status:
      row["status"] === "backing-off" || row["status"] === "running" ? "retrying" : row["status"],
    failure: typeof failure === "string" ? failure.slice(0, 5) : "",
    errorCode: row["last_failure_error_code"],
    protocol: Number(row["pinned_service_protocol_version"]),
  };
  if (row["status"] !== "completed") {
    await env.admin("PATCH", `/invocations/${id}/kill`);
  }
  return result;
}

describe("explicit cancellation: restate-hono and the official SDK side by side", () => {
  it("races a sleep against cancellation(), cleans up, then sees the next cancel", async () => {
    const expected = await guardScenario(side("official"));
    const actual = await guardScenario(side("ours"));
    expect(expected.outcome).toEqual({
      status: 200,
      json: "cleaned up after cancelled; then cancelled again",
    });
    expect(actual.outcome).toEqual(expected.outcome);
    expect(actual.status).toBe(expected.status);
    expect(actual.cleanups.map((l) => l.split(" ")[0])).toEqual(["started", "cleanup"]);
    expect(actual.cleanups.length).toBe(expected.cleanups.length);
  });

  it("cancelPreviousCalls() cancels the pending call: the callee sees the cancel", async () => {
    const expected = await spawnScenario(side("official"));
    const actual = await spawnScenario(side("ours"));
    expect(expected).toEqual({
      status: 200,
      json: { cancelledTheChild: true, childFailure: "409 Cancelled" },
    });
    expect(actual).toEqual(expected);
  });
});

describe("implicit cancellation: restate-hono and the official SDK side by side", () => {
  it("a cancel reaches every call made so far, a finished one too, in call order", async () => {
    const expected = await fanoutScenario(side("official"));
    const actual = await fanoutScenario(side("ours"));
    expect(expected).toEqual({ status: 409, cancelled: ['quick {"Index":1}', 'hold {"Index":1}'] });
    expect(actual).toEqual(expected);
  });
});

describe("onJournalMismatchErrors: restate-hono and the official SDK side by side", () => {
  const EXPECTED: Readonly<Record<MismatchBehavior, string>> = {
    retry: "retrying",
    pause: "paused",
    fail: "completed",
  };

  it.each(MISMATCH_BEHAVIORS)("%s on V7: the same server state", async (behavior) => {
    const expected = await mismatchScenario(side("official"), behavior);
    const actual = await mismatchScenario(side("ours"), behavior);
    expect(expected).toMatchObject({ status: EXPECTED[behavior], protocol: 7 });
    expect(actual).toEqual(expected);
    if (behavior === "fail") expect(actual.failure).toBe("[570]");
  });

  it.each(MISMATCH_BEHAVIORS)(
    "%s before V7: retried, as the official core falls back",
    async (b) => {
      const result = await mismatchScenario(side("ours on V6"), b);
      expect(result).toMatchObject({ status: "retrying", protocol: 6, failure: "" });
    },
  );
});
