// SPDX-License-Identifier: MIT
// The `restate-hono/lambda` entry: an AWS Lambda handler (API Gateway REST and HTTP APIs, function
// URLs, and restate-server's own Lambda invocations), in request/response mode, plus the whole
// runtime-neutral public API, as the official SDK's `/lambda` entry re-exports everything.
import type { AnyDefinition } from "./definitions/service.js";
import { LambdaEndpoint, type LambdaHandler } from "./endpoint/lambda-handler.js";
import type { Logger } from "./endpoint/logger.js";
import type { LoggerTransport } from "./context/log-transport.js";

export * from "./public-api.js";
export { LambdaEndpoint, type LambdaHandler } from "./endpoint/lambda-handler.js";
export type { LambdaEvent, LambdaResult } from "./endpoint/lambda-event.js";

/**
 * Creates an endpoint builder whose `handler()` is a Lambda function handler.
 *
 * @example
 * export const handler = endpoint().bind(greeter).handler();
 */
export function endpoint(): LambdaEndpoint {
  return new LambdaEndpoint();
}

/**
 * Options of {@link createEndpointHandler}.
 *
 * @example
 * const options: LambdaEndpointOptions = { services: [greeter], identityKeys: ["publickeyv1_…"] };
 */
export interface LambdaEndpointOptions {
  /** The services, virtual objects and workflows to serve. */
  readonly services: readonly AnyDefinition[];
  /** Request-identity public keys (`publickeyv1_…`); when set, unsigned requests get 401. */
  readonly identityKeys?: readonly string[];
  /** A `Logger` object or an official-style `LoggerTransport` function. */
  readonly logger?: Logger | LoggerTransport;
}

/**
 * A Lambda function handler serving `options.services`, in the shape of the official SDK's
 * `createEndpointHandler` from `/lambda`.
 *
 * @example
 * export const handler = createEndpointHandler({ services: [greeter] });
 */
export function createEndpointHandler(options: LambdaEndpointOptions): LambdaHandler {
  const restate = new LambdaEndpoint();
  for (const definition of options.services) restate.bind(definition);
  if (options.identityKeys !== undefined) restate.withIdentityV1(...options.identityKeys);
  if (options.logger !== undefined) restate.setLogger(options.logger);
  return restate.handler();
}
