// SPDX-License-Identifier: MIT
// The ingress client side by side with the official `@restatedev/restate-sdk-clients`: the same
// calls, through the same recording `fetch`, must send the same requests (method, path and query,
// headers, body) and give the same results. Covers options objects in the input's place, Duration
// delays, scopes and limit keys, raw call/send, workflows, awakeables and definition serdes.
import "../../bench/polyfill.js";
import * as officialClients from "@restatedev/restate-sdk-clients";
import * as official from "@restatedev/restate-sdk";
import { describe, expect, it } from "vitest";
import * as oursClients from "../../src/clients/index.js";
import * as ours from "../../src/index.js";

/** One request as the server would see it. */
interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Headers that name the client itself rather than the request. */
const OWN_HEADERS = new Set(["user-agent", "x-restate-client"]);

function recordingFetch(seen: Seen[]): typeof globalThis.fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const headers = Object.fromEntries(
      [...new Headers(init?.headers).entries()].filter(([k]) => !OWN_HEADERS.has(k)),
    );
    const raw = init?.body;
    const body =
      raw instanceof Uint8Array
        ? new TextDecoder().decode(raw)
        : typeof raw === "string"
          ? raw
          : "";
    seen.push({ method: init?.method ?? "GET", path: url.pathname + url.search, headers, body });
    if (url.pathname.includes("/send") || url.pathname.endsWith("/workflowSubmit")) {
      return Response.json({ invocationId: "inv_1", status: "Accepted" }, { status: 202 });
    }
    if (url.pathname.startsWith("/restate/awakeables")) return new Response(null, { status: 202 });
    return Response.json("ok");
  };
}

const tagged = {
  contentType: "application/x-tag",
  serialize: (value: unknown) => new TextEncoder().encode(`tag:${JSON.stringify(value)}`),
  deserialize: (data: Uint8Array) => `untagged ${new TextDecoder().decode(data)}`,
};

/** The definitions the calls target, built with one SDK. */
function definitions(sdk: typeof ours | typeof official) {
  const noop = async () => "";
  return {
    svc: sdk.service({ name: "Svc", handlers: { greet: noop, ping: noop } }),
    tagged: sdk.service({ name: "Tagged", handlers: { greet: noop }, options: { serde: tagged } }),
    obj: sdk.object({ name: "Obj", handlers: { add: noop, expire: noop } }),
    wf: sdk.workflow({ name: "Wf", handlers: { run: noop, poke: noop } }),
  };
}

type Defs = ReturnType<typeof definitions>;

/** A typed client, seen from here: any handler, any arguments. */
type AnyClient = Readonly<Record<string, (...args: unknown[]) => Promise<unknown>>>;

/** The clients both ingress clients have, scoped or not. */
interface SideClients {
  serviceClient(def: object): AnyClient;
  objectSendClient(def: object, key: string): AnyClient;
  workflowClient(def: object, key: string): AnyClient;
}

/** The part of both ingress clients the cases use. */
interface SideIngress extends SideClients {
  scope(key: string): SideClients;
  call(opts: object): Promise<unknown>;
  send(opts: object): Promise<unknown>;
  resolveAwakeable(id: string, payload?: unknown): Promise<void>;
  rejectAwakeable(id: string, reason: string): Promise<void>;
}

/** Both packages' `rpc` namespaces, as the cases use them. */
interface SideRpc {
  opts(opts: object): unknown;
  sendOpts(opts: object): unknown;
}

type Case = (ingress: SideIngress, rpc: SideRpc, defs: Defs) => Promise<unknown>;

