// SPDX-License-Identifier: MIT
// The AWS Lambda transport: one event in, one result out, request/response mode. Routing,
// identity and discovery are the endpoint core's, as on every other transport.
import { EndpointBuilder, endpointCore } from "./endpoint-builder.js";
import {
  HEALTHY,
  refusal,
  textResponse,
  type EndpointCore,
  type PlainResponse,
} from "./endpoint-core.js";
import { InvocationPump } from "./invocation-pump.js";
import {
  mapReader,
  toBase64,
  toLambdaRequest,
  type LambdaRequest,
  type LambdaResult,
} from "./lambda-event.js";
import {
  CompressedBodyError,
  RUNTIME_LAMBDA_COMPRESSION,
  ZSTD,
  decodeRequestBody,
  encodeResponseBody,
  type LambdaCompression,
} from "./lambda-compression.js";
import { needsIdentity, type InvokeRequest } from "./request-parser.js";
import type { PreviewResponse } from "./serde-preview.js";
import { SERVER_HEADER } from "./version.js";

/**
 * A Lambda function handler: `export const handler = …`. It takes any event (a {@link LambdaEvent}
 * shape is expected; anything else gets a 400 result), as the official handler's `any`. The
 * `context` Lambda passes reaches Restate handlers as `ctx.request().extraArgs[0]`, as in the
 * official SDK. It rejects only when a zstd-compressed body cannot be read, as the official
 * handler does: restate-server records the error's message as the invocation's failure.
 *
 * @example
 * export const handler: LambdaHandler = createEndpointHandler({ services: [greeter] });
 */
export type LambdaHandler = (event: unknown, context?: unknown) => Promise<LambdaResult>;

const encoder = new TextEncoder();

/** The result carrying `response`, its body compressed when that is due. */
function lambdaResult(
  { status, headers, body }: PlainResponse | PreviewResponse,
  acceptEncoding: string | undefined,
  compression: LambdaCompression,
): LambdaResult {
  const bytes = typeof body === "string" ? encoder.encode(body) : body;
  const encoded = encodeResponseBody(headers, bytes, acceptEncoding, compression);
  return {
    statusCode: status,
    headers: encoded.headers,
    body: toBase64(encoded.body),
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
  body: Uint8Array,
  extraArgs: readonly unknown[],
): Promise<PreviewResponse> {
  const pump = new BufferPump();
  const params = core.params(handler, version, request.headers, extraArgs);
  const requestId = awsRequestIdOf(extraArgs[0]);
  pump.run(
    core.runner,
    requestId === undefined
      ? params
      : { ...params, additionalLogContext: { AWSRequestId: requestId } },
  );
  pump.push(body);
  pump.requestEnded();
  return {
    status: 200,
    headers: { "content-type": contentType, "x-restate-server": SERVER_HEADER },
    body: await pump.done,
  };
}

/** The `awsRequestId` of the Lambda context, if it has one. */
function awsRequestIdOf(context: unknown): string | undefined {
  if (typeof context !== "object" || context === null || !("awsRequestId" in context))
    return undefined;
  return typeof context.awsRequestId === "string" ? context.awsRequestId : undefined;
}

/**
 * Creates the Lambda handler over an endpoint core. Discovery advertises `lambdaCompression:
 * "zstd"` where the runtime has zstd; see lambda-compression.ts for what the server then sends.
 * The handler answers every event with a result, except a zstd body it cannot read: then it
 * rejects with a {@link CompressedBodyError} (a Lambda function error).
 *
 * @internal
 */
export function createLambdaHandler(
  core: EndpointCore,
  compression: LambdaCompression = RUNTIME_LAMBDA_COMPRESSION,
): LambdaHandler {
  const answer = async (request: LambdaRequest, context: unknown) => {
    const parsed = core.parse(request.method, request.path, request.headers.get("content-type"));
    if (needsIdentity(parsed)) {
      const denied = await core.authorize(request.path, mapReader(request.headers));
      if (denied !== undefined) return denied;
    }
    switch (parsed.kind) {
      case "invoke":
      case "preview": {
        const encoding = request.headers.get("content-encoding");
        const body = decodeRequestBody(request.body, encoding, compression);
        if (!(body instanceof Uint8Array)) return body;
        return parsed.kind === "invoke"
          ? invoke(core, parsed, request, body, Object.freeze([context]))
          : core.preview(parsed, body);
      }
      case "discover": {
        const zstd = compression.zstd() === undefined ? undefined : ZSTD;
        return core.discover(request.headers.get("accept"), "REQUEST_RESPONSE", zstd);
      }
      case "health":
        return HEALTHY;
      case "refused":
        return refusal(parsed);
      default: {
        const unreachable: never = parsed;
        return unreachable;
      }
    }
  };
  return async (event, context) => {
    const request = toLambdaRequest(event);
    if (typeof request === "string") {
      core.logger.error(`Unexpected Lambda event: ${request}`);
      return lambdaResult(
        textResponse(400, `Bad Lambda event: ${request}`),
        undefined,
        compression,
      );
    }
    const acceptEncoding = request.headers.get("accept-encoding");
    try {
      return lambdaResult(await answer(request, context), acceptEncoding, compression);
    } catch (error) {
      if (error instanceof CompressedBodyError) {
        core.logger.error(`Cannot read the body of a request to ${request.path}`, error);
        throw error;
      }
      core.logger.error("Unexpected endpoint error", error);
      const message = error instanceof Error ? error.message : String(error);
      const failed = textResponse(500, `Internal error: ${message}`);
      return lambdaResult(failed, acceptEncoding, compression);
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
