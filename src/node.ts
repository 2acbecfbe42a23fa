// SPDX-License-Identifier: MIT
// The `restate-hono/node` entry: a Node `(req, res)` request handler for `http.createServer` and
// `http2.createServer`, plus `serve()`, `endpoint()` and the whole public API, as the official
// SDK's `/node` entry.
import type { AnyDefinition } from "./definitions/service.js";
import type { LoggerTransport } from "./context/log-transport.js";
import type { Logger } from "./endpoint/logger.js";
import { NodeHandlerEndpoint, type NodeHandler } from "./endpoint/node-handler.js";

export * from "./public-api.js";
export { endpoint, RestateEndpoint } from "./endpoint/endpoint.js";
export { serve, type ServeOptions } from "./endpoint/serve.js";
export type { NodeHandler } from "./endpoint/node-handler.js";

/**
 * Options of {@link createEndpointHandler}.
 *
 * @example
 * const options: NodeEndpointOptions = { services: [greeter], bidirectional: true };
 */
export interface NodeEndpointOptions {
  /** The services, virtual objects and workflows to serve. */
  readonly services: readonly AnyDefinition[];
  /** Request-identity public keys (`publickeyv1_…`); when set, unsigned requests get 401. */
  readonly identityKeys?: readonly string[];
  /** A `Logger` object or an official-style `LoggerTransport` function. */
  readonly logger?: Logger | LoggerTransport;
  /**
   * The protocol mode: by default bidirectional streaming over HTTP/2 and request/response over
   * HTTP/1.1; `true` or `false` forces one mode for every request.
   */
  readonly bidirectional?: boolean;
}

/**
 * A request handler serving `options.services` on a server you create, in the shape of the
 * official SDK's `createEndpointHandler` from `/node`.
 *
 * @example
 * http2.createServer(createEndpointHandler({ services: [greeter] })).listen(9080);
 */
export function createEndpointHandler(options: NodeEndpointOptions): NodeHandler {
  const restate = new NodeHandlerEndpoint();
  for (const definition of options.services) restate.bind(definition);
  if (options.identityKeys !== undefined) restate.withIdentityV1(...options.identityKeys);
  if (options.logger !== undefined) restate.setLogger(options.logger);
  return restate.nodeHandler(options.bidirectional);
}
