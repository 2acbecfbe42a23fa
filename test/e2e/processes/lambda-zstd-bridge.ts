// SPDX-License-Identifier: MIT
// Run under Node 22 (zstd in node:zlib): two Lambda bridges that compress as restate-server's Lambda
// invoker does, one around our Lambda handler, one around the official SDK's, each serving the same
// `roundTrip` handler (as "Big" and "BigOfficial"). `roundTrip(n)` journals an n-byte string with
// ctx.run and sleeps: the answer carrying the run's result is over 3 MiB (compressed by the
// handler), and the attempts that replay it send the journal back in a request over 4 MiB
// (compressed by the bridge). Prints `@@bridges@@ {"ours":url,"official":url}`; each `dump` line on
// stdin prints `@@exchanges@@` and what crossed each bridge so far.
import * as zlib from "node:zlib";
import { createInterface } from "node:readline";
import * as official from "@restatedev/restate-sdk/lambda";
import * as ours from "../../../src/lambda.js";
import { startLambdaBridge } from "../lambda-bridge.js";
import { zlibZstd } from "../zstd.js";

const zstd = zlibZstd(zlib);

const ourBig = ours.service({
  name: "Big",
  handlers: {
    roundTrip: async (ctx: ours.Context, n: number) => {
      const blob = await ctx.run("blob", () => "b".repeat(n));
      await ctx.sleep(10);
      return blob.length;
    },
  },
});
const officialBig = official.service({
  name: "BigOfficial",
  handlers: {
    roundTrip: async (ctx: official.Context, n: number) => {
      const blob = await ctx.run("blob", () => "b".repeat(n));
      await ctx.sleep(10);
      return blob.length;
    },
  },
});

const quiet = { logger: () => {} };
const bridges = {
  ours: await startLambdaBridge(
    ours.createEndpointHandler({ services: [ourBig], ...quiet }),
    "restate-server",
    { zstd },
  ),
  official: await startLambdaBridge(
    official.createEndpointHandler({ services: [officialBig], ...quiet }) as ours.LambdaHandler,
    "restate-server",
    { zstd },
  ),
};
console.log(
  "@@bridges@@",
  JSON.stringify({ ours: bridges.ours.url, official: bridges.official.url }),
);

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== "dump") continue;
  const exchanges = {
    ours: bridges.ours.exchanges,
    official: bridges.official.exchanges,
  };
  console.log("@@exchanges@@", JSON.stringify(exchanges));
}
await Promise.all([bridges.ours.stop(), bridges.official.stop()]);
