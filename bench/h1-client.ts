// SPDX-License-Identifier: MIT
/**
 * One direct-mode invocation over HTTP/1.1 on a fresh connection, as the Restate server sends it to
 * a deployment registered with `use_http_11` (request/response mode). For the fetch runtimes.
 */
import http from "node:http";
import { checkResponse, PROTOCOL_CONTENT_TYPE, type DirectCase } from "./protocol.js";

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * POSTs the invocation to `127.0.0.1:port` and validates the answer. Resolves with undefined when
 * valid, else the reason; rejects on a connection error (e.g. ECONNREFUSED while starting).
 */
export function invokeHttp1(port: number, invocation: DirectCase): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: invocation.path,
        agent: false,
        headers: {
          "content-type": PROTOCOL_CONTENT_TYPE,
          accept: PROTOCOL_CONTENT_TYPE,
          "content-length": invocation.body.length,
        },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const contentType = response.headers["content-type"];
          const body = Buffer.concat(chunks);
          resolve(checkResponse(response.statusCode ?? 0, contentType, body, invocation.expected));
        });
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error("request timed out")));
    request.on("error", reject);
    request.end(invocation.body);
  });
}
