// SPDX-License-Identifier: MIT
// Serde preview and default service options side by side: the same definitions and endpoint
// defaults on the official SDK and on restate-hono, each behind its own HTTP/1.1 server, both
// registered with one real restate-server. Both manifests must carry the same fields, the server
// must see the same services, and every preview request (straight to the endpoint, or through the
// server's admin API as the Restate UI sends it) must get the same status, content type and body.
// The polyfill must be the first import (Node 20).
import "../../bench/polyfill.js";
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as official from "@restatedev/restate-sdk";
import { beforeAll, describe, expect, it } from "vitest";
import * as ours from "../../src/node.js";
import { DEFAULTS, definePreviewServices, type PreviewSdk } from "./preview-services.js";
import { serverPerFile } from "./support.js";

const env = serverPerFile();
const ACCEPT = "application/vnd.restate.endpointmanifest.v4+json";
const NAMES = ["Shouter", "Box", "Flow"] as const;

interface Side {
  readonly prefix: string;
  readonly url: string;
}
const sides: Side[] = [];

async function serve(sdk: PreviewSdk, prefix: string): Promise<Side> {
  const services = definePreviewServices(sdk, prefix);
  const server = http.createServer(
    sdk.createEndpointHandler({ services, defaultServiceOptions: DEFAULTS }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  // Registration runs discovery: the server must accept every field of the manifest.
  await env().register(url, { http11: true, stop });
  return { prefix, url };
}

beforeAll(async () => {
  sides.push(await serve(official, "Official"), await serve(ours, "Ours"));
});

/**
 * Both sides' results of `f`, with what differs by design blanked out: each side's service-name
 * prefix, and the SDK name and the date in the endpoint's response headers, which the server
 * quotes in its error messages.
 */
async function both<T>(f: (side: Side) => Promise<T>): Promise<[unknown, unknown]> {
  const strip = async (side: Side) =>
    JSON.parse(
      JSON.stringify(await f(side))
        .replaceAll(side.prefix, "")
        .replace(/restate-sdk-typescript\/[\d.]+|restate-hono\/[\d.]+/g, "<sdk>")
        .replace(/\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT/g, "<date>"),
    ) as unknown;
  const [officialSide, oursSide] = sides as [Side, Side];
  return [await strip(officialSide), await strip(oursSide)];
}

/** The manifest's protocol fields and services. */
async function manifest(side: Side) {
  const res = await fetch(`${side.url}/discover`, { headers: { accept: ACCEPT } });
  const body = (await res.json()) as {
    protocolMode: string;
    minProtocolVersion: number;
    maxProtocolVersion: number;
    services: Array<{ name: string }>;
  };
  const { protocolMode, minProtocolVersion, maxProtocolVersion, services } = body;
  return { protocolMode, minProtocolVersion, maxProtocolVersion, services };
}

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

async function answerOf(res: Response): Promise<Answer> {
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    body: await res.text(),
  };
}

/** Good and bad preview requests: [service, operation, serde name, body]. */
const REQUESTS = [
  ["Shouter", "decode", "shout/input", "HELLO"],
  ["Shouter", "encode", "shout/input", '"hello"'],
  ["Shouter", "encode", "shout/output", '"hello"'],
  ["Shouter", "decode", "shout/input", "lower"],
  ["Shouter", "encode", "shout/input", "{nope"],
  ["Shouter", "encode", "shout/input", "42"],
  ["Shouter", "decode", "plain/input", "1"],
  ["Shouter", "decode", "missing", "1"],
  ["Box", "decode", "put/input", "BOXED"],
  ["Box", "encode", "peek/output", '"x"'],
  ["Flow", "encode", "status/input", '"go"'],
  ["Flow", "decode", "run/output", "1"],
  ["Nobody", "decode", "x/input", "1"],
] as const;

describe("the same definitions on both SDKs", () => {
  it("give the same discovery manifest, defaults and preview metadata included", async () => {
    const [expected, actual] = await both(manifest);
    expect(actual).toEqual(expected);
    const { services } = expected as Awaited<ReturnType<typeof manifest>>;
    // The comparison covers what it should: defaults on every kind, preview keys on each service.
    expect(services.map((s) => s.name)).toEqual([...NAMES]);
    expect(services[0]).toMatchObject({
      enableLazyState: true,
      metadata: {
        "dev.restate.serde.preview.shout/input": "true",
        "dev.restate.serde.preview.shout/output": "true",
      },
    });
    expect(services[1]).toMatchObject({ enableLazyState: false, abortTimeout: 300_000 });
    expect(services[2]).toMatchObject({
      ingressPrivate: true,
      handlers: [{ name: "run", workflowCompletionRetention: 2 * 86_400_000 }, {}],
    });
  });

  it.each([
    ["Shouter", true],
    ["Box", false],
    ["Flow", true],
  ] as const)("%s: the server sees the same service", async (name, lazyState) => {
    const [expected, actual] = await both(async ({ prefix }) => {
      const { json } = await env().admin("GET", `/services/${prefix}${name}`);
      const service = json as { handlers: Array<{ name: string }> } & Record<string, unknown>;
      // What differs by design: ids, and the order the server lists handlers in.
      delete service["deployment_id"];
      delete service["revision"];
      service.handlers.sort((a, b) => a.name.localeCompare(b.name));
      return service;
    });
    expect(actual).toEqual(expected);
    expect(expected).toMatchObject({ journal_retention: "1h", enable_lazy_state: lazyState });
  });

  it.each(REQUESTS)(
    "preview %s %s %s %s: the same answer from the endpoint",
    async (service, operation, serdeName, body) => {
      const [expected, actual] = await both(async ({ url, prefix }) =>
        answerOf(
          await fetch(`${url}/serdes/${prefix}${service}/${operation}/${serdeName}`, {
            method: "POST",
            body,
          }),
        ),
      );
      expect(actual).toEqual(expected);
    },
  );

  it.each(REQUESTS)(
    "preview %s %s %s %s: the same answer through the server's admin API",
    async (service, operation, serdeName, body) => {
      const [expected, actual] = await both(async ({ prefix }) =>
        answerOf(
          await fetch(
            `${env().server.adminUrl}/internal/services/${prefix}${service}/serdes/` +
              `${operation}/${serdeName}`,
            { method: "POST", body },
          ),
        ),
      );
      expect(actual).toEqual(expected);
    },
  );
});