const CASES: ReadonlyArray<[string, Case]> = [
  ["a call with input", (i, _r, d) => i.serviceClient(d.svc).greet!("Till")],
  [
    "rpc.opts() in place of a missing input",
    (i, r, d) => i.serviceClient(d.svc).ping!(r.opts({ idempotencyKey: "k-1" })),
  ],
  [
    "headers in the call options",
    (i, r, d) => i.serviceClient(d.svc).greet!("x", r.opts({ headers: { "x-a": "b" } })),
  ],
  [
    "rpc.sendOpts() with a Duration delay in place of a missing input",
    (i, r, d) => i.objectSendClient(d.obj, "k").expire!(r.sendOpts({ delay: { seconds: 10 } })),
  ],
  [
    "a delay in milliseconds and an idempotency key",
    (i, r, d) =>
      i.objectSendClient(d.obj, "k").add!(1, r.sendOpts({ delay: 250, idempotencyKey: "i" })),
  ],
  ["a definition's serde", (i, _r, d) => i.serviceClient(d.tagged).greet!("x")],
  [
    "a Content-Type header in the call options loses to the serde's",
    (i, r, d) =>
      i.serviceClient(d.tagged).greet!("x", r.opts({ headers: { "Content-Type": "text/x" } })),
  ],
  [
    "idempotency and limit key headers in the call options lose to the options",
    (i, r, d) =>
      i.serviceClient(d.svc).greet!(
        "x",
        r.opts({
          headers: { "idempotency-key": "h", "x-restate-limit-key": "h" },
          idempotencyKey: "o",
          limitKey: "o",
        }),
      ),
  ],
  [
    "a content-type header in another case than the client's joins the serde's",
    (i, r, d) =>
      i.serviceClient(d.tagged).greet!("x", r.opts({ headers: { "content-type": "text/x" } })),
  ],
  [
    "idempotency and limit key headers in another case join the options' values",
    (i, r, d) =>
      i.serviceClient(d.svc).greet!(
        "x",
        r.opts({
          headers: { "Idempotency-Key": "h", "X-Restate-Limit-Key": "h" },
          idempotencyKey: "o",
          limitKey: "o",
        }),
      ),
  ],
  [
    "a scoped call with a limit key",
    (i, r, d) => i.scope("t1").serviceClient(d.svc).greet!("x", r.opts({ limitKey: "t1/u" })),
  ],
  [
    "a scoped delayed send",
    (i, r, d) => i.scope("t1").objectSendClient(d.obj, "k/1").add!(1, r.sendOpts({ delay: 5 })),
  ],
  [
    "a scoped workflow submission",
    (i, _r, d) => i.scope("t1").workflowClient(d.wf, "w").workflowSubmit!("in"),
  ],
  [
    "raw call()",
    (i) => i.call({ service: "Svc", handler: "greet", parameter: new TextEncoder().encode("raw") }),
  ],
  [
    "raw send() with a key and a scope",
    (i) =>
      i.send({
        service: "Obj",
        key: "k",
        handler: "add",
        scope: "t2",
        parameter: new Uint8Array([49]),
      }),
  ],
  ["a workflow submission", (i, _r, d) => i.workflowClient(d.wf, "w").workflowSubmit!("in")],
  ["a workflow shared handler", (i, _r, d) => i.workflowClient(d.wf, "w").poke!()],
  ["workflowAttach", (i, _r, d) => i.workflowClient(d.wf, "w").workflowAttach!()],
  ["resolveAwakeable", (i) => i.resolveAwakeable("sign_1", { ok: true })],
  ["rejectAwakeable", (i) => i.rejectAwakeable("sign_1", "no")],
];

async function run(
  side: {
    connect: (opts: {
      url: string;
      fetch: typeof globalThis.fetch;
      headers?: Record<string, string>;
    }) => unknown;
    rpc: SideRpc;
  },
  defs: Defs,
  call: Case,
  headers?: Record<string, string>,
) {
  const seen: Seen[] = [];
  const ingress = side.connect({
    url: "http://restate:8080",
    fetch: recordingFetch(seen),
    ...(headers !== undefined ? { headers } : {}),
  });
  let result: unknown;
  try {
    result = await call(ingress as SideIngress, side.rpc, defs);
  } catch (e) {
    result = `threw ${e instanceof Error ? e.message : String(e)}`;
  }
  return { seen, result: JSON.parse(JSON.stringify(result ?? null)) as unknown };
}

describe("ingress client: the same requests and results as the official client", () => {
  it.each(CASES)("%s", async (_name, call) => {
    const expected = await run(officialClients, definitions(official), call);
    const actual = await run(oursClients, definitions(ours), call);
    expect(actual).toEqual(expected);
    expect(expected.seen.length).toBeGreaterThan(0);
  });
});

describe("connection headers beside a call's own, named in another case", () => {
  const connection = { "X-Tenant": "a", "content-type": "text/x" };
  it.each(CASES)("%s", async (_name, call) => {
    const withHeader: Case = async (i, r, d) => {
      await call(i, r, d);
      return i.serviceClient(d.svc).greet!("x", r.opts({ headers: { "x-tenant": "b" } }));
    };
    const expected = await run(officialClients, definitions(official), withHeader, connection);
    const actual = await run(oursClients, definitions(ours), withHeader, connection);
    expect(actual).toEqual(expected);
  });
});
