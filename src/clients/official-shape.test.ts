// SPDX-License-Identifier: MIT
// The ingress client used the way the official client is used: Opts/SendOpts classes (also in
// place of a missing input), Duration delays, the official retry policy, raw call/send, scopes,
// interface descriptors, the connection's default serde and codec, and HttpCallError's fields.
import { describe, expect, it } from "vitest";
import { connect } from "./ingress.js";
import { HttpCallError } from "./http-call-error.js";
import { Opts, SendOpts } from "./rpc.js";
import * as rpc from "./rpc-namespace.js";
import { defaultShouldRetry, type RetryFailure } from "./retry.js";
import { serde } from "../serde/index.js";
import type { Serde } from "../serde/serde.js";
import { fakeFetch, ingressError, reply } from "./__fixtures__/fake-fetch.js";
import type { Responder } from "./__fixtures__/fake-fetch.js";

const accepted = () => reply(200, { invocationId: "inv_1", status: "Accepted" });

function client(respond: Responder, options: Omit<Parameters<typeof connect>[0], "url"> = {}) {
  const { fetch, calls } = fakeFetch(respond);
  return { ingress: connect({ url: "http://restate", fetch, ...options }), calls };
}

type Svc = { ping: () => Promise<string>; greet: (ctx: unknown, name: string) => Promise<string> };
type Obj = {
  expire: (ctx: unknown) => Promise<void>;
  add: (ctx: unknown, n: number) => Promise<void>;
};
const svc = { name: "Svc" };

describe("options objects in the input's place", () => {
  it("takes rpc.opts() as the options of a handler without input", async () => {
    const { ingress, calls } = client(() => reply(200, "pong"));
    await ingress.serviceClient<Svc>(svc).ping(rpc.opts({ idempotencyKey: "k-1" }));
    expect(calls[0]?.headers.get("idempotency-key")).toBe("k-1");
    expect(calls[0]?.body).toBeUndefined();
  });

  it("takes rpc.sendOpts() with a Duration delay in place of no input, and delays the send", async () => {
    const { ingress, calls } = client(accepted);
    const send = await ingress
      .objectSendClient<Obj>({ name: "Obj" }, "k")
      .expire(rpc.sendOpts({ delay: { seconds: 10 } }));
    expect(calls[0]?.path).toBe("/Obj/k/expire/send?delay=10000ms");
    expect(calls[0]?.body).toBeUndefined();
    expect(send.attachable).toBe(false);
  });

  it("accepts the Opts/SendOpts classes and their from()", async () => {
    const { ingress, calls } = client(accepted);
    await ingress
      .objectSendClient<Obj>({ name: "Obj" }, "k")
      .add(1, SendOpts.from({ delay: 250, idempotencyKey: "i" }));
    await ingress.objectSendClient<Obj>({ name: "Obj" }, "k").add(2, new SendOpts({ delay: "1h" }));
    expect(calls.map((c) => c.path)).toEqual([
      "/Obj/k/add/send?delay=250ms",
      "/Obj/k/add/send?delay=1h",
    ]);
    expect(calls.map((c) => c.text)).toEqual(["1", "2"]);
    expect(new Opts({ timeout: 5 }).opts).toEqual({ timeout: 5 });
  });

  it("reports the delay of SendOpts in milliseconds", () => {
    expect(SendOpts.from({ delay: { minutes: 1, seconds: 1 } }).delay()).toBe(61_000);
    expect(SendOpts.from({ delay: 10 }).delay()).toBe(10);
    expect(SendOpts.from({}).delay()).toBeUndefined();
    expect(() => SendOpts.from({ delay: -1 }).delay()).toThrow(RangeError);
  });

  it("marks sends with an idempotency key as attachable", async () => {
    const { ingress } = client(accepted);
    const send = await ingress
      .serviceSendClient<Svc>(svc)
      .greet("x", rpc.sendOpts({ idempotencyKey: "k" }));
    expect(send.attachable).toBe(true);
    expect(JSON.parse(JSON.stringify(send))).toEqual({
      invocationId: "inv_1",
      status: "Accepted",
      attachable: true,
    });
  });
});

describe("raw calls, scopes, descriptors", () => {
  it("calls and sends by name, with the connection's serde unless options name one", async () => {
    const { ingress, calls } = client((request) =>
      request.path.endsWith("/send") ? accepted() : new Response(new Uint8Array([7])),
    );
    const raw = await ingress.call({
      service: "Svc",
      handler: "h",
      parameter: new Uint8Array([1, 2]),
      opts: rpc.opts({ input: serde.binary, output: serde.binary }),
    });
    expect(raw).toEqual(new Uint8Array([7]));
    expect(calls[0]?.body).toEqual(new Uint8Array([1, 2]));
    const sent = await ingress.send({
      service: "Obj",
      key: "k",
      handler: "add",
      parameter: 3,
    });
    expect(sent.invocationId).toBe("inv_1");
    expect(calls[1]?.path).toBe("/Obj/k/add/send");
    expect(calls[1]?.text).toBe("3");
  });

  it("routes scoped invocations through /restate/scope with the limit key header", async () => {
    const { ingress, calls } = client((request) =>
      request.path.includes("/send") ? accepted() : reply(200, "ok"),
    );
    const scoped = ingress.scope("tenant-1");
    await scoped.serviceClient<Svc>(svc).greet("x", rpc.opts({ limitKey: "tenant-1/user" }));
    await scoped.objectSendClient<Obj>({ name: "Obj" }, "k").add(1, rpc.sendOpts({ delay: 5 }));
    expect(calls.map((c) => c.path)).toEqual([
      "/restate/scope/tenant-1/call/Svc/greet",
      "/restate/scope/tenant-1/send/Obj/k/add?delay=5ms",
    ]);
    expect(calls[0]?.headers.get("x-restate-limit-key")).toBe("tenant-1/user");
  });

  it("uses the serdes an interface descriptor declares", async () => {
    const { ingress, calls } = client(() => new Response(new Uint8Array([9])));
    const api = {
      name: "Api",
      _kind: "object" as const,
      _handlers: { raw: { _inputSerde: serde.binary, _outputSerde: serde.binary } },
    };
    const out = await ingress.client(api, "k").raw(new Uint8Array([4]));
    expect(out).toEqual(new Uint8Array([9]));
    expect(calls[0]?.path).toBe("/Api/k/raw");
    expect(calls[0]?.body).toEqual(new Uint8Array([4]));
  });
});

