// SPDX-License-Identifier: MIT
// zstd on the Lambda transport, following restate-server 1.7's Lambda invoker
// (crates/service-client/src/lambda.rs) and the official SDK's Lambda handler:
// - a deployment whose manifest (v4) says `lambdaCompression: "zstd"` gets `accept-encoding: zstd`
//   on every invocation, and a request body of at least 4 MiB (the server's
//   `request-compression-threshold`) zstd-compressed with `content-encoding: zstd`;
// - the server decompresses any answer whose `content-encoding` is `zstd`. The official handler
//   compresses an answer above 3 MiB when the request accepts zstd (Lambda's payload limit is 6 MB).
// A zstd body that cannot be read (no zstd in this runtime, not zstd data, or beyond the cap)
// fails the function, as the official handler does: restate-server then records the error's
// message as the invocation's failure and retries. An HTTP status would show the server only its
// code, and 415 would even read as "unsupported protocol version" there (and not count as an
// attempt). Unlike the official handler, decompression is bounded.
import { textResponse, type PlainResponse } from "./endpoint-core.js";
import { ZstdLimitError, runtimeZstdCodec, type Zstd } from "./zstd.js";

/**
 * How the Lambda handler (de)compresses; tests pass their own.
 *
 * @internal
 */
export interface LambdaCompression {
  /** The zstd codec, or undefined where the runtime has none; called on first need. */
  readonly zstd: () => Zstd | undefined;
  /** Largest decompressed request body accepted. */
  readonly maxRequestBytes: number;
  /** Answers longer than this are compressed when the request accepts zstd. */
  readonly responseThreshold: number;
}

/**
 * The cap on a decompressed request: far above what fits in Lambda's 6 MB payload at zstd's usual
 * ratios on journals, and small enough that a zstd bomb cannot exhaust the function's memory.
 */
export const MAX_DECOMPRESSED_REQUEST_BYTES = 128 * 1024 * 1024;

/** The official SDK's threshold for compressing an answer. */
export const RESPONSE_COMPRESSION_THRESHOLD = 3 * 1024 * 1024;

/** The value of `content-encoding` and `accept-encoding` restate-server uses. */
export const ZSTD = "zstd";

/**
 * The runtime's zstd with the limits above.
 *
 * @internal
 */
export const RUNTIME_LAMBDA_COMPRESSION: LambdaCompression = Object.freeze({
  zstd: runtimeZstdCodec,
  maxRequestBytes: MAX_DECOMPRESSED_REQUEST_BYTES,
  responseThreshold: RESPONSE_COMPRESSION_THRESHOLD,
});

/**
 * A zstd request body the handler cannot read; the Lambda handler rejects with it.
 *
 * @internal
 */
export class CompressedBodyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CompressedBodyError";
  }
}

/**
 * The request body as the handler should read it: decompressed per `content-encoding`, or the
 * answer refusing an encoding restate-server never uses.
 *
 * @throws {CompressedBodyError} for a zstd body this runtime cannot decompress, that is not zstd
 *   data, or that decompresses beyond `compression.maxRequestBytes`.
 * @internal
 */
export function decodeRequestBody(
  body: Uint8Array,
  contentEncoding: string | undefined,
  compression: LambdaCompression,
): Uint8Array | PlainResponse {
  const encoding = contentEncoding?.trim().toLowerCase() ?? "";
  if (encoding === "" || encoding === "identity") return body;
  if (encoding !== ZSTD) {
    return textResponse(415, `Unsupported content-encoding "${contentEncoding ?? ""}"`);
  }
  const zstd = compression.zstd();
  if (zstd === undefined) {
    throw new CompressedBodyError(
      "The request body is zstd-compressed, but this runtime's node:zlib has no zstd " +
        "(Node.js 22.15 or later has it). Deploy the function on a runtime with zstd, or " +
        "register the deployment again so that restate-server stops compressing.",
    );
  }
  try {
    return zstd.decompress(body, compression.maxRequestBytes);
  } catch (error) {
    if (error instanceof ZstdLimitError) {
      throw new CompressedBodyError(
        `The zstd-compressed request body is too large: ${error.message}`,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new CompressedBodyError(`The request body is not valid zstd data: ${reason}`, {
      cause: error,
    });
  }
}

/**
 * Whether an `accept-encoding` value accepts zstd: a `zstd` token whose weight is not zero.
 *
 * @example
 * acceptsZstd("zstd"); // true
 */
export function acceptsZstd(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return false;
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...params] = part.split(";");
    if (name.trim().toLowerCase() !== ZSTD) continue;
    const weight = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith("q="));
    return weight === undefined || Number(weight.slice(2)) > 0;
  }
  return false;
}

/** An answer's headers and body, compressed when that is due. */
export interface EncodedBody {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/**
 * Compresses an answer longer than the threshold when the request accepts zstd and the runtime
 * has it; otherwise returns it as it is.
 *
 * @internal
 */
export function encodeResponseBody(
  headers: Readonly<Record<string, string>>,
  body: Uint8Array,
  acceptEncoding: string | undefined,
  compression: LambdaCompression,
): EncodedBody {
  if (body.length <= compression.responseThreshold || !acceptsZstd(acceptEncoding)) {
    return { headers, body };
  }
  const zstd = compression.zstd();
  if (zstd === undefined) return { headers, body };
  return { headers: { ...headers, "content-encoding": ZSTD }, body: zstd.compress(body) };
}
