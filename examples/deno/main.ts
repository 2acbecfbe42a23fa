// SPDX-License-Identifier: MIT
// A Restate endpoint on Deno. `Deno.serve` answers over HTTP/1.1 here, so the endpoint runs in
// request/response mode: register it with `use_http_11` (see README.md).
import { createEndpointHandler } from "restate-hono/fetch";
import { services } from "../fetch-services.js";

/** The Deno APIs this template uses (Deno's own types are not loaded by this repository's tsc). */
declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: (request: Request, info: unknown) => Promise<Response>,
  ): unknown;
};

const hostname = Deno.env.get("HOST") ?? "127.0.0.1";
Deno.serve(
  {
    port: Number(Deno.env.get("PORT") ?? 9080),
    hostname,
    onListen: ({ port }) => console.log(`Restate endpoint listening on http://${hostname}:${port}`),
  },
  createEndpointHandler({ services: [...services] }),
);
