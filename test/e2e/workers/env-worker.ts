// SPDX-License-Identifier: MIT
// A module Worker whose handler reports what reached it through `ctx.request().extraArgs`: the
// Worker's `env` (a binding, by name) and its execution context, as the template passes them on.
import { type Context, createEndpointHandler, service } from "restate-hono/fetch";

const envProbe = service({
  name: "EnvProbe",
  handlers: {
    read: async (ctx: Context, binding: string) => {
      const [env, executionCtx] = ctx.request().extraArgs as [
        Readonly<Record<string, unknown>> | undefined,
        { readonly waitUntil?: unknown } | undefined,
      ];
      return {
        value: env?.[binding],
        hasWaitUntil: typeof executionCtx?.waitUntil === "function",
      };
    },
  },
});

const handler = createEndpointHandler({ services: [envProbe] });

// A default export, against the style guide: it is how a module Worker declares its handlers.
export default {
  fetch: (request: Request, env: unknown, executionCtx: unknown): Promise<Response> =>
    handler(request, env, executionCtx),
};
