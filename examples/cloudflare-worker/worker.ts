// SPDX-License-Identifier: MIT
// A Restate endpoint as a Cloudflare Worker, without Node.js compatibility: `restate-hono/fetch`
// imports no `node:` module. Workers answer over HTTP/1.1, so the endpoint runs in
// request/response mode: register it with `use_http_11` (see README.md).
import { createEndpointHandler, type FetchHandler } from "restate-hono/fetch";
import { services } from "../fetch-services.js";

/** The Worker's bindings (wrangler.toml `[vars]` and secrets). */
interface Env {
  /** Comma-separated `publickeyv1_…` keys: when set, only a Restate server holding one may call. */
  readonly RESTATE_IDENTITY_KEYS?: string;
}

let handler: FetchHandler | undefined;

// Built on the first request, because a Worker's bindings are only known then.
function handlerFor(env: Env): FetchHandler {
  const keys = env.RESTATE_IDENTITY_KEYS?.split(",").map((key) => key.trim()) ?? [];
  return (handler ??= createEndpointHandler({
    services: [...services],
    identityKeys: keys.filter((key) => key !== ""),
  }));
}

// A default export, against the style guide: it is how a module Worker declares its handlers.
export default {
  // `env` and `executionCtx` reach the handlers as `ctx.request().extraArgs`.
  fetch: (request: Request, env: Env, executionCtx: unknown): Promise<Response> =>
    handlerFor(env)(request, env, executionCtx),
};
