// SPDX-License-Identifier: MIT
// Node-only path for `POST .../invoke/:service/:handler`: the invocations of the Node request
// handler (`restate-hono/node`, and what `listen()` serves).
//
// Why: the profile of an invocation through `@hono/node-server` is dominated by stream plumbing,
// not by the protocol: a Web `Request` (undici headers, an AbortSignal) and a `ReadableStream` for
// the request body, another `ReadableStream` for the response, and Node's transferable-stream setup
// for each. Here request chunks go from the Node stream straight into the engine and frames go
// straight out with `res.write`. Routing, identity and the closing rule are the endpoint core's
// and the shared pump's, exactly as on the Hono path.
import type http from "node:http";
import type { AttemptRegistry } from "./attempt-registry.js";
import {
  textResponse,
  type EndpointCore,
  type HeaderReader,
  type PlainResponse,
} from "./endpoint-core.js";
import { InvocationPump } from "./invocation-pump.js";
import { needsIdentity, type InvokeRequest } from "./request-parser.js";
import { SERVER_HEADER } from "./version.js";

/** Node's own server passes no extra handler arguments, as in the official SDK. */
const NO_EXTRA_ARGS: readonly unknown[] = Object.freeze([]);

/** The part of a Node request (HTTP/1.1 or HTTP/2 compatibility API) the fast path reads. */
export interface NodeRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: http.IncomingHttpHeaders;
  readonly httpVersionMajor: number;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  resume(): unknown;
}

/** The part of a Node response the fast path writes. */
export interface NodeResponse {
  writeHead(status: number, headers: Readonly<Record<string, string>>): unknown;
  write(chunk: Uint8Array): unknown;
  end(): unknown;
  end(body: string): unknown;
  on(event: "close", listener: () => void): unknown;
}

/** Handles the request and returns true if it is an invocation, else returns false. */
export type NodeInvoker = (req: NodeRequest, res: NodeResponse) => boolean;

/** The path without its query. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return "/";
  const query = url.indexOf("?");
  return query < 0 ? url : url.slice(0, query);
}

/** Node's header record seen through `get(name)`, as the identity check reads it. */
export function headerReader(headers: http.IncomingHttpHeaders): HeaderReader {
  return {
    get(name) {
      const value = headers[name];
      return value === undefined ? null : Array.isArray(value) ? (value[0] ?? null) : value;
    },
  };
}

/** Writes a small complete answer. */
export function sendPlain(res: NodeResponse, { status, headers, body }: PlainResponse): void {
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * Creates the path for invocations over Node's own request and response objects: only
 * well-formed invocations of known handlers (signed, when identity keys are configured) take it;
 * the rest is left to the caller (discovery, health, preview, refusals).
 *
 * @internal
 */
export function createNodeInvoker(core: EndpointCore, attempts?: AttemptRegistry): NodeInvoker {
  return (req, res) => {
    const path = pathOf(req.url);
    const request = core.parse(req.method ?? "GET", path, req.headers["content-type"]);
    if (request.kind !== "invoke") return false;
    if (attempts?.isDraining === true) {
      // Shutting down: the runtime retries the attempt elsewhere or once we are back.
      req.resume();
      sendPlain(res, textResponse(503, "Shutting down"));
      return true;
    }
    const denied = needsIdentity(request)
      ? core.authorize(path, headerReader(req.headers))
      : undefined;
    if (denied === undefined) invokeNode(core, request, req, res, attempts);
    else
      afterIdentityCheck(core, denied, req, res, () =>
        invokeNode(core, request, req, res, attempts),
      );
    return true;
  };
}

/**
 * Serves a request whose identity check is pending: `serve` once it passes, the refusal when it
 * fails, and a 500 when the check itself throws; a request not served has its body drained.
 *
 * @internal
 */
export function afterIdentityCheck(
  core: EndpointCore,
  check: Promise<PlainResponse | undefined>,
  req: NodeRequest,
  res: NodeResponse,
  serve: () => void,
): void {
  // Until a 'data' listener is attached the request body waits in the stream, unread.
  check.then(
    (refused) => {
      if (refused === undefined) {
        serve();
      } else {
        req.resume();
        sendPlain(res, refused);
      }
    },
    (error: unknown) => {
      req.resume();
      sendPlain(res, unexpectedError(core, error));
    },
  );
}

/**
 * Logs an error no request should cause and returns its answer: a 500 naming it, as the Hono
 * app's error handler answers.
 *
 * @internal
 */
export function unexpectedError(core: EndpointCore, error: unknown): PlainResponse {
  core.logger.error("Unexpected endpoint error", error);
  const message = error instanceof Error ? error.message : String(error);
  return textResponse(500, `Internal error: ${message}`);
}

/**
 * Runs one invocation over Node's request and response.
 *
 * @internal
 */
export function invokeNode(
  core: EndpointCore,
  { handler, version, contentType }: InvokeRequest,
  req: NodeRequest,
  res: NodeResponse,
  attempts?: AttemptRegistry,
): void {
  res.writeHead(200, { "content-type": contentType, "x-restate-server": SERVER_HEADER });
  const pump = new NodePump(res, attempts);
  attempts?.add(pump);
  pump.run(core.runner, core.params(handler, version, headerMap(req.headers), NO_EXTRA_ARGS));
  req.on("data", (chunk: Uint8Array) => pump.push(chunk));
  req.on("end", () => pump.requestEnded());
  req.on("error", (error: Error) => pump.requestFailed(error));
  res.on("close", () => pump.disconnected(new Error("the connection closed")));
}

/** The pump whose output is a Node response. */
class NodePump extends InvocationPump {
  readonly #res: NodeResponse;
  readonly #attempts: AttemptRegistry | undefined;

  constructor(res: NodeResponse, attempts: AttemptRegistry | undefined) {
    super();
    this.#res = res;
    this.#attempts = attempts;
  }

  override disconnected(reason: unknown): void {
    super.disconnected(reason);
    this.#attempts?.delete(this);
  }

  protected emit(chunk: Uint8Array): void {
    this.#res.write(chunk);
  }

  protected finish(): void {
    this.#res.end();
    this.#attempts?.delete(this);
  }

  protected fail(): void {
    // The request stream broke, so the connection is gone: end what is left of the response.
    this.#res.end();
    this.#attempts?.delete(this);
  }
}

function headerMap(headers: http.IncomingHttpHeaders): Map<string, string> {
  const map = new Map<string, string>();
  for (const key in headers) {
    const value = headers[key];
    if (value !== undefined) map.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  return map;
}
