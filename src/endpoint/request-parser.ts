// SPDX-License-Identifier: MIT
// What a request asks for (method, path, content type, protocol version), decided in one place
// for the Hono app, the Node fast path and the Lambda handler. Pure: no I/O, no identity check.
import type { ProtocolVersion } from "../context/invocation.js";
import type { HandlerEntry, ServiceEntry } from "../definitions/registry.js";
import type { ProtocolVersionRange } from "./discovery.js";
import { previewTarget, type PreviewTarget } from "./serde-preview.js";

/** The protocol versions answered, keyed by the exact content type the runtime sends (§1.3). */
export const INVOCATION_CONTENT_TYPES: ReadonlyMap<string, ProtocolVersion> = new Map([
  ["application/vnd.restate.invocation.v5", 5],
  ["application/vnd.restate.invocation.v6", 6],
  ["application/vnd.restate.invocation.v7", 7],
]);

/** Parses a content type loosely (case, spaces, parameters) when the exact lookup misses. */
export function protocolVersionOf(
  contentType: string | null | undefined,
): ProtocolVersion | undefined {
  if (contentType === null || contentType === undefined) return undefined;
  return (
    INVOCATION_CONTENT_TYPES.get(contentType) ??
    INVOCATION_CONTENT_TYPES.get((contentType.split(";", 1)[0] ?? "").trim().toLowerCase())
  );
}

/** A well-formed invocation of a handler this endpoint serves. */
export interface InvokeRequest {
  readonly kind: "invoke";
  readonly handler: HandlerEntry;
  readonly version: ProtocolVersion;
  /** Echoed as the response's content type. */
  readonly contentType: string;
}

/** A request answered with a plain-text error (404, 405, 415). */
export interface RefusedRequest {
  readonly kind: "refused";
  readonly status: 404 | 405 | 415;
  readonly message: string;
  /** The `allow` header of a 405. */
  readonly allow?: string;
}

/** A serde preview (`…/serdes/:service/:operation/:serdeName`); any method, as the official SDK. */
export interface PreviewRequest extends PreviewTarget {
  readonly kind: "preview";
}

/** What a request asks for; `refused` ones are answered only after the identity check passes. */
export type ParsedRequest =
  | InvokeRequest
  | PreviewRequest
  | RefusedRequest
  | { readonly kind: "discover" }
  | { readonly kind: "health" };

/** Turns method, path (no query, any mount prefix) and content type into a {@link ParsedRequest}. */
export type RequestParser = (
  method: string,
  path: string,
  contentType: string | null | undefined,
) => ParsedRequest;

/**
 * `…/serdes/{service}/{encode|decode}/{serde name}`: the name may hold slashes (`greet/input`), a
 * trailing slash is ignored. Matched before the invoke route, as by the official SDK.
 *
 * @internal
 */
export const PREVIEW_PATH = /(?:^|\/)serdes\/([^/]+)\/(encode|decode)\/(.+?)\/?$/;

const DISCOVER: ParsedRequest = Object.freeze({ kind: "discover" });
const HEALTH: ParsedRequest = Object.freeze({ kind: "health" });

function refused(status: 404 | 405 | 415, message: string, allow?: string): RefusedRequest {
  return allow === undefined
    ? { kind: "refused", status, message }
    : { kind: "refused", status, message, allow };
}

/**
 * Whether the request must carry a valid identity before it is answered (docs/protocol.md §12):
 * everything except a health check, so an unsigned caller learns nothing about which services,
 * handlers, methods or versions exist — whatever the path. A preview path whose serde name is not
 * valid URL encoding fails before the check, as with the official SDK (its 500 names no service).
 */
export function needsIdentity(request: ParsedRequest): boolean {
  return (
    request.kind !== "health" &&
    !(request.kind === "preview" && request.malformedName !== undefined)
  );
}

/**
 * Creates the parser for an endpoint serving `services`. The routes match on the path's last
 * segments (docs/protocol.md §1.1), so a mount or proxy prefix does not matter.
 *
 * @example
 * const parse = createRequestParser(new Map([["greeter", entry]]), { min: 5, max: 6 });
 * parse("POST", "/invoke/greeter/greet", "application/vnd.restate.invocation.v6");
 */
export function createRequestParser(
  services: ReadonlyMap<string, ServiceEntry>,
  range: ProtocolVersionRange,
): RequestParser {
  const accepted = [...INVOCATION_CONTENT_TYPES]
    .filter(([, version]) => version >= range.min && version <= range.max)
    .map(([type]) => type)
    .join(" and ");

  function invoke(
    method: string,
    service: string,
    name: string,
    contentType: string | null | undefined,
  ): ParsedRequest {
    if (method !== "POST") return refused(405, "Method not allowed: use POST", "POST");
    const version = protocolVersionOf(contentType);
    if (
      contentType === null ||
      contentType === undefined ||
      version === undefined ||
      version < range.min ||
      version > range.max
    ) {
      const got =
        contentType === null || contentType === undefined
          ? "no content-type"
          : `content-type "${contentType}"`;
      return refused(
        415,
        `Unsupported invocation protocol: got ${got}; this endpoint accepts ${accepted}.`,
      );
    }
    const entry = services.get(service);
    if (entry === undefined) return refused(404, `Service "${service}" not found on this endpoint`);
    const handler = entry.handlers.get(name);
    if (handler === undefined) {
      return refused(404, `Handler "${name}" not found in service "${service}"`);
    }
    return { kind: "invoke", handler, version, contentType };
  }

  return (method, path, contentType) => {
    const preview = PREVIEW_PATH.exec(path);
    if (preview !== null) {
      const [, service = "", operation, serdeName = ""] = preview;
      return {
        kind: "preview",
        ...previewTarget(service, operation as "encode" | "decode", serdeName),
      };
    }
    const segments = path.split("/");
    const n = segments.length;
    if (n >= 4 && segments[n - 3] === "invoke") {
      return invoke(method, segments[n - 2] ?? "", segments[n - 1] ?? "", contentType);
    }
    const last = segments[n - 1];
    if (last === "discover") {
      return method === "GET" ? DISCOVER : refused(405, "Method not allowed: use GET", "GET");
    }
    if (last === "health") {
      return method === "GET" || method === "HEAD"
        ? HEALTH
        : refused(405, "Method not allowed: use GET", "GET");
    }
    return refused(
      404,
      `Not found: ${path} (expected …/discover, …/invoke/:service/:handler, …/health or ` +
        `…/serdes/:service/encode|decode/:serdeName)`,
    );
  };
}
