// SPDX-License-Identifier: MIT
// Behaviour side by side: the same services run on the official SDK and on restate-hono, both
// behind one real restate-server, and every request must get the same answer (status, content
// type, body) and leave the same trace: default serdes per service, handler and endpoint; the
// logger transport's metadata across a replay; options objects in the input's place; a delay
// given as a Duration; asTerminalError; the extra handler arguments of the fetch handler. The
// official SDK has no in-memory runtime, so the comparison runs end to end. The polyfill must be
// the first import (Node 20).
import "../../bench/polyfill.js";
import type http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { serve } from "@hono/node-server";
import * as official from "@restatedev/restate-sdk";
import * as officialFetch from "@restatedev/restate-sdk/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ours from "../../src/node.js";
import * as oursFetch from "../../src/fetch.js";
import { type ServerEnv, registerHttp2Handler, startServerEnv } from "./support.js";
import {
  type DiffDefinition,
  type DiffSdk,
  type LogLine,
  type Meta,
  SERDE_TAGS,
  defineExtraArgsService,
  defineSerdeServices,
  defineServices,
  recordingTransport,
  taggedSerde,
} from "./differential-services.js";

/** What a Node endpoint factory takes, as far as this test passes it. */
type NodeHandlerFactory = (options: {
  services: DiffDefinition[];
  defaultServiceOptions?: object;
  logger?: (meta: Meta, message?: unknown, ...rest: unknown[]) => void;
}) => (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => void;

/** A fetch endpoint factory, as far as this test uses it. */
type FetchHandlerFactory = (options: {
  services: DiffDefinition[];
}) => (request: Request, ...extraArgs: unknown[]) => Promise<Response>;

/** One SDK behind the server: its name prefix and the log lines its transport received. */
interface Side {
  readonly prefix: string;
  readonly logs: LogLine[];
}

let env: ServerEnv;
const sides: Side[] = [];

async function serveNode(handler: ReturnType<NodeHandlerFactory>): Promise<void> {
  await registerHttp2Handler(env, handler);
}

/** Serves a fetch handler over HTTP/1.1, passing a Worker-like `env` and execution context. */
async function serveFetch(handler: ReturnType<FetchHandlerFactory>): Promise<void> {
  const extra = [{ SECRET: "s", REGION: "eu" }, { waitUntil: () => undefined }];
  let server: ReturnType<typeof serve> | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve(
      { fetch: (request) => handler(request, ...extra), port: 0, hostname: "127.0.0.1" },
      (address: AddressInfo) => resolve(address.port),
    );
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      const s = server as { close(cb: () => void): void; closeAllConnections?(): void };
      s.close(() => resolve());
      s.closeAllConnections?.();
    });
  await env.register(`http://127.0.0.1:${port}`, { http11: true, stop });
}

async function serveSide(
  sdk: DiffSdk,
  node: NodeHandlerFactory,
  fetchFactory: FetchHandlerFactory,
  prefix: string,
): Promise<Side> {
  const { lines, transport } = recordingTransport(prefix);
  await serveNode(node({ services: defineServices(sdk, prefix), logger: transport }));
  await serveNode(
    node({
      services: defineSerdeServices(sdk, prefix),
      defaultServiceOptions: { serde: taggedSerde(SERDE_TAGS.endpoint) },
    }),
  );
  await serveFetch(fetchFactory({ services: [defineExtraArgsService(sdk, prefix)] }));
  return { prefix, logs: lines };
}

beforeAll(async () => {
  env = await startServerEnv();
  sides.push(
    await serveSide(
      official,
      official.createEndpointHandler,
      officialFetch.createEndpointHandler,
      "Official",
    ),
    await serveSide(ours, ours.createEndpointHandler, oursFetch.createEndpointHandler, "Ours"),
  );
}, 90_000);

afterAll(async () => {
  await env?.stop();
});

