// SPDX-License-Identifier: MIT
// `hono/tiny`: the same Hono with one small router instead of the default pair of routers; the
// app has a single catch-all route, and a Worker bundle is about 5 kB smaller.
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import type { ServiceEntry } from "../definitions/registry.js";
import {
  HEALTHY,
  createEndpointCore,
  refusal,
  textResponse,
  type EndpointCore,
  type EndpointCoreOptions,
  type PlainResponse,
} from "./endpoint-core.js";
import { extraArgsOf } from "./extra-args.js";
import { streamInvocation } from "./invocation-stream.js";
import {
  needsIdentity,
  type InvokeRequest,
  type ParsedRequest,
  type PreviewRequest,
} from "./request-parser.js";
import type { PreviewResponse } from "./serde-preview.js";
import { SERVER_HEADER } from "./version.js";

/**
 * Options of {@link createEndpointApp}.
 *
 * @example
 * const options: Partial<EndpointAppOptions> = { identityKeys: ["publickeyv1_…"] };
 */
export type EndpointAppOptions = EndpointCoreOptions;

function toResponse({ status, headers, body }: PlainResponse | PreviewResponse): Response {
  return new Response(body, { status, headers });
}

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
  function answer(c: Context, request: ParsedRequest): Response | Promise<Response> {
    switch (request.kind) {
      case "invoke":
        return invoke(c, request);
      case "preview":
        return preview(c, request);
      case "discover":
        return toResponse(
          core.discover(
            c.req.header("accept"),
            (bidirectional ?? isHttp2(c.env)) ? "BIDI_STREAM" : "REQUEST_RESPONSE",
          ),
        );
      case "health":
        return toResponse(HEALTHY);
      case "refused":
        return toResponse(refusal(request));
      default: {
        const unreachable: never = request;
        return unreachable;
      }
    }
  }

  function invoke(c: Context, { handler, version, contentType }: InvokeRequest): Response {
    const request = c.req.raw;
    const extraArgs = extraArgsOf(c.env, () => c.executionCtx);
    const params = core.params(handler, version, new Map(request.headers), extraArgs);
    return new Response(streamInvocation(core.runner, params, request.body), {
      status: 200,
      headers: { "content-type": contentType, "x-restate-server": SERVER_HEADER },
    });
  }

  async function preview(c: Context, request: PreviewRequest): Promise<Response> {
    const body = new Uint8Array(await c.req.arrayBuffer());
    return toResponse(await core.preview(request, body));
  }

  async function verified(
    c: Context,
    request: ParsedRequest,
    denied: Promise<PlainResponse | undefined>,
  ): Promise<Response> {
    const refusedIdentity = await denied;
    return refusedIdentity === undefined ? answer(c, request) : toResponse(refusedIdentity);
  }

  function route(c: Context): Response | Promise<Response> {
    const path = c.req.path;
    const request = core.parse(c.req.method, path, c.req.raw.headers.get("content-type"));
    const denied = needsIdentity(request) ? core.authorize(path, c.req.raw.headers) : undefined;
    return denied === undefined ? answer(c, request) : verified(c, request, denied);
  }

  const app = new Hono();
  app.all("*", route);
  app.onError((error) => {
    core.logger.error("Unexpected endpoint error", error);
    return toResponse(
      textResponse(
        500,
        `Internal error: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
  });
  return app;
}
