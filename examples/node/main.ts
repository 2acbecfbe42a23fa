// SPDX-License-Identifier: MIT
// The services of ../fetch-services.ts on a Node HTTP/2 server you create yourself, with the
// request handler of `restate-hono/node` (the same shape as `@restatedev/restate-sdk/node`).
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { createEndpointHandler } from "restate-hono/node";
import { services } from "../fetch-services.js";

const server = http2.createServer(createEndpointHandler({ services: [...services] }));
server.listen(Number(process.env["PORT"] ?? 9080), () => {
  // The port it got: PORT=0 asks for any free one.
  const { port } = server.address() as AddressInfo;
  console.log(`Restate endpoint listening on port ${port}`);
});
