// SPDX-License-Identifier: MIT
// The fetch handler of `createEndpointHandler` / `createFetchHandler` from `restate-hono/fetch`:
// the endpoint core answering Web-standard requests directly. Nobody can add middleware to it (it
// has no `app()`), so it needs no Hono app: a Worker built on it carries none of Hono's classes,
// about 14 kB of its bundle. It answers as the app of `endpoint().app()` does, which
// fetch-handler.test.ts checks request by request.
import { getPath } from "hono/utils/url";
import type { EndpointCore } from "./endpoint-core.js";
import { answerFetch, unexpectedErrorResponse } from "./fetch-answer.js";
import type { FetchHandler } from "./fetch-endpoint.js";

/**
 * A fetch handler over `core`, answering as the Hono app of `createCoreApp` (app.ts) would: the
 * path as Hono reads it (percent-decoded), `HEAD` answered as `GET` without a body, and an
 * unexpected error as a logged 500.
 *
 * @param bidirectional - the mode discovery advertises; default request/response.
 * @internal
 */
export function createCoreFetchHandler(core: EndpointCore, bidirectional = false): FetchHandler {
  const mode = bidirectional ? "BIDI_STREAM" : "REQUEST_RESPONSE";

  async function answer(request: Request, extraArgs: unknown[]): Promise<Response> {
    try {
      return await answerFetch(core, request, {
        path: getPath(request),
        mode,
        extraArgs: () => Object.freeze(extraArgs),
        body: () => request.arrayBuffer(),
      });
    } catch (error) {
      return unexpectedErrorResponse(core, error);
    }
  }

  async function fetch(request: Request, ...extraArgs: unknown[]): Promise<Response> {
    const response = await answer(request, extraArgs);
    // The status and headers of the GET answer, as Hono gives them to a HEAD request.
    return request.method === "HEAD" ? new Response(null, response) : response;
  }
  return Object.assign(fetch, { fetch });
}
