// SPDX-License-Identifier: MIT
// `hono/tiny`: the same Hono with one small router instead of the default pair of routers; the
// app has a single catch-all route, and a Worker bundle is about 5 kB smaller.
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import type { ServiceEntry } from "../definitions/registry.js";
import {
  createEndpointCore,
  type EndpointCore,
  type EndpointCoreOptions,
} from "./endpoint-core.js";
import { extraArgsOf } from "./extra-args.js";
import { answerFetch, unexpectedErrorResponse } from "./fetch-answer.js";

/**
 * Options of {@link createEndpointApp}.
 *
 * @example
 * const options: Partial<EndpointAppOptions> = { identityKeys: ["publickeyv1_…"] };
 */
export type EndpointAppOptions = EndpointCoreOptions;

/**
 * `@hono/node-server` passes the Node request as `env.incoming`; fetch runtimes pass their own
 * bindings or nothing, and never speak full-duplex HTTP/2 to us.
 */
function isHttp2(env: unknown): boolean {
  const incoming = (env as { incoming?: { httpVersionMajor?: unknown } } | undefined)?.incoming;
  return incoming?.httpVersionMajor === 2;
}

/**
 * Creates the Hono app that serves a Restate deployment: `GET …/discover`,
 * `POST …/invoke/:service/:handler` and `GET …/health`. Routes match on the path's last segments,
 * so the app works at the root, mounted with `app.route(prefix, …)`, or behind a proxy prefix.
 *
 * Over HTTP/2 (from `@hono/node-server`) invocations run in bidi mode and discovery advertises
 * `BIDI_STREAM`; anything else is request/response. The app answers every path under the point
 * where it is mounted (unknown ones with 404), so give it a prefix of its own. With identity keys,
 * every request but a health check is verified before anything else is looked at.
 *
 * @example
 * const app = new Hono();
 * app.route("/restate", createEndpointApp([toServiceEntry(greeter)]));
 */
export function createEndpointApp(
  services: readonly ServiceEntry[],
  options: Partial<EndpointAppOptions> = {},
): Hono {
  return createCoreApp(createEndpointCore(services, options));
}

/**
 * The Hono app over an existing {@link EndpointCore}.
 *
 * @param bidirectional - the protocol mode discovery advertises: `undefined` detects it per
 *   request (bidi over HTTP/2 from `@hono/node-server`, else request/response); `true`/`false`
 *   forces it (e.g. a fetch runtime that streams both ways over HTTP/2).
 * @internal
 */
export function createCoreApp(core: EndpointCore, bidirectional?: boolean): Hono {
  const route = (c: Context): Response | Promise<Response> =>
    answerFetch(core, c.req.raw, {
      path: c.req.path,
      mode: (bidirectional ?? isHttp2(c.env)) ? "BIDI_STREAM" : "REQUEST_RESPONSE",
      extraArgs: () => extraArgsOf(c.env, () => c.executionCtx),
      body: () => c.req.arrayBuffer(),
    });
  const app = new Hono();
  app.all("*", route);
  app.onError((error) => unexpectedErrorResponse(core, error));
  return app;
}
