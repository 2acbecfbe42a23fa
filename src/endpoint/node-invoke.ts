// SPDX-License-Identifier: MIT
// Node-only fast path for `POST …/invoke/:service/:handler` when the endpoint listens itself.
//
// Why: the profile of an invocation through `@hono/node-server` is dominated by stream plumbing,
// not by the protocol: a Web `Request` (undici headers, an AbortSignal) and a `ReadableStream` for
// the request body, another `ReadableStream` for the response, and Node's transferable-stream setup
// for each. Here request chunks go from the Node stream straight into the engine and frames go
// straight out with `res.write`. Only well-formed, unsigned invocations take this path; everything
// else (discovery, health, errors, identity checks) is answered by the same Hono app as before,
// and both paths share the routing rules (routing.ts).
import type http from "node:http";
import type http2 from "node:http2";
import {
  startInvocation,
  type InvocationInput,
  type InvocationSink,
} from "../context/invocation.js";
import type { ServiceEntry } from "../definitions/registry.js";
import type { ProtocolVersionRange } from "./discovery.js";
import type { Logger } from "./logger.js";
import { protocolVersionOf, targetOf } from "./routing.js";
import { SERVER_HEADER } from "./version.js";

type NodeRequest = http.IncomingMessage | http2.Http2ServerRequest;
type NodeResponse = http.ServerResponse | http2.Http2ServerResponse;

/** Handles the request and returns true, or returns false to leave it to the Hono app. */
export type NodeInvoker = (req: NodeRequest, res: NodeResponse) => boolean;

/** What the fast path needs to know about the endpoint. */
export interface NodeInvokerOptions {
  readonly services: ReadonlyMap<string, ServiceEntry>;
  readonly protocolVersions: ProtocolVersionRange;
  readonly logger: Logger;
  readonly maxMessageSize?: number;
}

/**
 * Creates the fast path for invocations served by `listen()`.
 *
 * @internal
 */
export function createNodeInvoker(options: NodeInvokerOptions): NodeInvoker {
  const { services, protocolVersions: range, logger, maxMessageSize } = options;
  return (req, res) => {
    if (req.method !== "POST") return false;
    const contentType = req.headers["content-type"];
    if (contentType === undefined) return false;
    const version = protocolVersionOf(contentType);
    if (version === undefined || version < range.min || version > range.max) return false;
    const url = req.url ?? "";
    const query = url.indexOf("?");
    const target = targetOf(query < 0 ? url : url.slice(0, query));
    if (target.kind !== "invoke") return false;
    const handler = services.get(target.service)?.handlers.get(target.handler);
    if (handler === undefined) return false;

    res.writeHead(200, { "content-type": contentType, "x-restate-server": SERVER_HEADER });
    const pump = new NodePump(res);
    pump.input = startInvocation(
      {
        handler,
        protocolVersion: version,
        mode: req.httpVersionMajor === 2 ? "bidi" : "request-response",
        attemptHeaders: headerMap(req.headers),
        logger,
        ...(maxMessageSize !== undefined ? { maxMessageSize } : {}),
      },
      pump,
    );
    req.on("data", (chunk: Uint8Array) => pump.input?.push(chunk));
    req.on("end", () => pump.requestEnded());
    req.on("error", (error: Error) => pump.abort(error));
    res.on("close", () => pump.abort(new Error("the connection closed")));
    return true;
  };
}

/**
 * One attempt's response. Closing rule (PROTOCOL.md §1.4), as on the Hono path: the response
 * ends once the attempt is over *and* the request body has ended; in bidi mode the runtime closes
 * the request right after our terminator.
 */
class NodePump implements InvocationSink {
  input: InvocationInput | undefined;
  private readonly res: NodeResponse;
  private isAttemptOver = false;
  private isRequestDone = false;
  private isClosed = false;

  constructor(res: NodeResponse) {
    this.res = res;
  }

  write(chunk: Uint8Array): void {
    if (!this.isClosed) (this.res as http.ServerResponse).write(chunk);
  }

  end(): void {
    this.isAttemptOver = true;
    if (this.isRequestDone) this.close();
  }

  requestEnded(): void {
    this.isRequestDone = true;
    if (!this.isAttemptOver) this.input?.end();
    if (this.isAttemptOver) this.close();
  }

  abort(error: Error): void {
    if (this.isClosed) return;
    this.isClosed = true;
    if (!this.isAttemptOver) this.input?.abort(error);
  }

  private close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.res.end();
  }
}

function headerMap(headers: http.IncomingHttpHeaders): Map<string, string> {
  const map = new Map<string, string>();
  for (const key in headers) {
    const value = headers[key];
    if (value !== undefined) map.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  return map;
}
