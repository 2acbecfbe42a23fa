// SPDX-License-Identifier: MIT
// The runtime's extra handler arguments (a Worker's `env` and execution context, Bun's server,
// Deno's connection info), carried from the fetch handler through Hono to `ctx.request().extraArgs`.

/**
 * Wraps the extra arguments as the Hono `env` of our own app. A wrapper rather than the raw values,
 * so a runtime's bindings can never be mistaken for `@hono/node-server`'s HTTP/2 request.
 */
export class ExtraArgs {
  readonly args: readonly unknown[];

  constructor(args: readonly unknown[]) {
    this.args = Object.freeze([...args]);
  }
}

const NONE: readonly unknown[] = Object.freeze([]);

/**
 * The extra arguments of the request Hono is serving: those our fetch handler received, or, when
 * the app is mounted in a fetch runtime's own Hono app, its `env` and execution context. Node's
 * server passes none (its `env` is the Node request, as the official SDK keeps it out too).
 */
export function extraArgsOf(env: unknown, executionCtx: () => unknown): readonly unknown[] {
  if (env instanceof ExtraArgs) return env.args;
  if (env === undefined || isNodeServerEnv(env)) return NONE;
  let ctx: unknown;
  try {
    ctx = executionCtx();
  } catch {
    // Hono throws when the runtime gave no execution context.
    return Object.freeze([env]);
  }
  return Object.freeze([env, ctx]);
}

/** `@hono/node-server` passes `{ incoming, outgoing }`. */
function isNodeServerEnv(env: unknown): boolean {
  return typeof env === "object" && env !== null && "incoming" in env && "outgoing" in env;
}
