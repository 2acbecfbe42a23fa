// SPDX-License-Identifier: MIT
// The official endpoint shapes: `http1Handler()`, `http2Handler()`, `handler(options)` on the
// Node endpoint and `bidirectional()` on the fetch endpoint choose the protocol mode discovery
// advertises; the Node `handler()` also answers fetch `Request`s.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { Context } from "../context/types.js";
import { service } from "../definitions/service.js";
import { createEndpointHandler, endpoint as fetchEndpoint } from "../fetch.js";
import { endpoint } from "./endpoint.js";
import type { EndpointManifest } from "./discovery.js";
import { silent } from "./__fixtures__/silent-logger.js";
import type { NodeHandler } from "./node-handler.js";
import type { NodeRequest, NodeResponse } from "./node-invoke.js";

const ACCEPT = "application/vnd.restate.endpointmanifest.v4+json";
const greeter = service({
  name: "greeter",
  handlers: { greet: async (_ctx: Context, name: string) => name },
});

/** The protocol mode a Node handler advertises to a request of the given HTTP version. */
async function nodeMode(handler: NodeHandler, httpVersionMajor: 1 | 2): Promise<string> {
  const request = Object.assign(new EventEmitter(), {
    method: "GET",
    url: "/discover",
    headers: { accept: ACCEPT },
    httpVersionMajor,
    resume: () => undefined,
  }) satisfies NodeRequest;
  const body = await new Promise<string>((resolve) => {
    const response: NodeResponse = Object.assign(new EventEmitter(), {
      writeHead: () => response,
      write: () => true,
      end: (text?: string) => resolve(text ?? ""),
    });
    handler(request, response);
  });
  return (JSON.parse(body) as EndpointManifest).protocolMode;
}

async function fetchMode(fetch: (request: Request) => Promise<Response>): Promise<string> {
  const response = await fetch(
    new Request("http://endpoint/discover", { headers: { accept: ACCEPT } }),
  );
  return ((await response.json()) as EndpointManifest).protocolMode;
}

describe("the Node endpoint's handlers", () => {
  const restate = endpoint().setLogger(silent).bind(greeter);

  it("http2Handler() streams both ways unless told otherwise", async () => {
    expect(await nodeMode(restate.http2Handler(), 2)).toBe("BIDI_STREAM");
    expect(await nodeMode(restate.http2Handler({ bidirectional: false }), 2)).toBe(
      "REQUEST_RESPONSE",
    );
  });

  it("http1Handler() is request/response unless told otherwise", async () => {
    expect(await nodeMode(restate.http1Handler(), 1)).toBe("REQUEST_RESPONSE");
    expect(await nodeMode(restate.http1Handler({ bidirectional: true }), 1)).toBe("BIDI_STREAM");
  });

  it("handler() follows the HTTP version, or the forced mode", async () => {
    expect(await nodeMode(restate.handler(), 1)).toBe("REQUEST_RESPONSE");
    expect(await nodeMode(restate.handler(), 2)).toBe("BIDI_STREAM");
    expect(await nodeMode(restate.handler({ bidirectional: true }), 1)).toBe("BIDI_STREAM");
    expect(await nodeMode(restate.handler({ bidirectional: false }), 2)).toBe("REQUEST_RESPONSE");
  });

  it("handler() carries the fetch handler as .fetch, and answers a Request with it", async () => {
    const handler = restate.handler();
    expect(await fetchMode(handler.fetch)).toBe("REQUEST_RESPONSE");
    const asFetch = handler as unknown as (request: Request) => Promise<Response>;
    expect(await fetchMode(asFetch)).toBe("REQUEST_RESPONSE");
  });
});

describe("the fetch endpoint's bidirectional()", () => {
  it("is request/response by default, bidi when set, and can be unset", async () => {
    const restate = fetchEndpoint().setLogger(silent).bind(greeter);
    expect(await fetchMode(restate.handler())).toBe("REQUEST_RESPONSE");
    expect(await fetchMode(restate.bidirectional().handler())).toBe("BIDI_STREAM");
    expect(await fetchMode(restate.bidirectional(false).handler())).toBe("REQUEST_RESPONSE");
  });

  it("createEndpointHandler({ bidirectional }) sets the same mode", async () => {
    const options = { services: [greeter], logger: silent };
    expect(await fetchMode(createEndpointHandler(options))).toBe("REQUEST_RESPONSE");
    const bidi = createEndpointHandler({ ...options, bidirectional: true });
    expect(await fetchMode(bidi)).toBe("BIDI_STREAM");
  });
});
