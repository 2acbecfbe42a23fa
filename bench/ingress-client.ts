// SPDX-License-Identifier: MIT
// A lean keep-alive HTTP/1.1 client for the Restate ingress (lighter than fetch, so the driver
// takes less of the CPU the server and endpoint need).
import http from "node:http";

const REQUEST_TIMEOUT_MS = 30_000;

export interface IngressReply {
  readonly status: number;
  readonly text: string;
}

/** POSTs JSON bodies to one ingress, with at most `maxSockets` connections. */
export class IngressClient {
  readonly #agent: http.Agent;
  readonly #port: number;

  constructor(ingressUrl: string, maxSockets: number) {
    this.#port = Number(new URL(ingressUrl).port);
    this.#agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  post(path: string, body: string): Promise<IngressReply> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: "127.0.0.1",
          port: this.#port,
          path,
          method: "POST",
          agent: this.#agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
          timeout: REQUEST_TIMEOUT_MS,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () =>
            resolve({
              status: response.statusCode ?? 0,
              text: Buffer.concat(chunks).toString("utf8"),
            }),
          );
          response.on("error", reject);
        },
      );
      request.on("timeout", () =>
        request.destroy(new Error(`timed out after ${REQUEST_TIMEOUT_MS} ms`)),
      );
      request.on("error", reject);
      request.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
