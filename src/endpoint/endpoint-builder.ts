// SPDX-License-Identifier: MIT
// What every endpoint flavour shares: the bound services and settings, and the endpoint core built
// from them. Runtime-neutral: `restate-hono/fetch` and `restate-hono/lambda` are built on it.
import { serviceEntryOf, toServiceEntry } from "../definitions/registry.js";
import type { DefaultServiceOptions } from "../definitions/options.js";
import { DEFINITION, type AnyDefinition } from "../definitions/service.js";
import { createEndpointCore, type EndpointCore, type InvocationRunner } from "./endpoint-core.js";
import {
  MAX_PROTOCOL_VERSION,
  MIN_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  describeService,
  type ProtocolVersionRange,
} from "./discovery.js";
import type { RestateEndpointBase } from "./endpoint-base.js";
import { createLogger, type Logger } from "./logger.js";
import { toLogger, type LoggerTransport } from "../context/log-transport.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";

// The flavours built on the builder reach its core, and tests its runner, through these two
// functions rather than protected members, so neither internal type shows in the public
// declarations of the endpoint classes. The static block below gives them access.
let coreOf: (builder: EndpointBuilder) => EndpointCore;
let replaceRunner: (builder: EndpointBuilder, runner: InvocationRunner) => void;

/**
 * Collects services and settings; each flavour (fetch, Node, Lambda) serves them its own way.
 *
 * @example
 * const restate = new FetchEndpoint().bind(greeter).withIdentityV1("publickeyv1_…");
 */
export class EndpointBuilder implements RestateEndpointBase<EndpointBuilder> {
  readonly #services = new Map<string, AnyDefinition>();
  #defaults: DefaultServiceOptions | undefined;
  readonly #identityKeys: string[] = [];
  #logger: Logger | undefined;
  #protocolVersions: ProtocolVersionRange = SUPPORTED_PROTOCOL_VERSIONS;
  #core: EndpointCore | undefined;
  #runner: InvocationRunner | undefined;
  /** The codec provider, called on first need and remembered (kept when the core is rebuilt). */
  #valueCodec: (() => Promise<JournalValueCodec>) | undefined;

  static {
    coreOf = (builder) => builder.#currentCore();
    replaceRunner = (builder, runner) => {
      builder.#runner = runner;
      builder.#invalidate();
    };
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
    describeService(toServiceEntry(definition), 4);
    this.#services.set(definition.name, definition);
    this.#invalidate();
    return this;
  }

  /**
   * Sets the options every bound service starts from (replacing earlier defaults); each service's
   * own options win over them, and each handler's over its service's. They reach the discovery
   * manifest (timeouts, retention, retry policy, ...) and the attempts (hooks, serde,
   * `asTerminalError`, ...) alike, whether services are bound before or after this call.
   *
   * @throws {ManifestError} from `handler()`/`listen()` when a merged option is invalid.
   * @example
   * endpoint().defaultServiceOptions({ retryPolicy: { maxAttempts: 10 } }).bind(greeter);
   */
  defaultServiceOptions(options: DefaultServiceOptions): this {
    this.#defaults = options;
    this.#invalidate();
    return this;
  }

  /**
   * Requires every request (except health checks) to be signed by a Restate server holding the
   * private key of one of these public keys (`publickeyv1_...`).
   *
   * @see https://docs.restate.dev/operate/security
   */
  withIdentityV1(...keys: string[]): this {
    this.#identityKeys.push(...keys);
    this.#invalidate();
    return this;
  }

  /**
   * Narrows the service protocol versions this endpoint advertises at discovery and accepts on
   * invocations; by default 5..7, as the official SDK. The Restate server picks the highest
   * version both sides speak (restate-server 1.7 speaks V7 only with
   * `experimental-enable-protocol-v7`), so `protocolVersions(5, 6)` keeps a deployment off V7
   * and `protocolVersions(5, 5)` pins it to V5. Invocations announcing a version outside the
   * range get 415.
   *
   * @throws {RangeError} unless `5 <= min <= max <= 7`.
   * @example
   * const handler = new FetchEndpoint().bind(greeter).protocolVersions(5, 6).handler();
   */
  protocolVersions(min: number, max: number): this {
    const isInteger = Number.isInteger(min) && Number.isInteger(max);
    const top = MAX_PROTOCOL_VERSION;
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

  /**
   * Sets where this endpoint's journal value codec comes from: every value its handlers journal
   * (output, state, call and send parameters, run results, awakeable, signal and promise
   * completions) is encoded after serialization, and every value they read is decoded before
   * deserialization, e.g. to encrypt or compress what the Restate server stores. The provider is
   * called once, when the first invocation arrives. With a codec, replay no longer compares
   * payload bytes, so a codec may encode the same value differently each time.
   *
   * @example
   * endpoint().bind(greeter).journalValueCodecProvider(async () => await loadEncryptionCodec());
   */
  journalValueCodecProvider(provider: () => Promise<JournalValueCodec>): this {
    let codec: Promise<JournalValueCodec> | undefined;
    this.#valueCodec = () => (codec ??= provider());
    this.#invalidate();
    return this;
  }

  #invalidate(): void {
    this.#core = undefined;
  }

  #currentCore(): EndpointCore {
    if (this.#core !== undefined) return this.#core;
    const services = [...this.#services.values()].map((d) => serviceEntryOf(d, this.#defaults));
    for (const service of services) describeService(service, 4);
    return (this.#core = createEndpointCore(services, {
      identityKeys: [...this.#identityKeys],
      logger: this.logger,
      protocolVersions: this.#protocolVersions,
      ...(this.#runner === undefined ? {} : { runner: this.#runner }),
      ...(this.#valueCodec === undefined ? {} : { journalValueCodec: this.#valueCodec }),
    }));
  }

  /** The logger of this endpoint, created on first use. */
  protected get logger(): Logger {
    return (this.#logger ??= createLogger());
  }
}

/**
 * What every transport of an endpoint shares (routing, identity, discovery, the runner); created
 * once after the last configuration change.
 *
 * @internal
 */
export function endpointCore(builder: EndpointBuilder): EndpointCore {
  return coreOf(builder);
}

/**
 * Makes an endpoint start its invocation attempts with `runner` instead of the real engine.
 *
 * @internal For tests.
 */
export function withRunner<E extends EndpointBuilder>(builder: E, runner: InvocationRunner): E {
  replaceRunner(builder, runner);
  return builder;
}
