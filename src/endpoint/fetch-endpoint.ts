// SPDX-License-Identifier: MIT
// The runtime-neutral endpoint builder. It must stay free of Node-only imports: `restate-hono/fetch`
// (Workers, Deno, Bun) is built on it. The Node flavour with `listen()` is in endpoint.ts.
import type { Hono } from "hono";
import { createCoreApp } from "./app.js";
import { EndpointBuilder, endpointCore } from "./endpoint-builder.js";
import type { EndpointCore } from "./endpoint-core.js";
import { ExtraArgs } from "./extra-args.js";

/**
 * A Web-standard request handler. It is also its own `{ fetch }` object, so it can be the default
 * export of a Cloudflare Worker or a Bun/Deno server as is. The arguments after the request (a
 * Worker's `env` and execution context, Bun's server, Deno's connection info) reach handlers as
 * `ctx.request().extraArgs`.
 *
 * @example
 * const handler: FetchHandler = endpoint().bind(greeter).handler();
 * const response = await handler(new Request("http://localhost/health"));
 */
export interface FetchHandler {
  (request: Request, ...extraArgs: unknown[]): Promise<Response>;
  readonly fetch: (request: Request, ...extraArgs: unknown[]) => Promise<Response>;
}

// `listen()` serves the mode set with `bidirectional()` through the Node handler, not the app; it
// reads the setting from here rather than from a protected member, so it stays out of the public
// declarations. A map rather than a private field read through a static block: a class with a
// static block counts as having side effects, and a bundle that never names `FetchEndpoint`
// (`createEndpointHandler` alone) could not leave it and Hono out.
const modes = new WeakMap<HonoEndpoint, boolean>();

/**
 * The protocol mode set with {@link HonoEndpoint.bidirectional}; `undefined` when none was.
 *
 * @internal
 */
export function modeOf(endpoint: HonoEndpoint): boolean | undefined {
  return modes.get(endpoint);
}

/**
 * What the fetch and Node endpoints share: the bound services served as a Hono app.
 *
 * @example
 * const app = new FetchEndpoint().bind(greeter).app();
 */
export class HonoEndpoint extends EndpointBuilder {
  #app: Hono | undefined;
  #appCore: EndpointCore | undefined;

  /**
   * Serves invocations in bidirectional streaming mode (`BIDI_STREAM`), for runtimes that stream
   * requests and responses at once over HTTP/2; `bidirectional(false)` is request/response mode,
   * the default on fetch runtimes.
   *
   * @example
   * export default endpoint().bind(greeter).bidirectional().handler();
   */
  bidirectional(set = true): this {
    modes.set(this, set);
    this.#app = undefined;
    return this;
  }

  /**
   * The Hono app serving the bound services, for mounting in your own app with `app.route()`.
   * Over plain `fetch`, invocations run in request/response mode. Middleware you add to it
   * applies where you serve this app (or `handler()`); `listen()` on Node serves the endpoint
   * with its own request handler and does not go through this app.
   *
   * @example
   * const app = new Hono();
   * app.route("/restate", endpoint().bind(greeter).app());
   */
  app(): Hono {
    const core = endpointCore(this);
    if (this.#app === undefined || this.#appCore !== core) {
      this.#app = createCoreApp(core, modes.get(this));
      this.#appCore = core;
    }
    return this.#app;
  }

  /** The fetch handler over {@link HonoEndpoint.app}. */
  protected fetchHandler(): FetchHandler {
    const app = this.app();
    // The runtime's arguments travel wrapped: its bindings must never be mistaken for an HTTP/2
    // request from `@hono/node-server`.
    const fetch = async (request: Request, ...extraArgs: unknown[]): Promise<Response> =>
      app.fetch(request, new ExtraArgs(extraArgs));
    return Object.assign(fetch, { fetch });
  }
}

/**
 * Collects services and settings, then serves them as a Hono app or a fetch handler.
 *
 * @example
 * const handler = new FetchEndpoint().bind(greeter).withIdentityV1("publickeyv1_…").handler();
 */
export class FetchEndpoint extends HonoEndpoint {
  /**
   * A fetch-style handler (request/response mode unless {@link HonoEndpoint.bidirectional}), e.g.
   * for Cloudflare Workers, Deno or Bun.
   *
   * @example
   * export default endpoint().bind(greeter).handler();
   */
  handler(): FetchHandler {
    return this.fetchHandler();
  }
}
