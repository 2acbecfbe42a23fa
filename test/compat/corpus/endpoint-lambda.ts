// SPDX-License-Identifier: MIT
// Serving as an AWS Lambda function.
import * as restate from "@restatedev/restate-sdk/lambda";
import {
  createEndpointHandler,
  endpoint,
  type LambdaEndpoint,
} from "@restatedev/restate-sdk/lambda";

const hello = restate.service({
  name: "Hello",
  handlers: { hi: async (_ctx: restate.Context, name: string) => `Hi ${name}` },
});

export const handler: (event: unknown, context: unknown) => Promise<unknown> =
  createEndpointHandler({ services: [hello], identityKeys: ["publickeyv1_example"] });

const legacy: LambdaEndpoint = endpoint().bind(hello).withIdentityV1("publickeyv1_example");
export const legacyHandler = legacy.handler();
