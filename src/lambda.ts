// SPDX-License-Identifier: MIT
// The `restate-hono/lambda` entry: an AWS Lambda handler (API Gateway REST and HTTP APIs, function
// URLs, and restate-server's own Lambda invocations), in request/response mode, plus the whole
// runtime-neutral public API, as the official SDK's `/lambda` entry re-exports everything.
import { applyEndpointOptions, type EndpointOptions } from "./endpoint/endpoint-options.js";
import { LambdaEndpoint, type LambdaHandler } from "./endpoint/lambda-handler.js";

export * from "./public-api.js";
export { LambdaEndpoint, type LambdaHandler } from "./endpoint/lambda-handler.js";
export type { LambdaEvent, LambdaResult } from "./endpoint/lambda-event.js";
export type { EndpointOptions } from "./endpoint/endpoint-options.js";
export type { RestateEndpointBase } from "./endpoint/endpoint-base.js";
export type { RestateEndpoint } from "./endpoint/endpoint.js";
export type { EndpointBuilder } from "./endpoint/endpoint-builder.js";
export type { HonoEndpoint } from "./endpoint/fetch-endpoint.js";

/**
 * Creates an endpoint builder whose `handler()` is a Lambda function handler.
 *
 * @example
 * export const handler = endpoint().bind(greeter).handler();
 */
export function endpoint(): LambdaEndpoint {
  return new LambdaEndpoint();
}

/** The earlier name of {@link EndpointOptions}, the options of {@link createEndpointHandler}. */
export type LambdaEndpointOptions = EndpointOptions;

/**
 * A Lambda function handler serving `options.services`, in the shape of the official SDK's
 * `createEndpointHandler` from `/lambda`.
 *
 * @example
 * export const handler = createEndpointHandler({ services: [greeter] });
 */
export function createEndpointHandler(options: EndpointOptions): LambdaHandler {
  return applyEndpointOptions(new LambdaEndpoint(), options).handler();
}
