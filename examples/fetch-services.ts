// SPDX-License-Identifier: MIT
// The services the Bun, Deno and Cloudflare Worker templates serve. They import
// `restate-hono/fetch` only, so they bundle for any runtime without Node compatibility.
import {
  type Context,
  type ObjectContext,
  type ObjectSharedContext,
  TerminalError,
  handlers,
  object,
  service,
} from "restate-hono/fetch";

/**
 * The runtime's `navigator.userAgent` (e.g. `Bun/1.4.5`, `Deno/2.9.6`, `Cloudflare-Workers`,
 * `Node.js/22`); Node 20 has no `navigator`, so it is named the way later versions name it.
 */
function runtimeName(): string {
  const { navigator, process } = globalThis as {
    navigator?: { userAgent?: string };
    process?: { versions?: { node?: string } };
  };
  const node = process?.versions?.node;
  return (
    navigator?.userAgent ??
    (node === undefined ? "unknown runtime" : `Node.js/${node.split(".")[0]}`)
  );
}

/** A virtual object: one counter per key, kept in Restate's state. */
export const counter = object({
  name: "Counter",
  handlers: {
    add: async (ctx: ObjectContext, delta: number) => {
      const total = ((await ctx.get<number>("total")) ?? 0) + delta;
      ctx.set("total", total);
      return total;
    },
    get: handlers.object.shared(
      async (ctx: ObjectSharedContext) => (await ctx.get<number>("total")) ?? 0,
    ),
  },
});

/** A service: a durable step, a call to the virtual object, and a durable timer. */
export const greeter = service({
  name: "Greeter",
  handlers: {
    greet: async (ctx: Context, name: string) => {
      if (name.trim() === "") throw new TerminalError("name must not be empty", { errorCode: 400 });
      // Journaled: a retry or replay reuses the recorded answer instead of asking again.
      const runtime = await ctx.run("runtime", () => runtimeName());
      const visits = await ctx.objectClient(counter, name).add(1);
      return `Hello ${name}, visit #${visits}, from ${runtime}!`;
    },
    greetLater: async (ctx: Context, request: { name: string; delayMs: number }) => {
      // In request/response mode the attempt suspends here; Restate calls again when it is time.
      await ctx.sleep(request.delayMs);
      return ctx.run("compose", () => `Hello ${request.name}, ${request.delayMs} ms later!`);
    },
  },
});

/** Everything the templates bind. */
export const services = [greeter, counter] as const;
