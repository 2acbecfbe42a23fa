// SPDX-License-Identifier: MIT
// The AWS Lambda transport: one event in, one result out, request/response mode. Routing,
// identity and discovery are the endpoint core's, as on every other transport.
import { EndpointBuilder, endpointCore } from "./endpoint-builder.js";
import { textResponse, type EndpointCore, type PlainResponse } from "./endpoint-core.js";
import { InvocationPump } from "./invocation-pump.js";
import {
  mapReader,
  toBase64,
  toLambdaRequest,
  type LambdaRequest,
  type LambdaResult,
} from "./lambda-event.js";
import { HEALTHY, refusal } from "./endpoint-core.js";
import { needsIdentity, type InvokeRequest } from "./request-parser.js";
import type { PreviewResponse } from "./serde-preview.js";
import { SERVER_HEADER } from "./version.js";

/**
 * A Lambda function handler: `export const handler = …`. It takes any event (a {@link LambdaEvent}
 * shape is expected; anything else gets a 400 result), as the official handler's `any`. The
 * `context` Lambda passes reaches Restate handlers as `ctx.request().extraArgs[0]`, as in the
 * official SDK.
 *
 * @example
 * export const handler: LambdaHandler = createEndpointHandler({ services: [greeter] });
 */
export type LambdaHandler = (event: unknown, context?: unknown) => Promise<LambdaResult>;

const encoder = new TextEncoder();

function plainResult({ status, headers, body }: PlainResponse | PreviewResponse): LambdaResult {
  return {
    statusCode: status,
    headers,
    body: toBase64(typeof body === "string" ? encoder.encode(body) : body),
    isBase64Encoded: true,
  };
}

/** Collects an attempt's frames; resolves with the whole body once the attempt is over. */
class BufferPump extends InvocationPump {
  readonly #chunks: Uint8Array[] = [];
  #size = 0;
  readonly done: Promise<Uint8Array>;
  #resolve: (body: Uint8Array) => void = () => {};
  #reject: (error: unknown) => void = () => {};

  constructor() {
    super();
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  protected emit(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
  }

  protected finish(): void {
    const body = new Uint8Array(this.#size);
    let offset = 0;
    for (const chunk of this.#chunks) {
      body.set(chunk, offset);
      offset += chunk.length;
    }
    this.#resolve(body);
  }

  protected fail(error: unknown): void {
    this.#reject(error);
  }
}

async function invoke(
  core: EndpointCore,
  { handler, version, contentType }: InvokeRequest,
  request: LambdaRequest,
  extraArgs: readonly unknown[],
): Promise<LambdaResult> {
  const pump = new BufferPump();
  const params = core.params(handler, version, request.headers, extraArgs);
  const requestId = awsRequestIdOf(extraArgs[0]);
  pump.run(
    core.runner,
    requestId === undefined
      ? params
      : { ...params, additionalLogContext: { AWSRequestId: requestId } },
  );
  pump.push(request.body);
  pump.requestEnded();
  const body = await pump.done;
  return {
    statusCode: 200,
    headers: { "content-type": contentType, "x-restate-server": SERVER_HEADER },
    body: toBase64(body),
    isBase64Encoded: true,
  };
}

/** The `awsRequestId` of the Lambda context, if it has one. */
function awsRequestIdOf(context: unknown): string | undefined {
  if (typeof context !== "object" || context === null || !("awsRequestId" in context))
    return undefined;
  return typeof context.awsRequestId === "string" ? context.awsRequestId : undefined;
}

/**
 * Creates the Lambda handler over an endpoint core.
 *
 * restate-server compresses Lambda payloads only when discovery advertises `lambdaCompression`,
 * which this endpoint does not; a compressed body is refused with 415.
 *
 * @internal
 */
export function createLambdaHandler(core: EndpointCore): LambdaHandler {
  return async (event, context) => {
    const request = toLambdaRequest(event);
    if (typeof request === "string") {
      core.logger.error(`Unexpected Lambda event: ${request}`);
      return plainResult(textResponse(400, `Bad Lambda event: ${request}`));
    }
    try {
      const parsed = core.parse(request.method, request.path, request.headers.get("content-type"));
      if (needsIdentity(parsed)) {
        const denied = await core.authorize(request.path, mapReader(request.headers));
        if (denied !== undefined) return plainResult(denied);
      }
      switch (parsed.kind) {
        case "invoke": {
          const encoding = request.headers.get("content-encoding");
          if (encoding !== undefined && encoding !== "identity") {
            return plainResult(textResponse(415, `Unsupported content-encoding "${encoding}"`));
          }
          return await invoke(core, parsed, request, Object.freeze([context]));
        }
        case "preview":
          return plainResult(await core.preview(parsed, request.body));
        case "discover":
          return plainResult(core.discover(request.headers.get("accept"), "REQUEST_RESPONSE"));
        case "health":
          return plainResult(HEALTHY);
        case "refused":
          return plainResult(refusal(parsed));
        default: {
          const unreachable: never = parsed;
          return unreachable;
        }
      }
    } catch (error) {
      core.logger.error("Unexpected endpoint error", error);
      const message = error instanceof Error ? error.message : String(error);
      return plainResult(textResponse(500, `Internal error: ${message}`));
    }
  };
}

/**
 * A Restate endpoint served as an AWS Lambda function (request/response mode).
 *
 * @example
 * export const handler = endpoint().bind(greeter).handler();
 */
export class LambdaEndpoint extends EndpointBuilder {
  /** The Lambda function handler serving the bound services. */
  handler(): LambdaHandler {
    const core = endpointCore(this);
    return createLambdaHandler(core);
  }
}
