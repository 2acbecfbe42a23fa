// SPDX-License-Identifier: MIT
// Serving through a Web-standard fetch handler (Workers, Deno, Bun, Vercel).
import * as restate from "@restatedev/restate-sdk/fetch";
import {
  createEndpointHandler,
  endpoint,
  type FetchEndpoint,
  type FetchEndpointOptions,
} from "@restatedev/restate-sdk/fetch";

const hello = restate.service({
  name: "Hello",
  handlers: {
    hi: async (ctx: restate.Context, name: string) => {
      const env = ctx.request().extraArgs[0] as { GREETING?: string } | undefined;
      return `${env?.GREETING ?? "Hi"} ${name}`;
    },
  },
});

const options: FetchEndpointOptions = {
  services: [hello],
  identityKeys: ["publickeyv1_example"],
  bidirectional: false,
  defaultServiceOptions: { ingressPrivate: false },
};

export const fetchHandler: (request: Request, ...extraArgs: unknown[]) => Promise<Response> =
  createEndpointHandler(options);

export default {
  fetch: (request: Request, env: unknown, ctx: unknown) => fetchHandler(request, env, ctx),
};

const legacy: FetchEndpoint = endpoint().bind(hello).bidirectional().bidirectional(false);
export const legacyHandler = legacy.handler().fetch;
export const legacyWithLogger = endpoint()
  .setLogger((meta, message) => console.log(meta.level, message))
  .bind(hello)
  .handler();
