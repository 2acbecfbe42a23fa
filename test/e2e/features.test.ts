// SPDX-License-Identifier: MIT
// Features beyond the core suite, against the real server: suspension of a long sleep, lazy state,
// run retry policies, deterministic rand/date, replay-silent logging, serdes and the manifest as
// the admin API shows it, bad input on the wire, and endpoints of other shapes (mounted in a
// user's Hono app, a plain fetch handler over HTTP/1.1, a V5-only deployment).
import { randomUUID } from "node:crypto";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { decode as msgpackDecode, encode as msgpackEncode } from "@msgpack/msgpack";
import { getRequestListener, serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../dev/restate-server.js";
import { startNodeServer } from "../../src/endpoint/node-server.js";
import { SERVER_HEADER } from "../../src/endpoint/version.js";
import { FrameDecoder } from "../../src/journal/framing.js";
import { fromBinary } from "@bufbuild/protobuf";
import * as pb from "../../src/journal/gen/protocol_pb.js";
import { MessageType } from "../../src/journal/message-types.js";
import { parseAwakeableId } from "../../src/journal/ids.js";
import { DeterministicRandom, v5Seed } from "../../src/journal/rand.js";
import { endpoint } from "../../src/index.js";
import { type ServerEnv, TRANSPORTS, recordingLogger, sqlId, startServerEnv } from "./support.js";
import { greeter } from "../scenarios/services.js";
import {
  codecs,
  drawsByKey,
  executions,
  features,
  fetchSteps,
  lazyCounter,
  mountedGreeter,
  published,
  v5Steps,
} from "./services.js";

const V6 = "application/vnd.restate.invocation.v6";

/** `POST {path}/send` through the ingress; returns the invocation id. */
async function send(env: ServerEnv, path: string, body?: unknown): Promise<string> {
  const reply = await env.ingress(`${path}/send`, body);
  expect(reply.status).toBe(202);
  return (reply.json as { invocationId: string }).invocationId;
}

/** Waits for an invocation's result. */
async function attach(env: ServerEnv, id: string): Promise<unknown> {
  const response = await fetch(`${env.server.ingressUrl}/restate/invocation/${id}/attach`);
  expect(response.status).toBe(200);
  return response.json();
}

/** The entry types of an invocation's journal, in order (kept thanks to `journalRetention`). */
async function journalTypes(env: ServerEnv, id: string): Promise<string[]> {
  const rows = await env.server.query<{ entry_type: string }>(
    `SELECT entry_type FROM sys_journal WHERE id = '${sqlId(id)}' ORDER BY index`,
  );
  return rows.map((r) => r.entry_type);
}

/** Decodes the frames of an endpoint's response body. */
function framesOf(body: Uint8Array): Array<{ type: number; payload: Uint8Array }> {
  const decoder = new FrameDecoder();
  const frames = decoder.push(body);
  expect(decoder.isIdle).toBe(true);
  return frames;
}

/** POSTs `body` to the endpoint over HTTP/2 with `node:http2` (prior knowledge, like the server). */
async function http2Post(
  url: string,
  path: string,
  body: Uint8Array,
): Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: Uint8Array }> {
  const session = http2.connect(url);
  try {
    return await new Promise((resolve, reject) => {
      session.once("error", reject);
      const req = session.request({ ":method": "POST", ":path": path, "content-type": V6 });
      const chunks: Buffer[] = [];
      let headers: http2.IncomingHttpHeaders = {};
      req.once("response", (h) => (headers = h));
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.once("end", () =>
        resolve({
          status: Number(headers[":status"]),
          headers,
          body: new Uint8Array(Buffer.concat(chunks)),
        }),
      );
      req.once("error", reject);
      req.end(body);
    });
  } finally {
    session.close();
  }
}

