// SPDX-License-Identifier: MIT
// An AWS Lambda function serving the services of ../fetch-services.ts. Bundle it (e.g.
// `esbuild handler.ts --bundle --platform=node --format=esm --outfile=dist/handler.mjs`), deploy it
// with the handler `handler.handler`, and register its ARN with Restate.
import { createEndpointHandler } from "restate-hono/lambda";
import { services } from "../fetch-services.js";

export const handler = createEndpointHandler({ services: [...services] });
