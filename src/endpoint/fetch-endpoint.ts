// SPDX-License-Identifier: MIT
// The runtime-neutral endpoint builder. It must stay free of Node-only imports: `restate-hono/fetch`
// (Workers, Deno, Bun) is built on it. The Node flavour with `listen()` is in endpoint.ts.
import type { Hono } from "hono";
import { toServiceEntry, type ServiceEntry } from "../definitions/registry.js";
import { DEFINITION, type AnyDefinition } from "../definitions/service.js";
import { createCoreApp } from "./app.js";
import { createEndpointCore, type EndpointCore, type InvocationRunner } from "./endpoint-core.js";
import {
  EXPERIMENTAL_MAX_PROTOCOL_VERSION,
  MIN_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  describeService,
  type ProtocolVersionRange,
} from "./discovery.js";
import { ExtraArgs } from "./extra-args.js";
import { createLogger, type Logger } from "./logger.js";
import { toLogger, type LoggerTransport } from "../context/log-transport.js";

/**
 * Collaborators of an endpoint that tests replace.
 *
 * @internal
 */
export interface EndpointInternals {
  /** Starts invocation attempts; default: the real engine. */
  readonly runner: InvocationRunner;
}

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

/**
 * Collects services and settings, then serves them as a Hono app or a fetch handler.
 *
 * @example
 * const handler = new FetchEndpoint().bind(greeter).withIdentityV1("publickeyv1_…").handler();
 */
export class FetchEndpoint {
  readonly #services = new Map<string, ServiceEntry>();
  readonly #identityKeys: string[] = [];
  #logger: Logger | undefined;
  #protocolVersions: ProtocolVersionRange = SUPPORTED_PROTOCOL_VERSIONS;
  #core: EndpointCore | undefined;
  #app: Hono | undefined;
  readonly #runner: InvocationRunner | undefined;

  /** @param internals - for tests only. */
  constructor(internals: Partial<EndpointInternals> = {}) {
    this.#runner = internals.runner;
  }

  /**
   * Adds a service, virtual object or workflow. Its options are checked now, so a bad duration
   * fails at startup rather than at registration.
   *
   * @throws {TypeError} when the argument is not a definition, or its name is already bound.
   * @throws {ManifestError} when an option is invalid or misplaced.
   */
  bind(definition: AnyDefinition): this {
    if (typeof definition !== "object" || definition === null || !(DEFINITION in definition)) {
      throw new TypeError("bind() expects a definition made by service(), object() or workflow()");
    }
    if (this.#services.has(definition.name)) {
      throw new TypeError(`A service named "${definition.name}" is already bound to this endpoint`);
    }
    const entry = toServiceEntry(definition);
    describeService(entry, 4);
    this.#services.set(entry.name, entry);
    this.#invalidate();
    return this;
  }

  /**
   * Requires every request (except health checks) to be signed by a Restate server holding the
   * private key of one of these public keys (`publickeyv1_…`).
   *
   * @see https://docs.restate.dev/operate/security
   */
  withIdentityV1(...keys: string[]): this {
    this.#identityKeys.push(...keys);
    this.#invalidate();
    return this;
  }

  /**
   * Sets the service protocol versions this endpoint advertises at discovery and accepts on
   * invocations; by default 5..6. The Restate server picks the highest version both sides speak,
   * so `protocolVersions(5, 5)` pins a deployment to V5, and `protocolVersions(5, 7)` opts in to
   * V7 (restate-server 1.7 speaks it only with `experimental-enable-protocol-v7`). Invocations
   * announcing a version outside the range get 415.
   *
   * @throws {RangeError} unless `5 <= min <= max <= 7`.
   * @example
   * const handler = new FetchEndpoint().bind(greeter).protocolVersions(5, 7).handler();
   */
  protocolVersions(min: number, max: number): this {
    const isInteger = Number.isInteger(min) && Number.isInteger(max);
    const top = EXPERIMENTAL_MAX_PROTOCOL_VERSION;
    if (!isInteger || min < MIN_PROTOCOL_VERSION || max > top || min > max) {
      throw new RangeError(
        `protocolVersions(${min}, ${max}): expected integers with ` +
          `${MIN_PROTOCOL_VERSION} <= min <= max <= ${top}`,
      );
    }
    this.#protocolVersions = Object.freeze({ min, max });
    this.#invalidate();
    return this;
  }

  /**
   * Replaces the default console logger (level from `RESTATE_LOGGING`) with a `Logger` object or
   * an official-style {@link LoggerTransport}, which gets every message with its metadata
   * (source, level, replaying, invocation context) and does its own filtering.
   *
   * @example
   * endpoint().setLogger((meta, message, ...rest) => console.log(meta.level, message, ...rest));
   */
  setLogger(logger: Logger | LoggerTransport): this {
    this.#logger = toLogger(logger);
    this.#invalidate();
    return this;
  }

  #invalidate(): void {
    this.#core = undefined;
    this.#app = undefined;
  }

  /**
   * What every transport of this endpoint shares (routing, identity, discovery, the runner);
   * created once after the last configuration change.
   *
   * @internal
   */
  protected core(): EndpointCore {
    return (this.#core ??= createEndpointCore([...this.#services.values()], {
      identityKeys: [...this.#identityKeys],
      logger: this.logger,
      protocolVersions: this.#protocolVersions,
      ...(this.#runner === undefined ? {} : { runner: this.#runner }),
    }));
  }

  /** The logger of this endpoint, created on first use. */
  protected get logger(): Logger {
    return (this.#logger ??= createLogger());
  }

  /**
   * The Hono app serving the bound services, for mounting in your own app with `app.route()`.
   * Over plain `fetch`, invocations run in request/response mode.
   *
   * @example
   * const app = new Hono();
   * app.route("/restate", endpoint().bind(greeter).app());
   */
  app(): Hono {
    return (this.#app ??= createCoreApp(this.core()));
  }

  /**
   * A fetch-style handler (request/response mode), e.g. for Cloudflare Workers, Deno or Bun.
   *
   * @example
   * export default endpoint().bind(greeter).handler();
   */
  handler(): FetchHandler {
    const app = this.app();
    // The runtime's arguments travel wrapped: its bindings must never be mistaken for an HTTP/2
    // request from `@hono/node-server`.
    const fetch = async (request: Request, ...extraArgs: unknown[]): Promise<Response> =>
      app.fetch(request, new ExtraArgs(extraArgs));
    return Object.assign(fetch, { fetch });
  }
}
