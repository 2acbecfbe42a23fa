// SPDX-License-Identifier: MIT
// The Node server (`@hono/node-server`, node:http2 …) is imported by `listen()`, not here: importing
// `restate-hono` must not pay for it, nor drag it into bundles that never listen.
import { FetchEndpoint } from "./fetch-endpoint.js";
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

function where(address: string): string {
  return address === "::" || address === "0.0.0.0" ? "all interfaces" : address;
}

/**
 * A Restate endpoint on Node: bind services, then `listen()` on HTTP/2 cleartext (bidirectional
 * streaming, the Restate server's default) and HTTP/1.1 (request/response) on the same port.
 *
 * @example
 * const port = await endpoint().bind(greeter).listen(9080);
 */
export class RestateEndpoint extends FetchEndpoint {
  #server: NodeServer | undefined;

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
    const app = this.app();
    const [{ startNodeServer }, { createNodeInvoker }] = await Promise.all([
      import("./node-server.js"),
      import("./node-invoke.js"),
    ]);
    const server = await startNodeServer(
      (request, env) => app.fetch(request, env),
      port,
      hostname,
      createNodeInvoker(this.core()),
    );
    this.#server = server;
    this.logger.info(
      `Restate endpoint listening on ${where(server.address)}, port ${server.port} (HTTP/2 and HTTP/1.1)`,
    );
    return server.port;
  }

  /**
   * Stops the server started by {@link RestateEndpoint.listen}: no new connections, requests in
   * flight finish (for at most `graceMs`, default 5 s). Does nothing when not listening.
   */
  async close(graceMs?: number): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    await server?.close(graceMs);
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
