// SPDX-License-Identifier: MIT
// Run under Node 22 (zstd in node:zlib): the same events, as restate-server 1.7 sends them to a
// Lambda deployment, through our Lambda handler and the official SDK's, with the same service.
// Prints one JSON line: per case and handler, the status, content-encoding and what the answer
// says (the manifest's lambdaCompression, or the invocation's output); then our answer to a zstd
// bomb and how much the process grew meanwhile. A rejected promise (a Lambda function error) is
// reported as `{ rejected: message }`.
import * as zlib from "node:zlib";
import * as official from "@restatedev/restate-sdk/lambda";
import * as ours from "../../../src/lambda.js";
import {
  decodeFrames,
  outputOf,
  requestBody,
} from "../../../src/endpoint/__fixtures__/invocation-frames.js";
import { zlibZstd, zstdBomb, zstdBombSize } from "../zstd.js";

type Handler = (event: unknown, context: unknown) => Promise<ours.LambdaResult>;

const CT = "application/vnd.restate.invocation.v6";
const V4 = "application/vnd.restate.endpointmanifest.v4+json";
const V3 = "application/vnd.restate.endpointmanifest.v3+json";
/** Longer than the 3 MiB above which answers are compressed. */
const LONG = 3_200_000;

const zstd = zlibZstd(zlib);

const ourService = ours.service({
  name: "Zip",
  handlers: { repeat: (_ctx: ours.Context, n: number) => Promise.resolve("z".repeat(n)) },
});
const quiet = { logger: () => {} };
const officialService = official.service({
  name: "Zip",
  handlers: { repeat: (_ctx: official.Context, n: number) => Promise.resolve("z".repeat(n)) },
});
const handlers: Record<"ours" | "official", Handler> = {
  ours: ours.createEndpointHandler({ services: [ourService], ...quiet }),
  official: official.createEndpointHandler({ services: [officialService], ...quiet }) as Handler,
};

/** `ApiGatewayProxyRequest` of restate-server's service-client/src/lambda.rs. */
function event(method: string, path: string, headers: Record<string, string>, body: Uint8Array) {
  const base64 = Buffer.from(body).toString("base64");
  return { path, httpMethod: method, headers, body: base64, isBase64Encoded: true };
}
const invoke = (headers: Record<string, string>, body: Uint8Array) =>
  event("POST", "/invoke/Zip/repeat", { "content-type": CT, ...headers }, body);

const CASES = {
  "discovery v4": event("GET", "/discover", { accept: V4 }, new Uint8Array()),
  "discovery v3": event("GET", "/discover", { accept: V3 }, new Uint8Array()),
  "compressed request, short answer": invoke(
    { "content-encoding": "zstd", "accept-encoding": "zstd" },
    zstd.zstdCompressSync(requestBody("10")),
  ),
  "long answer, zstd accepted": invoke({ "accept-encoding": "zstd" }, requestBody(`${LONG}`)),
  "long answer, zstd not accepted": invoke({}, requestBody(`${LONG}`)),
  "content-encoding zstd on data that is not zstd": invoke(
    { "content-encoding": "zstd" },
    requestBody("10"),
  ),
};

/** What an answer says, decompressed as restate-server does (`content-encoding: zstd`). */
function describe(result: ours.LambdaResult) {
  const encoding = result.headers["content-encoding"] ?? null;
  let body: Uint8Array = Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
  if (encoding?.trim().toLowerCase() === "zstd") {
    body = zstd.zstdDecompressSync(body, { maxOutputLength: 64 * 1024 * 1024 });
  }
  const text = new TextDecoder().decode(body);
  let says: unknown;
  if (result.headers["content-type"]?.includes("endpointmanifest") === true) {
    says = {
      lambdaCompression: (JSON.parse(text) as Record<string, unknown>)["lambdaCompression"],
    };
  } else if (result.statusCode === 200) {
    const output = outputOf(decodeFrames(body));
    says =
      typeof output === "string" || output.case !== "value"
        ? output
        : { outputLength: output.value.content.length, sentBytes: result.body.length };
  } else {
    says = text;
  }
  return { status: result.statusCode, encoding, says };
}

/** The answer described, or the rejection (a Lambda function error). */
async function outcome(handler: Handler, request: unknown, context: unknown) {
  try {
    return describe(await handler(request, context));
  } catch (error) {
    return { rejected: error instanceof Error ? error.message : String(error) };
  }
}

const results: Record<string, Record<string, unknown>> = {};
for (const [name, request] of Object.entries(CASES)) {
  results[name] = {};
  for (const [sdk, handler] of Object.entries(handlers)) {
    results[name][sdk] = await outcome(handler, request, { awsRequestId: `${sdk}-${name}` });
  }
}

// 1 GiB of zeros in 32 KiB of zstd, against ours only: the official handler decompresses it all.
const blocks = 8192;
const rssBefore = process.memoryUsage().rss;
const bomb = await outcome(
  handlers.ours,
  invoke({ "content-encoding": "zstd" }, zstdBomb(blocks)),
  {
    awsRequestId: "bomb",
  },
);
const bombGrowth = process.memoryUsage().rss - rssBefore;

console.log(
  "@@result@@",
  JSON.stringify({
    node: process.version,
    results,
    bomb: { size: zstdBombSize(blocks), outcome: bomb, bombGrowth },
  }),
);
