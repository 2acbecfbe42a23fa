// SPDX-License-Identifier: MIT
// The `restate-hono/fetch` entry: Web-standard request handlers for Cloudflare Workers, Deno, Bun,
// Vercel and the like, in request/response mode, plus the whole runtime-neutral public API (as the
// official SDK's `/fetch` entry re-exports everything). No Node-only imports may reach this module.
import type { AnyDefinition } from "./definitions/service.js";
import { FetchEndpoint, type FetchHandler } from "./endpoint/fetch-endpoint.js";
import type { Logger } from "./endpoint/logger.js";
import type { LoggerTransport } from "./context/log-transport.js";

export * from "./public-api.js";
export { FetchEndpoint, type FetchHandler } from "./endpoint/fetch-endpoint.js";

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
  const restate = new FetchEndpoint();
  for (const definition of definitions) restate.bind(definition);
  return restate.handler();
}

/**
 * Options of {@link createEndpointHandler}.
 *
 * @example
 * const options: EndpointHandlerOptions = { services: [greeter], identityKeys: ["publickeyv1_…"] };
 */
export interface EndpointHandlerOptions {
  readonly services: readonly AnyDefinition[];
  /** Request-identity public keys (`publickeyv1_…`); when set, unsigned requests get 401. */
  readonly identityKeys?: readonly string[];
  /** A `Logger` object or an official-style `LoggerTransport` function. */
  readonly logger?: Logger | LoggerTransport;
}

/**
 * A fetch handler serving `options.services`, in the shape of the official SDK's
 * `createEndpointHandler`.
 *
 * @example
 * export default { fetch: createEndpointHandler({ services: [greeter] }) };
 */
export function createEndpointHandler(options: EndpointHandlerOptions): FetchHandler {
  const restate = new FetchEndpoint();
  for (const definition of options.services) restate.bind(definition);
  if (options.identityKeys !== undefined) restate.withIdentityV1(...options.identityKeys);
  if (options.logger !== undefined) restate.setLogger(options.logger);
  return restate.handler();
}