/** The answer to one ingress request, in a form that compares across the sides. */
async function ask(side: Side, path: string, body: string, contentType = "application/json") {
  const response = await env.ingressRaw(`/${side.prefix}${path}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: (await response.text()).replaceAll(side.prefix, ""),
  };
}

/** Asks both sides the same thing; returns the official answer after checking ours equals it. */
async function both(path: string, body: string, contentType?: string) {
  const [officialSide, oursSide] = sides as [Side, Side];
  const expected = await ask(officialSide, path, body, contentType);
  expect(await ask(oursSide, path, body, contentType)).toEqual(expected);
  return expected;
}

describe("default serdes: service, handler and endpoint level", () => {
  const a = `application/x-${SERDE_TAGS.service}`;
  const b = `application/x-${SERDE_TAGS.handler}`;
  const c = `application/x-${SERDE_TAGS.endpoint}`;

  it.each([
    ["the service serde reads the input, writes the output and the run", "SerdeSvc/plain", a],
    ["a handler's serde wins over the service's", "SerdeSvc/own", b],
    [
      "an explicit input serde wins; the output keeps the service's",
      "SerdeSvc/binaryIn",
      "application/octet-stream",
    ],
  ])("%s", async (_what, path, contentType) => {
    const answer = await both(path, '"hi"', contentType);
    expect(answer.status).toBe(200);
  });

  it.each([
    ["the endpoint's default serde is used for state", "state"],
    ["a call uses the callee's serdes (service serde)", "callPlain"],
    ["a call uses the callee's serdes (handler serde)", "callOwn"],
  ])("%s", async (_what, handler) => {
    const answer = await both(`SerdeObj/${randomUUID()}/${handler}`, '"v"', c);
    expect(answer.status).toBe(200);
  });
});

describe("logger transport metadata across a replay", () => {
  it("the same USER lines: source, level, replaying flag and context, attempt by attempt", async () => {
    const key = randomUUID();
    const userLines = (side: Side, id: string) =>
      side.logs
        .filter((l) => l.source === "USER" && l.context?.key === key)
        .map((l) => ({
          ...l,
          context: {
            ...l.context,
            invocationId: l.context?.invocationId === id,
            requestId: l.context?.requestId === id,
          },
        }));
    const answers = [];
    for (const side of sides) {
      const answer = await ask(side, `Logs/${key}/replayed`, "");
      expect(answer.status).toBe(200);
      answers.push(userLines(side, JSON.parse(answer.body) as string));
    }
    const [theirs, mine] = answers;
    expect(mine).toEqual(theirs);
    expect(theirs?.map((l) => `${l.level} ${l.replaying} ${l.message}`)).toEqual(
      expect.arrayContaining(["info true start 1", "info false start 1"]),
    );
  });
});

describe("options objects and delays", () => {
  it("rpc.opts() in place of a missing input carries the idempotency key", async () => {
    const answer = await both("Calls/idempotent", JSON.stringify(randomUUID()));
    expect(answer.body).toBe("[1,1]");
  });

  it("rpc.sendOpts({ delay: Duration }) in place of a missing input delays the send", async () => {
    const scheduled = [];
    for (const side of sides) {
      const answer = await ask(side, "Calls/delayed", JSON.stringify(randomUUID()));
      expect(answer.status).toBe(200);
      const row = await env.invocation(JSON.parse(answer.body) as string);
      const delay =
        Date.parse(String(row?.scheduled_start_at)) - Date.parse(String(row?.created_at));
      scheduled.push([row?.status, delay > 200_000 && delay <= 301_000]);
    }
    // About five minutes after creation (the SDK computes the time when the call is journaled,
    // and a loaded machine may take a while before the server creates the invocation).
    expect(scheduled).toEqual([
      ["scheduled", true],
      ["scheduled", true],
    ]);
  });
});

describe("asTerminalError", () => {
  it.each(["inBody", "inRun"])(
    "maps an error thrown %s to the same terminal failure",
    async (h) => {
      const answer = await both(`Mapped/${h}`, "");
      expect(answer.status).toBe(422);
    },
  );
});

describe("ctx.request().extraArgs through the fetch handler", () => {
  it("carries the runtime's extra handler arguments", async () => {
    const answer = await both("Extra/args", "");
    expect(answer.body).toBe('["object{REGION,SECRET}","object{waitUntil}"]');
  });
});