describe("connection options", () => {
  it("uses the connection's serde and codec for payloads", async () => {
    const upper: Serde<string> = {
      contentType: "text/plain",
      serialize: (value) => new TextEncoder().encode(value.toUpperCase()),
      deserialize: (data) => new TextDecoder().decode(data).toLowerCase(),
    };
    const reverse = {
      encode: (buf: Uint8Array) => buf.slice().reverse(),
      decode: async (buf: Uint8Array) => buf.slice().reverse(),
    };
    const { ingress, calls } = client(() => new Response(new TextEncoder().encode("KO")), {
      serde: upper,
      journalValueCodec: reverse,
    });
    const out = await ingress.serviceClient<Svc>(svc).greet("ab");
    expect(calls[0]?.text).toBe("BA");
    expect(calls[0]?.headers.get("content-type")).toBe("text/plain");
    expect(out).toBe("ok");
  });

  it("retries with the official policy shape, asking a custom shouldRetry", async () => {
    const seen: Array<[RetryFailure["kind"], number]> = [];
    const { ingress, calls } = client(
      (_request, attempt) =>
        attempt < 3 ? ingressError(503, "busy", "ingress") : reply(200, "ok"),
      {
        retry: {
          maxAttempts: 5,
          initialInterval: 1,
          maxInterval: { milliseconds: 2 },
          shouldRetry: (failure, attempt) => {
            seen.push([failure.kind, attempt]);
            return defaultShouldRetry(failure);
          },
        },
      },
    );
    await ingress.serviceClient<Svc>(svc).greet("x", rpc.opts({ idempotencyKey: "k" }));
    expect(calls).toHaveLength(3);
    // Each attempt is numbered, as the official client numbers them.
    expect(calls.map((c) => c.headers.get("x-restateclient-retry-attempt"))).toEqual([
      "1",
      "2",
      "3",
    ]);
    expect(seen).toEqual([
      ["response", 0],
      ["response", 1],
    ]);
  });

  it("stops after maxAttempts attempts in all", async () => {
    const { ingress, calls } = client(() => ingressError(503, "busy", "ingress"), {
      retry: { maxAttempts: 2, initialInterval: 1 },
    });
    await expect(
      ingress.serviceClient<Svc>(svc).greet("x", rpc.opts({ idempotencyKey: "k" })),
    ).rejects.toBeInstanceOf(HttpCallError);
    expect(calls).toHaveLength(2);
  });

  it("decides like the official default rule", () => {
    const headers = (source?: string) =>
      new Headers(source === undefined ? {} : { "x-restate-error-source": source });
    expect(defaultShouldRetry({ kind: "network", error: new Error("reset") })).toBe(true);
    expect(defaultShouldRetry({ kind: "response", status: 503, headers: headers() })).toBe(true);
    expect(defaultShouldRetry({ kind: "response", status: 429, headers: headers("ingress") })).toBe(
      true,
    );
    expect(
      defaultShouldRetry({ kind: "response", status: 503, headers: headers("invocation") }),
    ).toBe(false);
    expect(defaultShouldRetry({ kind: "response", status: 404, headers: headers() })).toBe(false);
  });
});

describe("results and errors", () => {
  it("reads a result with a serde given in place of options", async () => {
    const { ingress, calls } = client((request) =>
      request.path.endsWith("/send") ? accepted() : new Response(new Uint8Array([5])),
    );
    const send = await ingress
      .serviceSendClient<Svc>(svc)
      .greet("x", rpc.sendOpts({ idempotencyKey: "k" }));
    const out = await ingress.result<Uint8Array>(send, serde.binary);
    expect(out).toEqual(new Uint8Array([5]));
    expect(calls[1]?.path).toBe("/restate/invocation/inv_1/attach");
  });

  it("resolves an awakeable without a payload", async () => {
    const { ingress, calls } = client(() => reply(202));
    await ingress.resolveAwakeable("awk_1");
    expect(calls[0]?.path).toBe("/restate/a/awk_1/resolve");
  });

  it("exposes the response text, also when built the official way", async () => {
    const { ingress } = client(() => ingressError(400, "bad", "invocation"));
    const error = await ingress
      .serviceClient<Svc>(svc)
      .greet("x")
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(HttpCallError);
    expect((error as HttpCallError).responseText).toContain('"message":"bad"');
    const made = new HttpCallError(502, "gateway", "Request failed: 502");
    expect([made.status, made.responseText, made.message, made.source]).toEqual([
      502,
      "gateway",
      "Request failed: 502",
      "transport",
    ]);
  });
});
