// SPDX-License-Identifier: MIT
// The `restate-hono/node` entry: a Node `(req, res)` request handler for `http.createServer` and
// `http2.createServer`, plus `serve()`, `endpoint()` and the whole public API, as the official
// SDK's `/node` entry.
export * from "./public-api.js";
export { endpoint, RestateEndpoint, type NodeHandlerOptions } from "./endpoint/endpoint.js";
export { serve, type ServeOptions } from "./endpoint/serve.js";
export {
  createEndpointHandler,
  type NodeEndpointOptions,
  type NodeHandler,
  type NodeFetchHandler,
} from "./endpoint/node-handler.js";
export type { EndpointOptions } from "./endpoint/endpoint-options.js";
export type { RestateEndpointBase } from "./endpoint/endpoint-base.js";
export type { EndpointBuilder } from "./endpoint/endpoint-builder.js";
export type { HonoEndpoint, FetchHandler } from "./endpoint/fetch-endpoint.js";
export type { NodeRequest, NodeResponse } from "./endpoint/node-invoke.js";
