// SPDX-License-Identifier: MIT
// The service protocol versions an endpoint advertises and accepts, side by side with the official
// SDK: the discovery manifest's range for each kind of endpoint (fetch in request/response and
// bidi mode, Lambda), and which invocation content types are answered (200) or refused (415).
// A restate-server with V7 enabled picks the highest version of the range, so a different range
// means a different protocol after switching SDKs. The polyfill must be the first import (Node 20).
import "../../bench/polyfill.js";
import * as official from "@restatedev/restate-sdk/fetch";
import * as officialLambda from "@restatedev/restate-sdk/lambda";
import { describe, expect, it } from "vitest";
import * as ours from "../../src/fetch.js";
import * as oursLambda from "../../src/lambda.js";
import { inputCommand, journalCase } from "../../src/journal/testing/journal-case.js";

const MANIFEST_V4 = "application/vnd.restate.endpointmanifest.v4+json";

const greet = async (_ctx: unknown, name: string) => `hi ${name}`;
type FetchHandler = (request: Request) => Promise<Response> | Response;
type LambdaHandler = (event: object, context: object) => Promise<unknown>;

/** Each SDK's endpoints, serving the same one-handler service. */
function endpointsOf(sdk: typeof ours, lambda: typeof oursLambda) {
  const services = [sdk.service({ name: "Greeter", handlers: { greet } })];
  return {
    fetch: sdk.createEndpointHandler({ services }) as FetchHandler,
    bidi: sdk.createEndpointHandler({ services, bidirectional: true }) as FetchHandler,
    lambda: lambda.createEndpointHandler({
      services: [lambda.service({ name: "Greeter", handlers: { greet } })],
    }) as unknown as LambdaHandler,
  };
}

const theirs = endpointsOf(
  official as unknown as typeof ours,
  officialLambda as unknown as typeof oursLambda,
);
const mine = endpointsOf(ours, oursLambda);

type Endpoints = typeof mine;

/** The manifest's protocol fields, as one kind of endpoint answers discovery. */
async function advertised(endpoints: Endpoints, kind: keyof Endpoints): Promise<unknown> {
  let manifest: Record<string, unknown>;
  if (kind === "lambda") {
    const result = (await endpoints.lambda(
      {
        path: "/discover",
        httpMethod: "GET",
        headers: { accept: MANIFEST_V4 },
        body: "",
        isBase64Encoded: false,
      },
      {},
    )) as { body: string; isBase64Encoded?: boolean };
    const text = result.isBase64Encoded
      ? new TextDecoder().decode(Uint8Array.from(atob(result.body), (c) => c.charCodeAt(0)))
      : result.body;
    manifest = JSON.parse(text) as Record<string, unknown>;
  } else {
    const res = await endpoints[kind](
      new Request("http://endpoint/discover", { headers: { accept: MANIFEST_V4 } }),
    );
    manifest = (await res.json()) as Record<string, unknown>;
  }
  const { protocolMode, minProtocolVersion, maxProtocolVersion } = manifest;
  return { protocolMode, minProtocolVersion, maxProtocolVersion };
}

/** The status and content type an invocation announcing `contentType` gets. */
async function answered(endpoints: Endpoints, contentType: string) {
  const res = await endpoints.fetch(
    new Request("http://endpoint/invoke/Greeter/greet", {
      method: "POST",
      headers: { "content-type": contentType },
      body: journalCase().start().input(inputCommand('"x"')).requestBytes(),
    }),
  );
  await res.arrayBuffer();
  return {
    status: res.status,
    contentType: res.status === 200 ? res.headers.get("content-type") : null,
  };
}

describe("protocol versions: the same as the official SDK's", () => {
  it.each(["fetch", "bidi", "lambda"] as const)("%s endpoint advertises V5–V7", async (kind) => {
    const expected = await advertised(theirs, kind);
    expect(expected).toMatchObject({ minProtocolVersion: 5, maxProtocolVersion: 7 });
    expect(await advertised(mine, kind)).toEqual(expected);
  });

  it.each([4, 5, 6, 7, 8])("an invocation announcing V%d", async (version) => {
    const contentType = `application/vnd.restate.invocation.v${version}`;
    const expected = await answered(theirs, contentType);
    expect(expected.status).toBe(version >= 5 && version <= 7 ? 200 : 415);
    expect(await answered(mine, contentType)).toEqual(expected);
  });
});
