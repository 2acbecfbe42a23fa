// SPDX-License-Identifier: MIT
// Serde preview requests to both SDKs' fetch handlers, in memory, with identity keys configured:
// what an unsigned or signed caller gets back must be the same, including which check comes first
// (a serde name that is not valid URL encoding fails before the identity check in both). The
// polyfill must be the first import (Node 20).
import "../../bench/polyfill.js";
import * as official from "@restatedev/restate-sdk/fetch";
import { describe, expect, it } from "vitest";
import { signingKey } from "../../src/endpoint/__fixtures__/signing-key.js";
import * as ours from "../../src/fetch.js";

const key = signingKey();

/** A serde with a preview, for `greet`'s input and output. */
const upper = {
  contentType: "text/x-upper",
  serialize: (v: string) => new TextEncoder().encode(v.toUpperCase()),
  deserialize: (b: Uint8Array) => new TextDecoder().decode(b),
  preview: {
    toJsonString: (v: string) => JSON.stringify(v),
    fromJsonString: (s: string) => JSON.parse(s) as string,
  },
};

const greet = async (_ctx: unknown, s: string) => s;
const officialHandler = official.createEndpointHandler({
  services: [
    official.service({
      name: "Svc",
      handlers: { greet: official.handlers.handler({ input: upper, output: upper }, greet) },
    }),
  ],
  identityKeys: [key.id],
});
const ourHandler = ours.createEndpointHandler({
  services: [
    ours.service({
      name: "Svc",
      handlers: { greet: ours.handlers.handler({ input: upper, output: upper }, greet) },
    }),
  ],
  identityKeys: [key.id],
});

async function answer(
  handler: (request: Request) => Promise<Response> | Response,
  path: string,
  signed: boolean,
) {
  const headers = signed ? key.headers(path) : {};
  const res = await handler(
    new Request(`http://endpoint${path}`, { method: "POST", headers, body: '"hi"' }),
  );
  return { status: res.status, body: res.status === 401 ? "" : await res.text() };
}

describe("serde preview with identity keys: the same answers as the official endpoint", () => {
  const sides = [officialHandler, ourHandler] as const;
  it.each([
    ["a malformed serde name, unsigned", "/serdes/Svc/encode/%E0%A4%A", false, 500],
    ["a malformed serde name, signed", "/serdes/Svc/encode/%E0%A4%A", true, 500],
    ["a good serde name, unsigned", "/serdes/Svc/encode/greet%2Finput", false, 401],
    ["a good serde name, signed", "/serdes/Svc/encode/greet%2Finput", true, 200],
  ] as const)("%s", async (_name, path, signed, status) => {
    const [expected, actual] = await Promise.all(sides.map((h) => answer(h, path, signed)));
    expect(actual).toEqual(expected);
    expect(expected?.status).toBe(status);
  });
});
