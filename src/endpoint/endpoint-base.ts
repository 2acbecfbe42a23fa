// SPDX-License-Identifier: MIT
// The builder methods every endpoint flavour shares, under the official SDK's name.
import type { LoggerTransport } from "../context/log-transport.js";
import type { DefaultServiceOptions } from "../definitions/options.js";
import type { AnyDefinition } from "../definitions/service.js";
import type { Logger } from "./logger.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";

/**
 * What every endpoint builder offers (Node, fetch, Lambda); each method returns the builder `E`.
 *
 * @example
 * function configure<E>(e: RestateEndpointBase<E>): E { return e.bind(greeter); }
 */
export interface RestateEndpointBase<E> {
  /** Binds a service, virtual object or workflow made by `service()`, `object()`, `workflow()`. */
  bind(definition: AnyDefinition): E;
  /** Requires requests signed by a Restate server holding one of these keys (`publickeyv1_…`). */
  withIdentityV1(...keys: string[]): E;
  /** Options every bound service starts from; services and handlers override them. */
  defaultServiceOptions(options: DefaultServiceOptions): E;
  /** Replaces the default console logger. */
  setLogger(logger: LoggerTransport | Logger): E;
  /**
   * Encodes every journaled value with the codec the provider resolves to (called once, at the
   * first invocation), and decodes every value read back.
   */
  journalValueCodecProvider(provider: () => Promise<JournalValueCodec>): E;
}
