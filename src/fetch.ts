// SPDX-License-Identifier: MIT
// The `restate-hono/fetch` entry: Web-standard request handlers for Cloudflare Workers, Deno, Bun,
// Vercel and the like, in request/response mode, plus the whole runtime-neutral public API (as the
// official SDK's `/fetch` entry re-exports everything). No Node-only imports may reach this module.
import type { AnyDefinition } from "./definitions/service.js";
import { EndpointBuilder, endpointCore } from "./endpoint/endpoint-builder.js";
import { FetchEndpoint, type FetchHandler } from "./endpoint/fetch-endpoint.js";
import { createCoreFetchHandler } from "./endpoint/fetch-handler.js";
import { applyEndpointOptions, type EndpointOptions } from "./endpoint/endpoint-options.js";

export * from "./public-api.js";
export { FetchEndpoint, type FetchHandler } from "./endpoint/fetch-endpoint.js";
export type { EndpointOptions } from "./endpoint/endpoint-options.js";
export type { RestateEndpointBase } from "./endpoint/endpoint-base.js";
export type { RestateEndpoint } from "./endpoint/endpoint.js";
export type { EndpointBuilder } from "./endpoint/endpoint-builder.js";
export type { HonoEndpoint } from "./endpoint/fetch-endpoint.js";

/**
 * Creates an endpoint builder whose `handler()` serves the bound services over `fetch`.
 *
 * @example
 * export default endpoint().bind(greeter).handler();
 */
export function endpoint(): FetchEndpoint {
  return new FetchEndpoint();
}

/**
 * A fetch handler serving the given definitions.
 *
 * @example
 * Deno.serve(createFetchHandler(greeter, counter));
 */
export function createFetchHandler(...definitions: AnyDefinition[]): FetchHandler {
  // No app to add middleware to, so no Hono app: see endpoint/fetch-handler.ts.
  const restate = new EndpointBuilder();
  for (const definition of definitions) restate.bind(definition);
  return createCoreFetchHandler(endpointCore(restate));
}

/**
 * Options of {@link createEndpointHandler}.
 *
 * @example
 * const options: FetchEndpointOptions = { services: [greeter], bidirectional: false };
 */
export interface FetchEndpointOptions extends EndpointOptions {
  /**
   * `true` serves invocations in bidirectional streaming mode (runtimes that stream both ways
   * over HTTP/2); default `false`, request/response mode.
   */
  readonly bidirectional?: boolean;
}

/** The earlier name of {@link FetchEndpointOptions}. */
export type EndpointHandlerOptions = FetchEndpointOptions;

/**
 * A fetch handler serving `options.services`, in the shape of the official SDK's
 * `createEndpointHandler`.
 *
 * @example
 * export default { fetch: createEndpointHandler({ services: [greeter] }) };
 */
export function createEndpointHandler(options: FetchEndpointOptions): FetchHandler {
  const restate = applyEndpointOptions(new EndpointBuilder(), options);
  return createCoreFetchHandler(endpointCore(restate), options.bidirectional);
}
