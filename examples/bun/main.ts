// SPDX-License-Identifier: MIT
// A Restate endpoint on Bun. `Bun.serve` speaks HTTP/1.1, so the endpoint runs in
// request/response mode: register it with `use_http_11` (see README.md).
import { createEndpointHandler } from "restate-hono/fetch";
import { services } from "../fetch-services.js";

/** The one Bun API this template uses (`bun-types` is not a dependency of this repository). */
declare const Bun: {
  serve(options: {
    port: number;
    hostname: string;
    fetch: (request: Request, server: unknown) => Promise<Response>;
  }): { readonly port: number; readonly hostname: string };
};

const server = Bun.serve({
  port: Number(process.env["PORT"] ?? 9080),
  hostname: process.env["HOST"] ?? "127.0.0.1",
  fetch: createEndpointHandler({ services: [...services] }),
});
console.log(`Restate endpoint listening on http://${server.hostname}:${server.port}`);
