// SPDX-License-Identifier: MIT
// Node-only: one port that speaks HTTP/2 cleartext (h2c, prior knowledge, as the Restate server
// connects by default) and HTTP/1.1 (deployments registered with `use_http_11`).
//
// Why not `http2.createServer({ allowHTTP1: true })`: Node 20 honours `allowHTTP1` only on TLS
// servers, where ALPN picks the protocol. Over cleartext we look at the first bytes instead: every
// HTTP/2 connection starts with the preface `PRI * HTTP/2.0…`, no HTTP/1 request does.
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";

/** A request listener for both of Node's servers, e.g. the Node request handler. */
export type NodeListener = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

/**
 * A listening server.
 *
 * @example
 * const server = await startNodeServer(createNodeHandler(core), 0, "127.0.0.1");
 * console.log(server.port);
 * await server.close();
 */
export interface NodeServer {
  /** The port actually bound (useful with port 0). */
  readonly port: number;
  /** The address bound: `::` or `0.0.0.0` when listening on every interface. */
  readonly address: string;
  /**
   * Stops accepting connections, lets HTTP/2 streams and HTTP/1.1 requests in flight finish, and
   * resolves once every connection is closed. Connections still open after `graceMs` are destroyed.
   */
  close(graceMs?: number): Promise<void>;
}

const H2_PREFACE_START = "PRI ";
/** A client that sends nothing after connecting is dropped after this long. */
const FIRST_BYTES_TIMEOUT_MS = 30_000;
const CLOSE_GRACE_MS = 5_000;

function ignore(): void {}

/** Which server a socket was handed to; absent while its first bytes are awaited. */
type Protocol = "h1" | "h2";

/** Hands a new socket to the HTTP/2 or the HTTP/1.1 server once its first bytes are known. */
function dispatch(
  socket: net.Socket,
  h1: http.Server,
  h2: http2.Http2Server,
  protocols: Map<net.Socket, Protocol | undefined>,
): void {
  let head: Buffer | undefined;
  const onData = (chunk: Buffer): void => {
    head = head === undefined ? chunk : Buffer.concat([head, chunk]);
    const start = head.toString("latin1", 0, H2_PREFACE_START.length);
    if (head.length < H2_PREFACE_START.length && H2_PREFACE_START.startsWith(start)) return;
    socket.off("data", onData);
    socket.off("error", ignore);
    socket.setTimeout(0);
    socket.pause();
    socket.unshift(head);
    if (start === H2_PREFACE_START) {
      protocols.set(socket, "h2");
      // The HTTP/2 session reads the unshifted bytes itself on the next tick; resuming the
      // socket here would let them flow away as 'data' events.
      h2.emit("connection", socket);
    } else {
      protocols.set(socket, "h1");
      h1.emit("connection", socket);
      socket.resume();
    }
  };
  protocols.set(socket, undefined);
  socket.once("close", () => protocols.delete(socket));
  socket.on("data", onData);
  // Until a server owns the socket, errors (e.g. ECONNRESET) must not crash the process.
  socket.on("error", ignore);
  socket.setTimeout(FIRST_BYTES_TIMEOUT_MS, () => socket.destroy());
}

/**
 * Serves `handle` on `hostname:port` over HTTP/2 cleartext and HTTP/1.1; with no `hostname`, on
 * every interface (IPv6 and IPv4 where the host has both), as Node's `server.listen(port)` does.
 *
 * `listen()` passes the Node request handler, which answers every route itself: no Hono app and no
 * `@hono/node-server` (whose import replaces Node's global `Request` and `Response`) on this path.
 *
 * @throws when the port cannot be bound (e.g. `EADDRINUSE`).
 * @example
 * const server = await startNodeServer(createNodeHandler(core), 0, "127.0.0.1");
 * await server.close();
 */
export function startNodeServer(
  handle: NodeListener,
  port: number,
  hostname: string | undefined,
): Promise<NodeServer> {
  const h1 = http.createServer(handle);
  const h2 = http2.createServer(handle);
  const protocols = new Map<net.Socket, Protocol | undefined>();
  const sessions = new Set<http2.ServerHttp2Session>();
  /** HTTP/1.1 sockets with a request in flight; the others are idle keep-alive connections. */
  const busy = new Set<net.Socket>();
  let isClosing = false;

  const front = net.createServer((socket) => dispatch(socket, h1, h2, protocols));
  h2.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    if (isClosing) session.close();
  });
  h1.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    busy.add(socket);
    res.once("close", () => {
      busy.delete(socket);
      if (isClosing) socket.end();
    });
  });

  function close(graceMs = CLOSE_GRACE_MS): Promise<void> {
    isClosing = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        for (const socket of protocols.keys()) socket.destroy();
      }, graceMs);
      timer.unref();
      front.close(() => {
        clearTimeout(timer);
        resolve();
      });
      for (const session of sessions) session.close();
      for (const [socket, protocol] of protocols) {
        // HTTP/2 sockets close with their session; idle HTTP/1.1 ones (keep-alive) and ones that
        // have not sent a byte yet can go now.
        if (protocol === undefined) socket.destroy();
        else if (protocol === "h1" && !busy.has(socket)) socket.end();
      }
    });
  }

  return new Promise((resolve, reject) => {
    front.once("error", reject);
    const onListening = (): void => {
      front.off("error", reject);
      const bound = front.address();
      const isInfo = typeof bound === "object" && bound !== null;
      resolve({
        port: isInfo ? bound.port : port,
        address: isInfo ? bound.address : (hostname ?? ""),
        close,
      });
    };
    if (hostname === undefined) front.listen(port, onListening);
    else front.listen(port, hostname, onListening);
  });
}
