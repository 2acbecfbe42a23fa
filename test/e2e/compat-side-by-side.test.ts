// SPDX-License-Identifier: MIT
// Compatibility side by side: the same services run on the official SDK and on restate-hono,
// both behind one real restate-server, and every scenario must end the same way on both: what
// the caller gets, or, when the attempt ends on a retryable failure, what the server records of
// it (the failure's first line and the related command). The polyfill must be the first import
// (Node 20).
import "../../bench/polyfill.js";
import { randomUUID } from "node:crypto";
import * as official from "@restatedev/restate-sdk";
import * as officialClients from "@restatedev/restate-sdk-clients";
import * as oursClients from "../../src/clients/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ours from "../../src/node.js";
import { waitFor } from "../../dev/restate-server.js";
import { type ServerEnv, registerHttp2Handler, sqlId, startServerEnv } from "./support.js";
import { SLEEP_DURATIONS, defineCompatServices } from "./compat-services.js";
import { DeterministicRandom, runtimeSeed } from "../../src/journal/rand.js";
import { invocationIdBytes } from "../../src/testing/ids.js";

const PREFIXES = ["Official", "Ours"] as const;

let env: ServerEnv;

beforeAll(async () => {
  env = await startServerEnv();
  await registerHttp2Handler(
    env,
    official.createEndpointHandler({ services: defineCompatServices(official, "Official") }),
  );
  await registerHttp2Handler(
    env,
    ours.createEndpointHandler({ services: defineCompatServices(ours, "Ours") }),
  );
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

/** The answer to one call, with the side's prefix taken out. */
async function call(prefix: string, path: string, body?: unknown) {
  const reply = await env.ingress(`/${prefix}${path}`, body);
  return { status: reply.status, body: reply.text.replaceAll(prefix, "") };
}

/**
 * Sends `path` and waits until the server has retried it twice (or it finished): its status, and
 * the last failure as the server records it, with the related command; `output` is the attached
 * answer of a completed invocation.
 */
async function failure(prefix: string, path: string, body?: unknown) {
  const sent = await env.ingress(`/${prefix}${path}/send`, body);
  expect(sent.status).toBe(202);
  const id = (sent.json as { invocationId: string }).invocationId;
  await waitFor(
    async () => {
      const row = await env.invocation(id);
      return row?.["status"] === "completed" || Number(row?.["retry_count"] ?? 0) >= 2;
    },
    { message: `${prefix}${path} retried` },
  );
  const row = (await env.invocation(id))!;
  const isCompleted = row["status"] === "completed";
  if (!isCompleted) await env.admin("PATCH", `/invocations/${id}/kill`);
  const output = isCompleted
    ? await (await env.ingressRaw(`/restate/invocation/${id}/attach`, { method: "GET" })).text()
    : undefined;
  const text = (v: unknown) => (typeof v === "string" ? v.replaceAll(prefix, "") : v);
  return {
    status: isCompleted ? "completed" : "retrying",
    output,
    failure: text(firstLine(row["last_failure"])),
    code: row["last_failure_error_code"],
    index: row["last_failure_related_command_index"],
    name: text(row["last_failure_related_command_name"]),
    type: row["last_failure_related_command_type"],
  };
}

/** The first line of a failure text (the rest is the stack, which differs between the SDKs). */
const firstLine = (v: unknown) => (typeof v === "string" ? v.split("\n")[0] : "");

async function bothFail(path: string, body?: unknown) {
  const [theirs, mine] = [await failure("Official", path, body), await failure("Ours", path, body)];
  expect(mine).toEqual(theirs);
  return theirs;
}

async function bothAnswer(path: string, body?: unknown) {
  const [theirs, mine] = [await call("Official", path, body), await call("Ours", path, body)];
  expect(mine).toEqual(theirs);
  return theirs;
}

describe("a .map() mapper that throws", () => {
  it("a non-terminal error ends the attempt (retried), as the official SDK does", async () => {
    await bothFail("Compat/mapperThrows");
  });
  it("a terminal error rejects the await", async () => {
    await bothAnswer("Compat/mapperThrowsTerminal");
  });
  it("the mapper sees a terminal failure", async () => {
    await bothAnswer("Compat/mapperSeesFailure");
  });
});

describe("ctx.sleep with odd durations", () => {
  it.each(Object.keys(SLEEP_DURATIONS))("%s", async (name) => {
    await bothFail("Compat/sleep", name);
  });
});

describe("orTimeout and a send's delay with odd durations", () => {
  it.each(["negative", "nan", "undefined"])("orTimeout(%s)", async (name) => {
    await bothFail("Compat/timeout", name);
  });
  it.each(["zero", "negative", "nan", "objectNegative", "infinity"])(
    "a send delayed by %s",
    async (name) => {
      const rows = [];
      for (const prefix of PREFIXES) {
        const { output, ...run } = await failure(prefix, "Compat/sendDelayed", name);
        const sent =
          output !== undefined ? await env.invocation(JSON.parse(output) as string) : undefined;
        rows.push({ ...run, sent: sent?.["status"] === "scheduled" ? "scheduled" : "at once" });
      }
      expect(rows[1]).toEqual(rows[0]);
    },
  );
});

describe("ctx.run retry options", () => {
  it("a run out of attempts fails with the same terminal error", async () => {
    const answer = await bothFail("Compat/runExhausted");
    expect(answer.status).toBe("completed");
  });
});

describe("retryable failures name the related command", () => {
  it.each(["runFails", "afterAwait", "unreadableRun", "unwritableRun"])("%s", async (h) => {
    await bothFail(`Compat/${h}`);
  });
  it.each(["unwritableState", "unreadableState"])("%s", async (h) => {
    await bothFail(`CompatObj/${randomUUID()}/${h}`);
  });
});

describe("ctx.resolveAwakeable without a value", () => {
  it.each(["awakeableNoValue", "awakeableNoValueSerde"])("%s", async (h) => {
    await bothAnswer(`Compat/${h}`);
  });
});

describe("ctx.attach", () => {
  it.each(["attachOk", "attachFailed"])("%s", async (h) => {
    await bothAnswer(`Compat/${h}`);
  });
  it("an unknown invocation id", async () => {
    await bothAnswer("Compat/attachUnknown", "inv_1b2OhQUCwoKu5xIGrfQRIJ6lWL4fe6y5oN");
  });
});

describe("ctx.rand", () => {
  it("the same draws from the seed the server derives from the invocation id", async () => {
    const draws = [];
    for (const prefix of PREFIXES) {
      const reply = await call(prefix, "Compat/rand");
      expect(reply.status).toBe(200);
      const { id, ...drawn } = JSON.parse(reply.body) as { id: string };
      // What the seed the server derives from this id gives: the official side proves that this
      // is what the official SDK draws, and ours must draw the same.
      const rand = new DeterministicRandom(runtimeSeed(invocationIdBytes(id)!));
      draws.push([drawn, { random: [rand.random(), rand.random()], uuid: rand.uuidv4() }]);
    }
    const [[official1, expected1], [ours1, expected2]] = draws as [
      [unknown, unknown],
      [unknown, unknown],
    ];
    expect(official1).toEqual(expected1);
    expect(ours1).toEqual(expected2);
  });
});

describe("workflow durable promises", () => {
  it("get, peek, resolve, reject, twice, from a shared handler", async () => {
    const results = [];
    for (const prefix of PREFIXES) {
      const key = randomUUID();
      const sent = await env.ingress(`/${prefix}Flow/${key}/run/send`);
      expect(sent.status).toBe(202);
      const before = await call(prefix, `Flow/${key}/peekQ`);
      const resolved = await call(prefix, `Flow/${key}/resolveQ`, "hello");
      const again = await call(prefix, `Flow/${key}/resolveQ`, "again");
      const after = await call(prefix, `Flow/${key}/peekQ`);
      const id = (sent.json as { invocationId: string }).invocationId;
      const response = await env.ingressRaw(`/restate/invocation/${id}/attach`, { method: "GET" });
      const run = await response.text();
      // The commands the run journaled, so that an invocation can move between the SDKs.
      const entries = await env.server.query<{ entry_type: string; name: string | null }>(
        `SELECT entry_type, name FROM sys_journal WHERE id = '${sqlId(id)}' ` +
          `AND entry_type LIKE 'Command%' ORDER BY index`,
      );
      const journal = entries.map((e) => `${e.entry_type} ${e.name ?? ""}`);
      results.push({ before, resolved, again, after, run, journal });
    }
    expect(results[1]).toEqual(results[0]);
  });
});

describe("the ingress clients' headers, as the handler sees them", () => {
  it.each([
    ["a connection header and a call header in another case", { "X-Tenant": "a" }, {}],
    ["a connection content-type beside the serde's", { "content-type": "text/x" }, {}],
    ["an Idempotency-Key header beside the option", {}, { "Idempotency-Key": "h" }],
  ])("%s", async (_name, connection, call) => {
    const seen = [];
    for (const [prefix, clients] of [
      ["Official", officialClients],
      ["Ours", oursClients],
    ] as const) {
      const ingress = clients.connect({ url: env.server.ingressUrl, headers: connection });
      const opts = clients.rpc.opts({
        headers: { "x-tenant": "b", ...call },
        idempotencyKey: randomUUID(),
      });
      // Both clients' typed clients, seen from here: the handler's name is enough.
      const echo = (ingress.serviceClient as (def: object) => unknown)({
        name: `${prefix}Compat`,
      }) as { headers(input: string, opts: unknown): Promise<unknown> };
      seen.push(
        await echo.headers("x", opts).then(
          (headers) => JSON.stringify(headers).replace(/[0-9a-f-]{36}/g, "<key>"),
          (e: { status?: number; responseText?: string }) => `${e.status} ${e.responseText}`,
        ),
      );
    }
    expect(seen[1]).toEqual(seen[0]);
  });
});
