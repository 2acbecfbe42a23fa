// SPDX-License-Identifier: MIT
// A scripted `fetch` for client unit tests: records each request and answers from a function.
import type { FetchFn } from "../transport.js";

/** One request the client made. */
export interface RecordedRequest {
  readonly url: string;
  readonly path: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: Uint8Array | undefined;
  readonly text: string;
  /** When it was made (`Date.now()`). */
  readonly at: number;
}

/** Answers a request with a response, or throws (a network failure). */
export type Responder = (request: RecordedRequest, attempt: number) => Response | Promise<Response>;

export function fakeFetch(respond: Responder): { fetch: FetchFn; calls: RecordedRequest[] } {
  const calls: RecordedRequest[] = [];
  const fetch: FetchFn = async (input, init) => {
    init.signal?.throwIfAborted();
    const body = init.body instanceof Uint8Array ? init.body : undefined;
    const url = new URL(input);
    const request: RecordedRequest = {
      url: input,
      path: url.pathname + url.search,
      method: init.method ?? "GET",
      headers: new Headers(init.headers),
      body,
      text: body === undefined ? "" : new TextDecoder().decode(body),
      at: Date.now(),
    };
    calls.push(request);
    return respond(request, calls.length);
  };
  return { fetch, calls };
}

/** A JSON reply. */
export function reply(
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): Response {
  const hasBody = body !== undefined && status !== 204;
  return new Response(hasBody ? JSON.stringify(body) : null, {
    status,
    headers: hasBody ? { "content-type": "application/json", ...headers } : headers,
  });
}

/** An error reply as the 1.7 ingress labels it. */
export function ingressError(
  status: number,
  message: string,
  source: "invocation" | "ingress",
  headers: Record<string, string> = {},
): Response {
  return reply(
    status,
    { code: status, message, source },
    {
      "x-restate-error-source": source,
      ...headers,
    },
  );
}

/** What undici throws when the connection fails. */
export function networkFailure(): TypeError {
  return new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:1") });
}
