// SPDX-License-Identifier: MIT
// The public API of `restate-hono`. Names and shapes follow the official TypeScript SDK, so that
// switching is a one-line import change. Add runtime-neutral exports to public-api.ts (which
// `restate-hono/fetch` re-exports too); this module adds only the Node endpoint.

export * from "./public-api.js";

export { endpoint, RestateEndpoint, type NodeHandlerOptions } from "./endpoint/endpoint.js";
export { serve } from "./endpoint/serve.js";
export type { ServeOptions } from "./endpoint/serve.js";
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
