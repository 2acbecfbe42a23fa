// SPDX-License-Identifier: MIT
// One Web-standard request answered by the endpoint core: what the Hono app (app.ts) does inside
// its single catch-all route, and what `createEndpointHandler` from `restate-hono/fetch` does
// without Hono (fetch-handler.ts). Shared so the two answer alike, byte for byte.
import type { ProtocolMode } from "./discovery.js";
import {
  HEALTHY,
  refusal,
  textResponse,
  type EndpointCore,
  type PlainResponse,
} from "./endpoint-core.js";
import { streamInvocation } from "./invocation-stream.js";
import {
  needsIdentity,
  type InvokeRequest,
  type ParsedRequest,
  type PreviewRequest,
} from "./request-parser.js";
import type { PreviewResponse } from "./serde-preview.js";
import { SERVER_HEADER } from "./version.js";

/** What the transport knows about a request beyond the `Request` itself. */
export interface FetchRequestFacts {
  /** The path the routes match on (no query; any mount prefix is fine). */
  readonly path: string;
  /** The mode discovery advertises. */
  readonly mode: ProtocolMode;
  /** The runtime's extra handler arguments, read only when an invocation starts. */
  readonly extraArgs: () => readonly unknown[];
  /** The whole body, for a serde preview (Hono's cached reader in the app). */
  readonly body: () => Promise<ArrayBuffer>;
}

function toResponse({ status, headers, body }: PlainResponse | PreviewResponse): Response {
  return new Response(body, { status, headers });
}

/**
 * Answers `request`: the identity check first (unless it is a health check), then discovery, an
 * invocation, a serde preview, a health check or a refusal.
 *
 * @internal
 */
export function answerFetch(
  core: EndpointCore,
  request: Request,
  facts: FetchRequestFacts,
): Response | Promise<Response> {
  const parsed = core.parse(request.method, facts.path, request.headers.get("content-type"));
  const denied = needsIdentity(parsed) ? core.authorize(facts.path, request.headers) : undefined;
  return denied === undefined
    ? answer(core, request, parsed, facts)
    : verified(core, request, parsed, facts, denied);
}

async function verified(
  core: EndpointCore,
  request: Request,
  parsed: ParsedRequest,
  facts: FetchRequestFacts,
  denied: Promise<PlainResponse | undefined>,
): Promise<Response> {
  const refusedIdentity = await denied;
  return refusedIdentity === undefined
    ? answer(core, request, parsed, facts)
    : toResponse(refusedIdentity);
}

function answer(
  core: EndpointCore,
  request: Request,
  parsed: ParsedRequest,
  facts: FetchRequestFacts,
): Response | Promise<Response> {
  switch (parsed.kind) {
    case "invoke":
      return invoke(core, request, parsed, facts);
    case "preview":
      return preview(core, parsed, facts);
    case "discover":
      return toResponse(core.discover(request.headers.get("accept"), facts.mode));
    case "health":
      return toResponse(HEALTHY);
    case "refused":
      return toResponse(refusal(parsed));
    default: {
      const unreachable: never = parsed;
      return unreachable;
    }
  }
}

function invoke(
  core: EndpointCore,
  request: Request,
  { handler, version, contentType }: InvokeRequest,
  facts: FetchRequestFacts,
): Response {
  const params = core.params(handler, version, new Map(request.headers), facts.extraArgs());
  return new Response(streamInvocation(core.runner, params, request.body), {
    status: 200,
    headers: { "content-type": contentType, "x-restate-server": SERVER_HEADER },
  });
}

async function preview(
  core: EndpointCore,
  request: PreviewRequest,
  facts: FetchRequestFacts,
): Promise<Response> {
  const body = new Uint8Array(await facts.body());
  return toResponse(await core.preview(request, body));
}

/**
 * The 500 answer to an error nothing else caught (logged once).
 *
 * @internal
 */
export function unexpectedErrorResponse(core: EndpointCore, error: unknown): Response {
  core.logger.error("Unexpected endpoint error", error);
  const message = error instanceof Error ? error.message : String(error);
  return toResponse(textResponse(500, `Internal error: ${message}`));
}
