// SPDX-License-Identifier: MIT
/**
 * The direct-mode client: speaks the service protocol to an endpoint the way the Restate server
 * does, over one HTTP/2 cleartext connection (prior knowledge) with many concurrent streams.
 */
import http2 from "node:http2";
import { checkResponse, PROTOCOL_CONTENT_TYPE, type DirectCase } from "./protocol.js";

const REQUEST_TIMEOUT_MS = 30_000;

/** One HTTP/2 connection to an endpoint. */
export class H2Invoker {
  readonly #session: http2.ClientHttp2Session;

  private constructor(session: http2.ClientHttp2Session) {
    this.#session = session;
  }

  /** Connects to `127.0.0.1:port`; rejects on a connection error (e.g. ECONNREFUSED). */
  static connect(port: number): Promise<H2Invoker> {
    return new Promise((resolve, reject) => {
      const session = http2.connect(`http://127.0.0.1:${port}`);
      const onError = (error: Error): void => {
        session.destroy();
        reject(error);
      };
      session.once("error", onError);
      session.once("connect", () => {
        session.off("error", onError);
        // Later session errors surface as stream errors on the requests in flight.
        session.on("error", () => undefined);
        resolve(new H2Invoker(session));
      });
    });
  }

  /**
   * Sends one invocation (the body, then end of stream, as the runtime does in request/response
   * mode) and validates the answer. Resolves with undefined when valid, else the reason.
   */
  invoke(invocation: DirectCase): Promise<string | undefined> {
    return new Promise((resolve) => {
      const stream = this.#session.request({
        ":method": "POST",
        ":path": invocation.path,
        "content-type": PROTOCOL_CONTENT_TYPE,
        accept: PROTOCOL_CONTENT_TYPE,
      });
      let status = 0;
      let contentType: string | undefined;
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        resolve(`timed out after ${REQUEST_TIMEOUT_MS} ms`);
      }, REQUEST_TIMEOUT_MS);
      stream.on("response", (headers: http2.IncomingHttpHeaders) => {
        status = Number(headers[":status"]);
        contentType = headers["content-type"];
      });
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        clearTimeout(timer);
        resolve(checkResponse(status, contentType, Buffer.concat(chunks), invocation.expected));
      });
      stream.on("error", (error: Error) => {
        clearTimeout(timer);
        resolve(`stream error: ${error.message}`);
      });
      stream.end(invocation.body);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#session.close(resolve));
  }

  /** Closes without waiting for the peer (used when the endpoint is being killed anyway). */
  destroy(): void {
    this.#session.destroy();
  }
}
