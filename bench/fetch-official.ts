// SPDX-License-Identifier: MIT
// The Greeter as an official-SDK fetch handler (Bun, Deno and workerd cold starts).
import { createEndpointHandler, service, type Context } from "@restatedev/restate-sdk/fetch";

const greeter = service({
  name: "Greeter",
  handlers: { greet: async (_ctx: Context, name: string) => `Hello ${name}!` },
});

export const fetchHandler = createEndpointHandler({ services: [greeter] });
