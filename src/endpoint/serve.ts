// SPDX-License-Identifier: MIT
import { endpoint } from "./endpoint.js";
import { applyEndpointOptions, type EndpointOptions } from "./endpoint-options.js";

/**
 * Options of {@link serve}.
 *
 * @example
 * const options: ServeOptions = { services: [greeter], port: 0, hostname: "0.0.0.0" };
 */
export interface ServeOptions extends EndpointOptions {
  /** Default: `process.env.PORT`, else 9080; `0` picks a free port. */
  readonly port?: number;
  /** Interface to bind; default: every interface (as the official SDK). `127.0.0.1` keeps it local. */
  readonly hostname?: string;
  /** Aborting it stops the server (gracefully, as `RestateEndpoint.close()`). */
  readonly signal?: AbortSignal;
  /**
   * Stop gracefully on SIGTERM/SIGINT (default `true`); see `RestateEndpoint.handleSignals()`.
   */
  readonly handleSignals?: boolean;
  /** How long a graceful stop waits for running attempts (default 10 s). */
  readonly shutdownGraceMs?: number;
}

/**
 * Serves services on Node over HTTP/2 cleartext and HTTP/1.1: a shorthand for
 * `endpoint().bind(…).listen(port)`. Resolves with the port actually bound.
 *
 * @example
 * await serve({ services: [greeter, counter], port: 9080 });
 */
export async function serve(options: ServeOptions): Promise<number> {
  const restate = applyEndpointOptions(endpoint(), options);
  restate.handleSignals(options.handleSignals ?? true, options.shutdownGraceMs);
  const port = await restate.listen(options.port, options.hostname);
  const signal = options.signal;
  if (signal !== undefined) {
    const stop = (): void => void restate.close(options.shutdownGraceMs);
    if (signal.aborted) stop();
    else signal.addEventListener("abort", stop, { once: true });
  }
  return port;
}
