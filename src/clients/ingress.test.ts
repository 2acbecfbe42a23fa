// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { connect } from "./ingress.js";
import * as rpc from "./rpc-namespace.js";
import { serde } from "../serde/index.js";
import { fakeFetch, ingressError, reply } from "./__fixtures__/fake-fetch.js";
import type { Responder } from "./__fixtures__/fake-fetch.js";
import { handlers, object, service, workflow } from "../definitions/service.js";
import type {
  Context,
  ObjectContext,
  WorkflowContext,
  WorkflowSharedContext,
} from "../context/types.js";

// Real definitions, used by type only: the clients receive `{ name }` references, as an
// application that imports its services with `import type` would pass them.
const svcDef = service({
  name: "Svc",
  handlers: {
    greet: async (_ctx: Context, name: string) => name,
    ping: async (_ctx: Context) => "pong",
    bytes: async (_ctx: Context, data: Uint8Array) => data,
  },
});
const objDef = object({
  name: "Obj",
  handlers: { add: async (_ctx: ObjectContext, n: number) => n },
});
const wfDef = workflow({
  name: "Wf",
  handlers: {
    run: async (_ctx: WorkflowContext, input: string) => input,
    approve: handlers.workflow.shared(async (_ctx: WorkflowSharedContext, _yes: string) => {}),
  },
});
type Svc = typeof svcDef;
type Obj = typeof objDef;
type Wf = typeof wfDef;
const svc = { name: "Svc" } as const;
const obj = { name: "Obj" } as const;
const wf = { name: "Wf" } as const;

function setup(respond: Responder = () => reply(200, "ok")) {
  const { fetch, calls } = fakeFetch(respond);
  const ingress = connect({
    url: "http://restate:8080/prefix/",
    headers: { authorization: "Bearer t", "x-team": "a" },
    fetch,
  });
  return { ingress, calls };
}

