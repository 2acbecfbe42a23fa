// SPDX-License-Identifier: MIT
// The options object of `createEndpointHandler()` and `serve()`, as the official SDK's
// `EndpointOptions`, and the one place that applies it to a builder.
import type { LoggerTransport } from "../context/log-transport.js";
import type { DefaultServiceOptions } from "../definitions/options.js";
import type { AnyDefinition } from "../definitions/service.js";
import type { RestateEndpointBase } from "./endpoint-base.js";
import type { Logger } from "./logger.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";

/**
 * What an endpoint serves and how: the options of every `createEndpointHandler()` and of `serve()`.
 *
 * @example
 * const options: EndpointOptions = { services: [greeter], defaultServiceOptions: { ingressPrivate: true } };
 */
export interface EndpointOptions {
  /** The services, virtual objects and workflows to serve. */
  readonly services: readonly AnyDefinition[];
  /** Request-identity public keys (`publickeyv1_…`); when set, unsigned requests get 401. */
  readonly identityKeys?: readonly string[];
  /** Options every service starts from; each service's and handler's own options win. */
  readonly defaultServiceOptions?: DefaultServiceOptions;
  /** A `Logger` object or an official-style `LoggerTransport` function. */
  readonly logger?: Logger | LoggerTransport;
  /**
   * Where the journal value codec comes from (called once, at the first invocation): it encodes
   * every value the handlers journal and decodes every value they read, e.g. to encrypt them.
   */
  readonly journalValueCodecProvider?: () => Promise<JournalValueCodec>;
}

/**
 * Applies `options` to a fresh builder and binds its services.
 *
 * @internal
 */
export function applyEndpointOptions<E extends RestateEndpointBase<E>>(
  builder: E,
  options: EndpointOptions,
): E {
  if (options.identityKeys !== undefined && options.identityKeys.length > 0) {
    builder.withIdentityV1(...options.identityKeys);
  }
  if (options.defaultServiceOptions !== undefined) {
    builder.defaultServiceOptions(options.defaultServiceOptions);
  }
  if (options.logger !== undefined) builder.setLogger(options.logger);
  if (options.journalValueCodecProvider !== undefined) {
    builder.journalValueCodecProvider(options.journalValueCodecProvider);
  }
  for (const definition of options.services) builder.bind(definition);
  return builder;
}
