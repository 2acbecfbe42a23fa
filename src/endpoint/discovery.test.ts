// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toServiceEntry } from "../definitions/registry.js";
import { handlers, object, service, workflow, type AnyDefinition } from "../definitions/service.js";
import { empty } from "../serde/empty.js";
import { json } from "../serde/json.js";
import type { Serde } from "../serde/serde.js";
import { createEndpointApp } from "./app.js";
import { buildManifest, negotiateManifestVersion, type EndpointManifest } from "./discovery.js";

const V = (n: number) => `application/vnd.restate.endpointmanifest.v${n}+json`;
const ALL = [1, 2, 3, 4].map(V).join(", ");
const HTTP2_ENV = { incoming: { httpVersionMajor: 2 } };

const personSchema = z.object({ name: z.string(), age: z.number().int() });
const person: Serde<z.infer<typeof personSchema>> = {
  contentType: "application/json",
  jsonSchema: z.toJSONSchema(personSchema),
  serialize: (value) => json.serialize(value),
  deserialize: (data) => json.deserialize(data),
};

const greeter = service({
  name: "greeter",
  description: "Says hello",
  metadata: { team: "core" },
  handlers: {
    greet: (_ctx, name: string) => Promise.resolve(`hello ${name}`),
    ping: handlers.handler({ input: empty, output: empty }, async () => {}),
    typed: handlers.handler(
      { input: person, output: person, description: "Echoes a person" },
      (_ctx, p: unknown) => Promise.resolve(p),
    ),
  },
});

const counter = object({
  name: "counter",
  options: {
    inactivityTimeout: { seconds: 30 },
    abortTimeout: { minutes: 1, milliseconds: 500 },
    enableLazyState: true,
    ingressPrivate: false,
    retryPolicy: {
      initialInterval: 100,
      maxInterval: { seconds: 10 },
      maxAttempts: 5,
      exponentiationFactor: 1.5,
      onMaxAttempts: "kill",
    },
  },
  handlers: {
    add: async () => {},
    get: handlers.object.shared({ idempotencyRetention: { hours: 1 } }, () => Promise.resolve(0)),
  },
});

const signup = workflow({
  name: "signup",
  handlers: {
    run: handlers.workflow.workflow({ workflowRetention: { days: 2 } }, () =>
      Promise.resolve("done"),
    ),
    status: handlers.workflow.shared(() => Promise.resolve("running")),
  },
});

const plain = service({ name: "plain", handlers: { hi: () => Promise.resolve("hi") } });

function app(...definitions: AnyDefinition[]) {
  return createEndpointApp(definitions.map(toServiceEntry));
}

async function discover(
  accept: string | undefined,
  env?: object,
  definitions: AnyDefinition[] = [greeter, counter, signup],
) {
  const headers: Record<string, string> = accept === undefined ? {} : { accept };
  return app(...definitions).request("/discover", { headers }, env);
}

/** Fails on `null` anywhere and on durations that are not non-negative integers. */
function assertRuntimeValid(value: unknown, path = "$"): void {
  expect(value, path).not.toBeNull();
  if (Array.isArray(value)) value.forEach((item, i) => assertRuntimeValid(item, `${path}[${i}]`));
  else if (typeof value === "object") {
    for (const [key, item] of Object.entries(value as object)) {
      if (/Timeout|Retention|Interval$/.test(key))
        expect(Number.isInteger(item), `${path}.${key}`).toBe(true);
      if (key !== "jsonSchema") assertRuntimeValid(item, `${path}.${key}`);
    }
  }
}

