// SPDX-License-Identifier: MIT
import { Hono } from "hono";
import type { Context } from "hono";
import type { ProtocolVersion } from "../context/invocation.js";
import type { HandlerEntry, ServiceEntry } from "../definitions/registry.js";
import {
  SUPPORTED_PROTOCOL_VERSIONS,
  createDiscovery,
  type ProtocolMode,
  type ProtocolVersionRange,
} from "./discovery.js";
import { extraArgsOf } from "./extra-args.js";
import { createIdentityVerifier, type IdentityVerifier } from "./identity.js";
import { streamInvocation } from "./invocation-stream.js";
import { createLogger, type Logger } from "./logger.js";
import { SERVER_HEADER } from "./version.js";
import {
  INVOCATION_CONTENT_TYPES,
  protocolVersionOf,
  targetOf,
  type InvokeTarget,
} from "./routing.js";

/**
 * Options of {@link createEndpointApp}.
 *
 * @example
 * const options: Partial<EndpointAppOptions> = { identityKeys: ["publickeyv1_…"] };
 */
export interface EndpointAppOptions {
  /** Request-identity public keys (`publickeyv1_…`); empty = accept unsigned requests. */
  readonly identityKeys: readonly string[];
  /** Shared by the endpoint and every invocation; created once. */
  readonly logger: Logger;
  /** Largest protocol message accepted from the runtime; `undefined` = the runner's default. */
  readonly maxMessageSize: number | undefined;
  /**
   * Service protocol versions advertised at discovery and accepted on invocations (default 5..6);
   * a request announcing another version gets 415.
   */
  readonly protocolVersions: ProtocolVersionRange;
}

const TEXT_HEADERS = Object.freeze({
  "content-type": "text/plain; charset=utf-8",
  "x-restate-server": SERVER_HEADER,
});

function text(status: number, body: string, extra?: Record<string, string>): Response {
  return new Response(body, {
    status,
    headers: extra ? { ...TEXT_HEADERS, ...extra } : TEXT_HEADERS,
  });
}

function unsupportedMediaType(contentType: string | null, range: ProtocolVersionRange): Response {
  const got = contentType === null ? "no content-type" : `content-type "${contentType}"`;
  const accepted = [...INVOCATION_CONTENT_TYPES]
    .filter(([, version]) => version >= range.min && version <= range.max)
    .map(([type]) => type);
  return text(
    415,
    `Unsupported invocation protocol: got ${got}; this endpoint accepts ${accepted.join(" and ")}.`,
  );
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
 * where it is mounted (unknown ones with 404), so give it a prefix of its own.
 *
 * @example
 * const app = new Hono();
 * app.route("/restate", createEndpointApp([toServiceEntry(greeter)]));
 */
export function createEndpointApp(
  services: readonly ServiceEntry[],
  options: Partial<EndpointAppOptions> = {},
): Hono {
  const byName = new Map(services.map((service) => [service.name, service]));
  const range = options.protocolVersions ?? SUPPORTED_PROTOCOL_VERSIONS;
  const discover = createDiscovery(services, range);
  const logger = options.logger ?? createLogger();
  const maxMessageSize = options.maxMessageSize;
  const keys = options.identityKeys ?? [];
  const verifier = keys.length > 0 ? createIdentityVerifier(keys) : undefined;

  /** Checks the request identity (PROTOCOL.md §12); returns the 401 answer when it fails. */
  async function deny(v: IdentityVerifier, c: Context, aud: string): Promise<Response | undefined> {
    const result = await v.verify(aud, c.req.raw.headers);
    if (result.ok) return undefined;
    logger.warn(`Rejected request to ${aud}: ${result.reason}`);
    return text(401, `Unauthorized: ${result.reason}`);
  }

  async function signedInvoke(
    v: IdentityVerifier,
    c: Context,
    target: InvokeTarget,
    handler: HandlerEntry,
    version: ProtocolVersion,
  ): Promise<Response> {
    const aud = `/invoke/${target.service}/${target.handler}`;
    return (await deny(v, c, aud)) ?? invoke(c, handler, version);
  }

  async function signedDiscovery(v: IdentityVerifier, c: Context): Promise<Response> {
    return (await deny(v, c, "/discover")) ?? discovery(c);
  }

  function discovery(c: Context): Response {
    const mode: ProtocolMode = isHttp2(c.env) ? "BIDI_STREAM" : "REQUEST_RESPONSE";
    const { status, headers, body } = discover(c.req.header("accept"), mode);
    return new Response(body, { status, headers });
  }

  function invoke(c: Context, handler: HandlerEntry, version: ProtocolVersion): Response {
    const request = c.req.raw;
    const body = streamInvocation(
      {
        handler,
        protocolVersion: version,
        mode: isHttp2(c.env) ? "bidi" : "request-response",
        attemptHeaders: new Map(request.headers),
        extraArgs: extraArgsOf(c.env, () => c.executionCtx),
        ...(maxMessageSize === undefined ? {} : { maxMessageSize }),
        logger,
      },
      request.body,
    );
    return new Response(body, {
      status: 200,
      headers: {
        "content-type": request.headers.get("content-type") ?? "",
        "x-restate-server": SERVER_HEADER,
      },
    });
  }

  function route(c: Context): Response | Promise<Response> {
    const target = targetOf(c.req.path);
    const method = c.req.method;
    switch (target.kind) {
      case "invoke": {
        if (method !== "POST") return text(405, "Method not allowed: use POST", { allow: "POST" });
        const contentType = c.req.raw.headers.get("content-type");
        const version = protocolVersionOf(contentType);
        if (version === undefined || version < range.min || version > range.max) {
          return unsupportedMediaType(contentType, range);
        }
        const service = byName.get(target.service);
        if (service === undefined) {
          return text(404, `Service "${target.service}" not found on this endpoint`);
        }
        const handler = service.handlers.get(target.handler);
        if (handler === undefined) {
          return text(404, `Handler "${target.handler}" not found in service "${target.service}"`);
        }
        return verifier === undefined
          ? invoke(c, handler, version)
          : signedInvoke(verifier, c, target, handler, version);
      }
      case "discover":
        if (method !== "GET") return text(405, "Method not allowed: use GET", { allow: "GET" });
        return verifier === undefined ? discovery(c) : signedDiscovery(verifier, c);
      case "health":
        if (method !== "GET" && method !== "HEAD")
          return text(405, "Method not allowed: use GET", { allow: "GET" });
        return text(200, "OK");
      case "none":
        return text(
          404,
          `Not found: ${c.req.path} (expected …/discover, …/invoke/:service/:handler or …/health)`,
        );
      default: {
        const unreachable: never = target;
        return unreachable;
      }
    }
  }

  const app = new Hono();
  app.all("*", route);
  app.onError((error) => {
    logger.error("Unexpected endpoint error", error);
    return text(500, `Internal error: ${error instanceof Error ? error.message : String(error)}`);
  });
  return app;
}
