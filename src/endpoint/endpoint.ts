// SPDX-License-Identifier: MIT
// The Node server (node:http, node:http2, node:net) is imported by `listen()`, not here: importing
// `restate-hono` must not pay for it, nor drag it into bundles that never listen.
import { AttemptRegistry } from "./attempt-registry.js";
import { endpointCore } from "./endpoint-builder.js";
import { HonoEndpoint, modeOf } from "./fetch-endpoint.js";
import {
  createNodeHandler,
  nodeFetchHandler,
  type NodeFetchHandler,
  type NodeHandler,
} from "./node-handler.js";
import type { NodeServer } from "./node-server.js";

/** Default port when neither `listen(port)` nor `PORT` says otherwise. */
const DEFAULT_PORT = 9080;

function defaultPort(): number {
  const fromEnv = process.env["PORT"];
  if (fromEnv === undefined || fromEnv === "") return DEFAULT_PORT;
  const port = Number(fromEnv);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`PORT must be a port number, got "${fromEnv}"`);
  }
  return port;
}

const SHUTDOWN_GRACE_MS = 10_000;
const SIGNALS: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"];

function where(address: string): string {
  return address === "::" || address === "0.0.0.0" ? "all interfaces" : address;
}

/** The protocol-mode option of the Node handlers. */
export interface NodeHandlerOptions {
  /** `true`: bidirectional streaming (`BIDI_STREAM`); `false`: request/response. */
  readonly bidirectional?: boolean;
}

/**
 * A Restate endpoint on Node: bind services, then `listen()` on HTTP/2 cleartext (bidirectional
 * streaming, the Restate server's default) and HTTP/1.1 (request/response) on the same port, or
 * hand one of its handlers to a server you create.
 *
 * @example
 * const port = await endpoint().bind(greeter).listen(9080);
 */
export class RestateEndpoint extends HonoEndpoint {
  #server: NodeServer | undefined;
  #attempts: AttemptRegistry | undefined;
  #isHandlingSignals = true;
  #shutdownGraceMs = SHUTDOWN_GRACE_MS;
  #onSignal: ((signal: NodeJS.Signals) => void) | undefined;

  /**
   * Whether `listen()` stops gracefully on SIGTERM and SIGINT (default: yes): no new
   * invocations, running ones finish or suspend at their next await within `graceMs` (default
   * 10 s), then the signal's default action (exit) runs, unless the application has its own
   * listeners for it. Pass `false` to handle signals yourself and call {@link RestateEndpoint.close}.
   *
   * @example
   * await endpoint().bind(greeter).handleSignals(true, 30_000).listen();
   */
  handleSignals(enabled: boolean, graceMs: number = SHUTDOWN_GRACE_MS): this {
    this.#isHandlingSignals = enabled;
    this.#shutdownGraceMs = graceMs;
    return this;
  }

  /**
   * A handler for `http2.createServer()`; bidirectional streaming unless `bidirectional: false`.
   *
   * @example
   * http2.createServer(endpoint().bind(greeter).http2Handler()).listen(9080);
   */
  http2Handler(options: NodeHandlerOptions = {}): NodeHandler {
    return createNodeHandler(endpointCore(this), options.bidirectional ?? true);
  }

  /**
   * A handler for `http.createServer()`; request/response mode (which every proxy handles)
   * unless `bidirectional: true`.
   *
   * @example
   * http.createServer(endpoint().bind(greeter).http1Handler()).listen(9080);
   */
  http1Handler(options: NodeHandlerOptions = {}): NodeHandler {
    return createNodeHandler(endpointCore(this), options.bidirectional ?? false);
  }

  /**
   * A handler for HTTP/1.1 and HTTP/2 alike (e.g. `http2.createSecureServer({ allowHTTP1: true })`):
   * bidirectional over HTTP/2 and request/response over HTTP/1.1, unless `bidirectional` forces
   * one mode. Its `fetch` member is the endpoint's fetch handler.
   *
   * @example
   * http2.createSecureServer({ key, cert, allowHTTP1: true }, endpoint().bind(greeter).handler());
   */
  handler(options: NodeHandlerOptions = {}): NodeFetchHandler {
    return nodeFetchHandler(
      createNodeHandler(endpointCore(this), options.bidirectional),
      this.fetchHandler(),
    );
  }

  /**
   * Starts serving. Resolves with the port actually bound, which matters with port `0`.
   *
   * @param port - default: `process.env.PORT`, else 9080; `0` picks a free port.
   * @param hostname - interface to bind; default: every interface (IPv6 and IPv4), as the
   *   official SDK does, so an endpoint in a container is reachable. `127.0.0.1` keeps it local.
   * @throws when already listening, or when the port cannot be bound.
   */
  async listen(port: number = defaultPort(), hostname?: string): Promise<number> {
    if (this.#server !== undefined) throw new Error("This endpoint is already listening");
    const { startNodeServer } = await import("./node-server.js");
    const attempts = new AttemptRegistry();
    const server = await startNodeServer(
      createNodeHandler(endpointCore(this), modeOf(this), attempts),
      port,
      hostname,
    );
    this.#server = server;
    this.#attempts = attempts;
    if (this.#isHandlingSignals) this.#installSignalHandlers();
    this.logger.info(
      `Restate endpoint listening on ${where(server.address)}, port ${server.port} (HTTP/2 and HTTP/1.1)`,
    );
    return server.port;
  }

  /**
   * Stops the server started by {@link RestateEndpoint.listen}, gracefully: no new connections,
   * new invocations on open ones are refused with 503 (the runtime retries them), and running
   * attempts stop taking input, so each finishes or suspends at its next await (the runtime
   * resumes it later, here or on another instance). Whatever is still open after `graceMs`
   * (default 5 s) is cut. Does nothing when not listening.
   */
  async close(graceMs?: number): Promise<void> {
    const server = this.#server;
    const attempts = this.#attempts;
    this.#server = undefined;
    this.#attempts = undefined;
    this.#removeSignalHandlers();
    if (server === undefined) return;
    void attempts?.drain();
    await server.close(graceMs);
  }

  #installSignalHandlers(): void {
    const onSignal = (signal: NodeJS.Signals): void => {
      this.logger.info(`Received ${signal}: shutting down gracefully`);
      void this.close(this.#shutdownGraceMs).finally(() => {
        // Our listener is gone; with no other, the signal's default action ends the process.
        if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
      });
    };
    this.#onSignal = onSignal;
    for (const signal of SIGNALS) process.once(signal, onSignal);
  }

  #removeSignalHandlers(): void {
    const onSignal = this.#onSignal;
    if (onSignal === undefined) return;
    this.#onSignal = undefined;
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}

/**
 * Creates an endpoint to bind services to.
 *
 * @example
 * await endpoint().bind(greeter).bind(counter).withIdentityV1("publickeyv1_…").listen();
 */
export function endpoint(): RestateEndpoint {
  return new RestateEndpoint();
}