describe("manifest version negotiation", () => {
  it.each([
    [V(2), 2],
    [V(3), 3],
    [`${V(2)}, ${V(3)}`, 3],
    [ALL, 4],
    [`${V(4)};q=0.9 , ${V(2)}`, 4],
    [`${V(5)}, ${V(3)}`, 3],
    [V(1), undefined],
    ["application/json", undefined],
    ["", undefined],
    [null, undefined],
  ])("%s → %s", (accept, expected) => {
    expect(negotiateManifestVersion(accept)).toBe(expected);
  });

  it.each([
    [V(2), 2],
    [V(3), 3],
    [ALL, 4],
  ])("answers %s with the v%i content type", async (accept, v) => {
    const res = await discover(accept, undefined, [greeter]);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(V(v));
    expect(res.headers.get("x-restate-server")).toMatch(/^restate-hono\/\d+\.\d+\.\d+/);
  });

  it.each([undefined, "application/json", V(1), V(5)])(
    "answers accept %s with 415",
    async (accept) => {
      const res = await discover(accept);
      expect(res.status).toBe(415);
      expect(await res.text()).toContain("application/vnd.restate.endpointmanifest.v2+json");
      expect(res.headers.get("x-restate-server")).toMatch(/^restate-hono\//);
    },
  );
});

describe("protocol mode", () => {
  it("is REQUEST_RESPONSE over HTTP/1.1 and fetch runtimes", async () => {
    const res = await discover(ALL);
    expect(((await res.json()) as EndpointManifest).protocolMode).toBe("REQUEST_RESPONSE");
  });

  it("is BIDI_STREAM over HTTP/2", async () => {
    const res = await discover(ALL, HTTP2_ENV);
    expect(((await res.json()) as EndpointManifest).protocolMode).toBe("BIDI_STREAM");
  });

  it("caches one manifest per (version, mode)", async () => {
    const endpoint = app(greeter);
    const a = await (await endpoint.request("/discover", { headers: { accept: ALL } })).text();
    const b = await (
      await endpoint.request("/discover", { headers: { accept: ALL } }, HTTP2_ENV)
    ).text();
    const c = await (await endpoint.request("/discover", { headers: { accept: ALL } })).text();
    expect(a).not.toBe(b);
    expect(c).toBe(a);
  });
});

describe("manifest content", () => {
  const manifest = buildManifest([greeter, counter, signup].map(toServiceEntry), 4, "BIDI_STREAM");

  it("describes the endpoint", () => {
    expect(manifest).toMatchObject({
      protocolMode: "BIDI_STREAM",
      minProtocolVersion: 5,
      maxProtocolVersion: 7,
    });
    assertRuntimeValid(manifest);
  });

  it("describes a service: no handler ty, documentation, metadata, payloads", () => {
    expect(manifest.services[0]).toEqual({
      name: "greeter",
      ty: "SERVICE",
      documentation: "Says hello",
      metadata: { team: "core" },
      handlers: [
        {
          name: "greet",
          input: { required: false, contentType: "application/json" },
          output: { setContentTypeIfEmpty: false, contentType: "application/json" },
        },
        { name: "ping", input: {}, output: { setContentTypeIfEmpty: false } },
        {
          name: "typed",
          documentation: "Echoes a person",
          input: {
            required: false,
            contentType: "application/json",
            jsonSchema: z.toJSONSchema(personSchema),
          },
          output: {
            setContentTypeIfEmpty: false,
            contentType: "application/json",
            jsonSchema: z.toJSONSchema(personSchema),
          },
        },
      ],
    });
  });

  it("describes a virtual object with v3 and v4 options in integer milliseconds", () => {
    const [add, get] = manifest.services[1]!.handlers;
    expect(manifest.services[1]).toMatchObject({
      name: "counter",
      ty: "VIRTUAL_OBJECT",
      inactivityTimeout: 30_000,
      abortTimeout: 60_500,
      enableLazyState: true,
      ingressPrivate: false,
      retryPolicyInitialInterval: 100,
      retryPolicyMaxInterval: 10_000,
      retryPolicyMaxAttempts: 5,
      retryPolicyExponentiationFactor: 1.5,
      retryPolicyOnMaxAttempts: "KILL",
    });
    expect(add).toMatchObject({ name: "add", ty: "EXCLUSIVE" });
    expect(get).toMatchObject({ name: "get", ty: "SHARED", idempotencyRetention: 3_600_000 });
  });

  it("describes a workflow; workflowRetention becomes workflowCompletionRetention on run only", () => {
    const [run, status] = manifest.services[2]!.handlers;
    expect(manifest.services[2]).toMatchObject({ name: "signup", ty: "WORKFLOW" });
    expect(run).toMatchObject({
      name: "run",
      ty: "WORKFLOW",
      workflowCompletionRetention: 172_800_000,
    });
    expect(status).toEqual({
      name: "status",
      ty: "SHARED",
      input: { required: false, contentType: "application/json" },
      output: { setContentTypeIfEmpty: false, contentType: "application/json" },
    });
  });

  it("emits no unknown keys for a plain service at v2", () => {
    const v2 = buildManifest([toServiceEntry(plain)], 2, "REQUEST_RESPONSE");
    expect(Object.keys(v2)).toEqual([
      "protocolMode",
      "minProtocolVersion",
      "maxProtocolVersion",
      "services",
    ]);
    expect(Object.keys(v2.services[0]!)).toEqual(["name", "ty", "handlers"]);
    expect(Object.keys(v2.services[0]!.handlers[0]!)).toEqual(["name", "input", "output"]);
  });

  it("keeps a mapped onMaxAttempts pause", () => {
    const paused = service({
      name: "p",
      options: { retryPolicy: { onMaxAttempts: "pause" } },
      handlers: { h: async () => {} },
    });
    expect(buildManifest([toServiceEntry(paused)], 4, "BIDI_STREAM").services[0]).toMatchObject({
      retryPolicyOnMaxAttempts: "PAUSE",
    });
  });
});

describe("payloads described as the official SDK does", () => {
  const schemaOnly: Serde<unknown> = {
    jsonSchema: { type: "null" },
    serialize: () => new Uint8Array(0),
    deserialize: () => undefined,
  };
  const typed = service({
    name: "typed",
    handlers: {
      schemaOnly: handlers.handler({ input: schemaOnly, output: schemaOnly }, async () => null),
      overridden: handlers.handler(
        { input: schemaOnly, accept: "text/*", output: schemaOnly, contentType: "text/plain" },
        async () => null,
      ),
      bytes: handlers.handler({ input: empty, output: empty }, async () => {}),
    },
  });
  const [schemaOnlyH, overriddenH, bytesH] =
    buildManifest([toServiceEntry(typed)], 4, "REQUEST_RESPONSE").services[0]?.handlers ?? [];

  it("keeps a JSON Schema without a content type: an input entry, a JSON output", () => {
    expect(schemaOnlyH?.input).toEqual({ required: false, jsonSchema: { type: "null" } });
    expect(schemaOnlyH?.output).toEqual({
      setContentTypeIfEmpty: false,
      contentType: "application/json",
      jsonSchema: { type: "null" },
    });
  });

  it("lets accept and contentType name the content types beside the schema", () => {
    expect(overriddenH?.input).toEqual({
      required: false,
      contentType: "text/*",
      jsonSchema: { type: "null" },
    });
    expect(overriddenH?.output).toMatchObject({ contentType: "text/plain" });
  });

  it("has no input and no output content type without a schema or a content type", () => {
    expect(bytesH?.input).toEqual({});
    expect(bytesH?.output).toEqual({ setContentTypeIfEmpty: false });
  });
});

describe("options the negotiated version cannot carry", () => {
  it("answers 500 naming a v3 option under a v2-only accept", async () => {
    const res = await discover(V(2), undefined, [counter]);
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).toContain('"inactivityTimeout"');
    expect(body).toContain("v3");
    expect(res.headers.get("x-restate-server")).toMatch(/^restate-hono\//);
  });

  it("answers 500 naming a v4 option under a v3 accept", async () => {
    const retrying = service({
      name: "r",
      options: { retryPolicy: { maxAttempts: 3 } },
      handlers: { h: async () => {} },
    });
    const res = await discover(V(3), undefined, [retrying]);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('"retryPolicy.maxAttempts"');
  });

  it("serves v2 when only v2 fields are used", async () => {
    const res = await discover(V(2), undefined, [greeter]);
    expect(res.status).toBe(200);
  });
});