describe.each(TRANSPORTS)("features over $name", ({ http11 }) => {
  let env: ServerEnv;
  let endpointUrl: string;
  const logger = recordingLogger();

  beforeAll(async () => {
    env = await startServerEnv({ inactivityTimeout: "2s" });
    const ep = endpoint().setLogger(logger).bind(features).bind(lazyCounter).bind(codecs);
    ep.bind(greeter);
    const port = await ep.listen(0);
    endpointUrl = `http://127.0.0.1:${port}`;
    await env.register(endpointUrl, { http11, stop: () => ep.close(1000) });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("suspends during a long sleep and completes after it", async () => {
    const key = randomUUID();
    const ms = 5_000;
    const id = await send(env, "/Features/longSleep", { key, ms });
    // HTTP/2: the server closes the idle request stream after the 2 s inactivity timeout, and the
    // endpoint suspends; HTTP/1.1: the request has ended already, so it suspends at once.
    await waitFor(async () => (await env.invocation(id))?.["status"] === "suspended", {
      timeoutMs: 4_500,
      intervalMs: 100,
      message: "status suspended",
    });
    const result = (await attach(env, id)) as { started: number; ended: number };
    expect(result.ended - result.started).toBeGreaterThanOrEqual(ms);
    // Each resumption replays the handler from the top. Bidi: the first attempt runs until the
    // inactivity timeout, the second after the wake-up. Request/response: every await of a new
    // result suspends (date.now, sleep, date.now), so four attempts.
    expect(executions.get(`${key}/attempt`)).toBe(http11 ? 4 : 2);
    expect(await env.invocation(id)).toMatchObject({ status: "completed" });
  });

  it("reads and writes lazy state across invocations (GetLazyState, GetLazyStateKeys)", async () => {
    const key = randomUUID();
    expect((await env.ingress(`/LazyCounter/${key}/get`)).json).toBeNull();
    const first = await send(env, `/LazyCounter/${key}/add`, 2);
    expect(await attach(env, first)).toBe(2);
    expect((await env.ingress(`/LazyCounter/${key}/add`, 3)).json).toBe(5);
    expect((await env.ingress(`/LazyCounter/${key}/get`)).json).toBe(5);
    const keys = await send(env, `/LazyCounter/${key}/keys`);
    expect(await attach(env, keys)).toEqual(["count", "seen-2", "seen-5"]);
    expect((await env.ingress(`/LazyCounter/${key}/clearSeen`)).json).toEqual(["count"]);
    expect((await env.ingress(`/LazyCounter/${key}/keys`)).json).toEqual(["count"]);
    // The state came from the runtime on demand, not with the StartMessage.
    expect(await journalTypes(env, first)).toEqual([
      "Command: Input",
      "Command: GetLazyState",
      "Notification: GetLazyState",
      "Command: SetState",
      "Command: SetState",
      "Command: Output",
    ]);
    expect(await journalTypes(env, keys)).toEqual([
      "Command: Input",
      "Command: GetLazyStateKeys",
      "Notification: GetLazyStateKeys",
      "Command: Output",
    ]);
  });

  it("turns a run that always fails into a terminal failure after maxRetryAttempts", async () => {
    const key = randomUUID();
    const r = await env.ingress("/Features/runAlwaysFails", key);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ code: 500, message: "run failed (execution 3)" });
    expect(executions.get(`${key}/run`)).toBe(3);
  });

  it("returns the value of a run that fails twice, then succeeds", async () => {
    const key = randomUUID();
    const r = await env.ingress("/Features/runFailsTwice", key);
    expect(r.json).toBe("succeeded on execution 3");
    expect(executions.get(`${key}/run`)).toBe(3);
  });

  it("does not retry a run that throws a TerminalError", async () => {
    const key = randomUUID();
    const r = await env.ingress("/Features/runTerminal", key);
    expect(r.json).toEqual({ code: 422, message: "do not retry me" });
    expect(executions.get(`${key}/run`)).toBe(1);
  });

  it("draws the same ctx.rand values and ctx.date.now() on every attempt", async () => {
    const key = randomUUID();
    const r = await env.ingress("/Features/deterministic", key);
    expect(r.status).toBe(200);
    const attempts = drawsByKey.get(key) ?? [];
    // Bidi: one failed attempt, then the good one; request/response also suspends on date.now().
    expect(attempts.length).toBe(2);
    expect(executions.get(`${key}/fail`)).toBe(2);
    for (const draws of attempts) expect(draws).toEqual(attempts[0]);
    expect(r.json).toEqual(attempts[0]);
    // Another invocation has another seed.
    const other = await env.ingress("/Features/deterministic", `${key}-other`);
    expect((other.json as { before: number }).before).not.toBe(attempts[0]?.before);
  });

  it("logs through ctx.console once, although the attempt is retried after the log call", async () => {
    const key = randomUUID();
    const r = await env.ingress("/Features/logOnce", key);
    expect(r.json).toBe("logged");
    expect(executions.get(`${key}/attempt`)).toBeGreaterThanOrEqual(2);
    const lines = logger.lines.filter((line) => line.includes(`log line of ${key}`));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^INFO \[Features\/logOnce\]\[inv_1\w+\] log line of /);
  });

  it("passes raw bytes through serde.binary in and out", async () => {
    const response = await env.ingressRaw("/Codecs/reverseBytes", {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: Uint8Array.of(0, 1, 2, 0xfe, 0xff),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(
      Uint8Array.of(0xff, 0xfe, 2, 1, 0),
    );
  });

  it("speaks msgpack with serde.msgpack", async () => {
    const response = await env.ingressRaw("/Codecs/msgpackEcho", {
      method: "POST",
      headers: { "content-type": "application/msgpack" },
      body: msgpackEncode({ n: 41, s: "abc", raw: Uint8Array.of(1, 2, 3) }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/msgpack");
    expect(msgpackDecode(new Uint8Array(await response.arrayBuffer()))).toEqual({
      n: 42,
      s: "ABC",
      raw: Uint8Array.of(3, 2, 1),
    });
  });

  it("answers input failing a zod schema with HTTP 400 naming the field", async () => {
    const ok = await env.ingress("/Codecs/person", { name: "Ada", age: 36 });
    expect(ok.json).toBe("Ada is 36");
    const bad = await env.ingress("/Codecs/person", { name: "Ada", age: -1 });
    expect(bad.status).toBe(400);
    const { code, message } = bad.json as { code: number; message: string };
    expect(code).toBe(400);
    expect(message).toMatch(/^Invalid input: at "age": /);
  });

  it("shows the manifest's JSON schemas and options in the admin API", async () => {
    const r = await env.admin("GET", "/services/Codecs");
    expect(r.status).toBe(200);
    const svc = r.json as { handlers: Array<Record<string, unknown>> } & Record<string, unknown>;
    expect(svc).toMatchObject({
      name: "Codecs",
      ty: "Service",
      documentation: "Serdes end to end",
      metadata: { team: "sdk" },
      public: true,
      // [observed] 1.7.12 shows "0s" for a request/response deployment, whose attempts never
      // idle: the manifest says 30000 either way.
      inactivity_timeout: http11 ? "0s" : "30s",
      abort_timeout: "2m",
      idempotency_retention: "2h",
      journal_retention: "30m",
      enable_lazy_state: false,
      retry_policy: { initial_interval: "250ms", max_attempts: 7, on_max_attempts: "Kill" },
    });
    const handler = (name: string) => svc.handlers.find((h) => h["name"] === name);
    expect(handler("person")).toMatchObject({
      documentation: "Describes a person",
      public: true,
      input_json_schema: {
        type: "object",
        properties: { name: { type: "string" }, age: { type: "integer", minimum: 0 } },
        required: ["name", "age"],
      },
      output_json_schema: { type: "string" },
    });
    expect(handler("reverseBytes")).toMatchObject({
      input_description: "application/octet-stream",
      output_description: "application/octet-stream",
    });
    expect(handler("msgpackEcho")).toMatchObject({ input_description: "application/msgpack" });
    expect(handler("internal")).toMatchObject({ public: false });
    expect(handler("internal")?.["inactivity_timeout"]).toBe(http11 ? undefined : "5s");
    // An ingress-private handler is refused by the ingress.
    const internal = await env.ingress("/Codecs/internal");
    expect(internal.status).toBe(400);
    expect(internal.json).toMatchObject({ message: "the invoked service is not public" });
    const lazy = await env.admin("GET", "/services/LazyCounter");
    expect(lazy.json).toMatchObject({
      ty: "VirtualObject",
      enable_lazy_state: true,
      journal_retention: "1h",
    });
  });

  it("answers a garbage invocation body with an ErrorMessage and keeps serving", async () => {
    const garbage = new TextEncoder().encode("definitely not restate frames");
    let status: number;
    let contentType: string | undefined;
    let server: string | undefined;
    let body: Uint8Array;
    if (http11) {
      const response = await fetch(`${endpointUrl}/invoke/Greeter/greet`, {
        method: "POST",
        headers: { "content-type": V6 },
        body: garbage,
      });
      status = response.status;
      contentType = response.headers.get("content-type") ?? undefined;
      server = response.headers.get("x-restate-server") ?? undefined;
      body = new Uint8Array(await response.arrayBuffer());
    } else {
      const response = await http2Post(endpointUrl, "/invoke/Greeter/greet", garbage);
      status = response.status;
      contentType = response.headers["content-type"];
      server = response.headers["x-restate-server"] as string | undefined;
      body = response.body;
    }
    expect(status).toBe(200);
    expect(contentType).toBe(V6);
    expect(server).toBe(SERVER_HEADER);
    const frames = framesOf(body);
    expect(frames.map((f) => f.type)).toEqual([MessageType.Error]);
    const error = fromBinary(pb.ErrorMessageSchema, frames[0]!.payload);
    expect(error.code).toBe(571);
    expect(error.message).toMatch(/exceeds the maximum message size/);
    // The process is fine: the real server still invokes the same handler.
    const r = await env.ingress("/Greeter/greet", "after garbage");
    expect(r.json).toBe("Hello after garbage!");
  });
});

describe("endpoints of other shapes", () => {
  let env: ServerEnv;
  beforeAll(async () => {
    env = await startServerEnv({});
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("serves from a user's Hono app, mounted under a prefix, over HTTP/2", async () => {
    const app = new Hono();
    app.get("/hello", (c) => c.text("hello from the user's app"));
    app.route("/restate", endpoint().bind(mountedGreeter).app());
    const listener = getRequestListener(app.fetch);
    const server = await startNodeServer((req, res) => void listener(req, res), 0, "127.0.0.1");
    const base = `http://127.0.0.1:${server.port}`;
    const info = await env.register(`${base}/restate`, {
      http11: false,
      stop: () => server.close(1000),
    });
    const deployment = await env.admin("GET", `/deployments/${info.id}`);
    expect(deployment.json).toMatchObject({
      uri: `${base}/restate`,
      protocol_type: "BidiStream",
      http_version: "HTTP/2.0",
      sdk_version: SERVER_HEADER,
    });
    const r = await env.ingress("/MountedGreeter/greet", "Till");
    expect(r.json).toBe("Hello Till, from a mounted app!");
    const hello = await fetch(`${base}/hello`);
    expect(hello.status).toBe(200);
    expect(await hello.text()).toBe("hello from the user's app");
  });

  it("serves through the fetch handler on @hono/node-server over HTTP/1.1", async () => {
    const handler = endpoint().bind(fetchSteps).handler().fetch;
    let httpServer: ReturnType<typeof serve> | undefined;
    const port = await new Promise<number>((resolve) => {
      httpServer = serve({ fetch: handler, port: 0, hostname: "127.0.0.1" }, (a: AddressInfo) =>
        resolve(a.port),
      );
    });
    const stop = () =>
      new Promise<void>((resolve) => {
        const s = httpServer as { close(cb: () => void): void; closeAllConnections?(): void };
        s.close(() => resolve());
        s.closeAllConnections?.();
      });
    const info = await env.register(`http://127.0.0.1:${port}`, { http11: true, stop });
    const deployment = await env.admin("GET", `/deployments/${info.id}`);
    expect(deployment.json).toMatchObject({
      protocol_type: "RequestResponse",
      http_version: "HTTP/1.1",
    });
    const key = randomUUID();
    const r = await env.ingress("/FetchSteps/sleepThenRun", key);
    expect(r.json).toBe("run executed 1 time(s)");
    // Request/response: suspended on the sleep, then on the run's completion, then done.
    expect(executions.get(`${key}/attempt`)).toBe(3);
    expect(executions.get(`${key}/run`)).toBe(1);
  });

  it("negotiates V5 with an endpoint limited to 5..5; sleep, awakeable and rand work", async () => {
    const ep = endpoint().bind(v5Steps).protocolVersions(5, 5);
    const port = await ep.listen(0);
    const info = await env.register(`http://127.0.0.1:${port}`, {
      http11: false,
      stop: () => ep.close(1000),
    });
    expect(info).toMatchObject({ min_protocol_version: 5, max_protocol_version: 5 });
    const key = randomUUID();
    const id = await send(env, "/V5Steps/randAwakeableSleep", key);
    await waitFor(async () => published.has(key), { message: "awakeable id" });
    const resolved = await env.ingress(
      `/restate/awakeables/${published.get(key)}/resolve`,
      "resolved on V5",
    );
    expect(resolved.status).toBe(202);
    const result = (await attach(env, id)) as {
      random: number;
      awakeableId: string;
      value: string;
      invocationId: string;
    };
    expect(result.value).toBe("resolved on V5");
    expect(result.invocationId).toBe(id);
    expect(await env.invocation(id)).toMatchObject({ pinned_service_protocol_version: 5 });
    // V5 seeds ctx.rand with SipHash-1-3 of the raw invocation id (docs/protocol.md §11); the raw id
    // is inside the awakeable id.
    const parsed = parseAwakeableId(result.awakeableId);
    expect(parsed?.signalIndex).toBe(17);
    const expected = new DeterministicRandom(v5Seed(parsed!.invocationId)).random();
    expect(result.random).toBe(expected);
  });
});
