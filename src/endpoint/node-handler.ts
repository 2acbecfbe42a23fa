// SPDX-License-Identifier: MIT
// A Node `(req, res)` request handler for `http.createServer` / `http2.createServer`, the shape of
// the official SDK's `createEndpointHandler` from `/node`, and what `listen()` serves. Everything
// goes through the endpoint core and the Node pump directly: no Hono and no Web streams on this
// path.
import type { AttemptRegistry } from "./attempt-registry.js";
import { EndpointBuilder, endpointCore } from "./endpoint-builder.js";
import { HEALTHY, refusal, type EndpointCore } from "./endpoint-core.js";
import { applyEndpointOptions, type EndpointOptions } from "./endpoint-options.js";
import type { FetchHandler } from "./fetch-endpoint.js";
import {
  afterIdentityCheck,
  createNodeInvoker,
  headerReader,
  invokeNode,
  pathOf,
  sendPlain,
  type NodeRequest,
  unexpectedError,
  type NodeResponse,
} from "./node-invoke.js";
import { needsIdentity, type ParsedRequest, type PreviewRequest } from "./request-parser.js";

/**
 * A request handler for Node's HTTP/1.1 and HTTP/2 (compatibility API) servers.
 *
 * @example
 * http2.createServer(createEndpointHandler({ services: [greeter] })).listen(9080);
 */
export type NodeHandler = (req: NodeRequest, res: NodeResponse) => void;

/**
 * Creates the Node request handler over an endpoint core.
 *
 * @param bidirectional - `undefined`: bidi over HTTP/2, request/response over HTTP/1.1; `true` or
 *   `false` forces one mode for every request.
 * @param attempts - where `listen()` tracks running attempts for a graceful close; while it drains,
 *   invocations are answered 503.
 * @internal
 */
export function createNodeHandler(
  core: EndpointCore,
  bidirectional?: boolean,
  attempts?: AttemptRegistry,
): NodeHandler {
  const invoke = createNodeInvoker(core, attempts);

  function answer(req: NodeRequest, res: NodeResponse, request: ParsedRequest): void {
    const isBidi = bidirectional ?? req.httpVersionMajor === 2;
    if (request.kind === "invoke") {
      // The invoker took every invocation already; kept for the exhaustive switch over kinds.
      invokeNode(core, request, req, res, attempts);
      return;
    }
    if (request.kind === "preview") {
      previewNode(core, request, req, res);
      return;
    }
    // Nothing else reads a body: let it flow away.
    req.resume();
    if (request.kind === "discover") {
      const accept = headerReader(req.headers).get("accept");
      sendPlain(res, core.discover(accept, isBidi ? "BIDI_STREAM" : "REQUEST_RESPONSE"));
    } else {
      sendPlain(res, request.kind === "health" ? HEALTHY : refusal(request));
    }
  }

  function serve(req: NodeRequest, res: NodeResponse): void {
    const path = pathOf(req.url);
    const request = core.parse(req.method ?? "GET", path, req.headers["content-type"]);
    const denied = needsIdentity(request)
      ? core.authorize(path, headerReader(req.headers))
      : undefined;
    if (denied === undefined) answer(req, res, request);
    else afterIdentityCheck(core, denied, req, res, () => answer(req, res, request));
  }

  return (req, res) => {
    if (invoke(req, res)) return;
    // A throw here would reach the server's 'request' event and end the process; answer it as
    // the Hono app's error handler does.
    try {
      serve(req, res);
    } catch (error) {
      req.resume();
      sendPlain(res, unexpectedError(core, error));
    }
  };
}

/** Reads the whole request body, then writes the preview answer. */
function previewNode(
  core: EndpointCore,
  request: PreviewRequest,
  req: NodeRequest,
  res: NodeResponse,
): void {
  const chunks: Uint8Array[] = [];
  let size = 0;
  req.on("data", (chunk: Uint8Array) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  // A broken request stream also closes the response: there is nobody left to answer.
  req.on("error", () => res.end());
  req.on("end", () => {
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.length;
    }
    core.preview(request, body).then(
      (answer) => {
        res.writeHead(answer.status, answer.headers);
        res.write(answer.body);
        res.end();
      },
      (error: unknown) => sendPlain(res, unexpectedError(core, error)),
    );
  });
}

/**
 * An endpoint whose only transport is a Node request handler.
 *
 * @internal
 */
export class NodeHandlerEndpoint extends EndpointBuilder {
  /** The handler serving the bound services; see {@link createNodeHandler} for `bidirectional`. */
  nodeHandler(bidirectional?: boolean): NodeHandler {
    return createNodeHandler(endpointCore(this), bidirectional);
  }
}

/**
 * Options of the Node {@link createEndpointHandler}.
 *
 * @example
 * const options: NodeEndpointOptions = { services: [greeter], bidirectional: true };
 */
export interface NodeEndpointOptions extends EndpointOptions {
  /**
   * The protocol mode: by default bidirectional streaming over HTTP/2 and request/response over
   * HTTP/1.1; `true` or `false` forces one mode for every request.
   */
  readonly bidirectional?: boolean;
}

/**
 * A request handler serving `options.services` on a Node server you create (`http.createServer`,
 * `http2.createServer`, `http2.createSecureServer({ allowHTTP1: true })`), in the shape of the
 * official SDK's `createEndpointHandler`.
 *
 * @example
 * http2.createServer(createEndpointHandler({ services: [greeter] })).listen(9080);
 */
export function createEndpointHandler(options: NodeEndpointOptions): NodeHandler {
  return applyEndpointOptions(new NodeHandlerEndpoint(), options).nodeHandler(
    options.bidirectional,
  );
}

/**
 * A handler for Node's servers that carries the endpoint's fetch handler as `fetch` (for
 * `Deno.serve`-style APIs and `@hono/node-server`). Called with a `Request` rather than a Node
 * request, it answers as the fetch handler too, as `endpoint().handler()` did before it served
 * Node servers.
 *
 * @example
 * http.createServer(endpoint().bind(greeter).handler());
 */
export type NodeFetchHandler = NodeHandler & { readonly fetch: FetchHandler["fetch"] };

function isNodeRequest(value: unknown): value is NodeRequest {
  return typeof (value as Partial<NodeRequest> | null)?.httpVersionMajor === "number";
}

/**
 * Joins a Node handler and a fetch handler into one function that dispatches on its argument.
 *
 * @internal
 */
export function nodeFetchHandler(node: NodeHandler, fetch: FetchHandler): NodeFetchHandler {
  const handle = (request: NodeRequest | Request, ...rest: unknown[]): unknown =>
    isNodeRequest(request) ? node(request, rest[0] as NodeResponse) : fetch(request, ...rest);
  return Object.assign(handle as NodeHandler, { fetch: fetch.fetch });
}