describe("ingress requests", () => {
  it("calls a service handler with a JSON body and the client's headers", async () => {
    const { ingress, calls } = setup();
    expect(await ingress.serviceClient<Svc>(svc).greet("Till")).toBe("ok");
    const [call] = calls;
    expect(call).toMatchObject({ method: "POST", path: "/prefix/Svc/greet", text: '"Till"' });
    expect(call?.headers.get("content-type")).toBe("application/json");
    expect(call?.headers.get("authorization")).toBe("Bearer t");
    expect(call?.headers.get("idempotency-key")).toBeNull();
  });

  it("encodes keys and applies per-call options", async () => {
    const { ingress, calls } = setup(() => reply(200, 3));
    const add = ingress.objectClient<Obj>(obj, "a/b c").add(3, {
      idempotencyKey: "k 1",
      headers: { "x-team": "b" },
    });
    expect(await add).toBe(3);
    expect(calls[0]?.path).toBe("/prefix/Obj/a%2Fb%20c/add");
    expect(calls[0]?.headers.get("idempotency-key")).toBe("k 1");
    expect(calls[0]?.headers.get("x-team")).toBe("b");
  });

  it("sends no body (but the serde's content type) for handlers without input, and accepts rpc.opts in the input's place", async () => {
    const { ingress, calls } = setup();
    await ingress.serviceClient<Svc>(svc).ping();
    await ingress.serviceClient<Svc>(svc).ping(rpc.opts({ idempotencyKey: "k" }));
    expect(calls[0]?.body).toBeUndefined();
    expect(calls[0]?.headers.get("content-type")).toBe("application/json");
    expect(calls[1]?.body).toBeUndefined();
    expect(calls[1]?.headers.get("idempotency-key")).toBe("k");
  });

  it("uses the serdes' content types and bytes", async () => {
    const { ingress, calls } = setup(() => new Response(new Uint8Array([9, 8]), { status: 200 }));
    const out = await ingress
      .serviceClient<Svc>(svc)
      .bytes(new Uint8Array([1, 2]), rpc.opts({ input: serde.binary, output: serde.binary }));
    expect(out).toEqual(new Uint8Array([9, 8]));
    expect(calls[0]?.headers.get("content-type")).toBe("application/octet-stream");
    expect(calls[0]?.body).toEqual(new Uint8Array([1, 2]));
    await ingress.serviceClient<Svc>(svc).bytes(new Uint8Array([3]), {
      input: serde.msgpack,
      output: serde.binary,
    });
    expect(calls[1]?.headers.get("content-type")).toBe("application/msgpack");
  });

  it("sends one-way with a delay and reads the reply", async () => {
    const accepted = {
      invocationId: "inv_1",
      status: "Accepted",
      executionTime: "2026-01-01T00:00:01.000000000Z",
    };
    const { ingress, calls } = setup(() => reply(202, accepted));
    const send = ingress.serviceSendClient<Svc>(svc);
    const sent = await send.greet("x", rpc.sendOpts({ delay: 1500 }));
    await send.greet("x", { delay: "10s" });
    expect(calls.map((c) => c.path)).toEqual([
      "/prefix/Svc/greet/send?delay=1500ms",
      "/prefix/Svc/greet/send?delay=10s",
    ]);
    expect(sent).toMatchObject({ invocationId: "inv_1", status: "Accepted" });
    expect(sent.executionTime?.toISOString()).toBe("2026-01-01T00:00:01.000Z");
    expect(JSON.parse(JSON.stringify(sent))).not.toHaveProperty("outputSerde");
  });

  it("attaches to a send with the send's output serde", async () => {
    const { ingress, calls } = setup((r) =>
      r.method === "POST"
        ? reply(202, { invocationId: "inv_1", status: "Accepted" })
        : new Response(new Uint8Array([7]), { status: 200 }),
    );
    const sent = await ingress
      .serviceSendClient<Svc>(svc)
      .bytes(new Uint8Array([1]), { input: serde.binary, output: serde.binary });
    expect(await ingress.result(sent)).toEqual(new Uint8Array([7]));
    expect(calls[1]).toMatchObject({
      method: "GET",
      path: "/prefix/restate/invocation/inv_1/attach",
    });
  });

  it("reads outputs and reports unfinished invocations as not ready", async () => {
    const { ingress, calls } = setup((_r, n) =>
      n === 1 ? ingressError(470, "not completed yet", "ingress") : reply(200, 5),
    );
    expect(await ingress.output("inv_1")).toEqual({ ready: false });
    expect(await ingress.output<number>("inv_1")).toEqual({ ready: true, result: 5 });
    expect(calls[0]?.path).toBe("/prefix/restate/invocation/inv_1/output");
  });

  it("finds invocations by idempotency key", async () => {
    const { ingress, calls } = setup();
    await ingress.attach<Svc, "greet">({ service: svc, handler: "greet", idempotencyKey: "k/1" });
    await ingress.output<Obj, "add">({
      service: obj,
      key: "o",
      handler: "add",
      idempotencyKey: "k",
    });
    expect(calls.map((c) => c.path)).toEqual([
      "/prefix/restate/invocation/Svc/greet/k%2F1/attach",
      "/prefix/restate/invocation/Obj/o/add/k/output",
    ]);
  });

  it("submits, attaches to and reads workflows", async () => {
    const { ingress, calls } = setup((r) =>
      r.path.endsWith("/send")
        ? reply(202, { invocationId: "inv_w", status: "PreviouslyAccepted" })
        : reply(200, "done"),
    );
    expect(await ingress.runOrAttach<Wf>(wf, "id 1", "in")).toBe("done");
    const client = ingress.workflowClient<Wf>(wf, "w");
    await client.workflowSubmit("in");
    await client.workflowAttach();
    await client.workflowOutput();
    await client.approve("yes");
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "POST /prefix/Wf/id%201/run/send",
      "GET /prefix/restate/workflow/Wf/id%201/attach",
      "POST /prefix/Wf/w/run/send",
      "GET /prefix/restate/workflow/Wf/w/attach",
      "GET /prefix/restate/workflow/Wf/w/output",
      "POST /prefix/Wf/w/approve",
    ]);
  });

  it("resolves and rejects awakeables", async () => {
    const { ingress, calls } = setup(() => reply(202));
    await ingress.resolveAwakeable("sign_1", { a: 1 });
    await ingress.resolveAwakeable("sign_2", new Uint8Array([1]), serde.binary);
    await ingress.rejectAwakeable("sign_3", "no thanks");
    expect(calls.map((c) => [c.path, c.headers.get("content-type"), c.text])).toEqual([
      ["/prefix/restate/a/sign_1/resolve", "application/json", '{"a":1}'],
      ["/prefix/restate/a/sign_2/resolve", "application/octet-stream", "\u0001"],
      ["/prefix/restate/a/sign_3/reject", "text/plain", "no thanks"],
    ]);
  });

  it("returns clients that are not thenable", async () => {
    const { ingress, calls } = setup();
    const client = await Promise.resolve(ingress.serviceClient<Svc>(svc));
    expect(typeof client.greet).toBe("function");
    expect(calls).toHaveLength(0);
  });

  it("turns an invocation's terminal failure into an HttpCallError with its code", async () => {
    const { ingress } = setup(() =>
      reply(
        418,
        { code: 418, message: "teapot", metadata: { k: "v" }, source: "invocation" },
        { "x-restate-error-source": "invocation" },
      ),
    );
    await expect(ingress.serviceClient<Svc>(svc).greet("x")).rejects.toMatchObject({
      name: "HttpCallError",
      status: 418,
      message: "teapot",
      source: "invocation",
      metadata: { k: "v" },
    });
  });
});

void [svcDef, objDef, wfDef];
