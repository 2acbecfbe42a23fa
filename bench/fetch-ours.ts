// SPDX-License-Identifier: MIT
// The Greeter as a restate-hono fetch handler (Bun, Deno and workerd cold starts).
import { createEndpointHandler, service, type Context } from "../src/fetch.js";

const greeter = service({
  name: "Greeter",
  handlers: { greet: async (_ctx: Context, name: string) => `Hello ${name}!` },
});

export const fetchHandler = createEndpointHandler({ services: [greeter] });
