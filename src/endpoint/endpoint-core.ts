// SPDX-License-Identifier: MIT
// What every transport of one endpoint shares: the request parser, the identity check, discovery,
// the invocation runner and the settings of each attempt. The Hono app, the Node fast path and the
// Lambda handler are thin adapters over it, so they cannot disagree on routing or security.
import {
  startInvocation,
  type InvocationInput,
  type InvocationParams,
  type InvocationSink,
  type ProtocolVersion,
} from "../context/invocation.js";
import type { HandlerEntry, ServiceEntry } from "../definitions/registry.js";
import {
  SUPPORTED_PROTOCOL_VERSIONS,
  createDiscovery,
  type DiscoveryResponse,
  type LambdaCompressionName,
  type ProtocolMode,
  type ProtocolVersionRange,
} from "./discovery.js";
import { createIdentityVerifier } from "./identity.js";
import { createLogger, type Logger } from "./logger.js";
import {
  createRequestParser,
  type PreviewRequest,
  type RefusedRequest,
  type RequestParser,
} from "./request-parser.js";
import { answerPreview, type PreviewResponse } from "./serde-preview.js";
import { SERVER_HEADER } from "./version.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";

/**
 * Starts one invocation attempt: the engine behind the transport. Tests pass a stand-in.
 *
 * @internal
 */
export type InvocationRunner = (params: InvocationParams, sink: InvocationSink) => InvocationInput;

/** Reads one request header; a `Headers` object fits. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** An answer with a small, complete body (errors, health, discovery). */
export type PlainResponse =
  | DiscoveryResponse
  | {
      readonly status: number;
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
    };

/**
 * Settings of an endpoint's transports; every field has a default.
 *
 * @example
 * const options: Partial<EndpointCoreOptions> = { identityKeys: ["publickeyv1_…"] };
 */
export interface EndpointCoreOptions {
  /** Request-identity public keys (`publickeyv1_…`); empty = accept unsigned requests. */
  readonly identityKeys: readonly string[];
  /** Shared by the endpoint and every invocation. */
  readonly logger: Logger;
  /** Largest protocol message accepted from the runtime; `undefined` = the runner's default. */
  readonly maxMessageSize: number | undefined;
  /** Protocol versions advertised at discovery and accepted on invocations (default 5..7). */
  readonly protocolVersions: ProtocolVersionRange;
  /** Starts attempts; default: the real engine. */
  readonly runner: InvocationRunner;
  /** The journal value codec, memoised by the caller; `undefined` = values journaled as is. */
  readonly journalValueCodec: (() => Promise<JournalValueCodec>) | undefined;
}

/**
 * The transport-neutral part of an endpoint.
 *
 * @internal
 */
export interface EndpointCore {
  readonly parse: RequestParser;
  readonly logger: Logger;
  readonly runner: InvocationRunner;
  /**
   * Checks the request identity (docs/protocol.md §12). Returns `undefined` synchronously when no keys
   * are configured, so the unsigned invoke path stays synchronous; otherwise resolves to the 401
   * answer, or to `undefined` when the request is signed.
   */
  authorize(path: string, headers: HeaderReader): Promise<PlainResponse | undefined> | undefined;
  discover(
    accept: string | null | undefined,
    mode: ProtocolMode,
    lambdaCompression?: LambdaCompressionName,
  ): PlainResponse;
  /** Answers a serde preview, given the whole request body. */
  preview(request: PreviewRequest, body: Uint8Array): Promise<PreviewResponse>;
  /** The parameters of one attempt. */
  params(
    handler: HandlerEntry,
    version: ProtocolVersion,
    attemptHeaders: ReadonlyMap<string, string>,
    extraArgs: readonly unknown[],
  ): InvocationParams;
}

const TEXT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/plain; charset=utf-8",
  "x-restate-server": SERVER_HEADER,
});

/** A plain-text answer carrying `x-restate-server`. */
export function textResponse(status: number, body: string, allow?: string): PlainResponse {
  return { status, body, headers: allow === undefined ? TEXT_HEADERS : { ...TEXT_HEADERS, allow } };
}

/** The answer to a request the parser refused. */
export function refusal(request: RefusedRequest): PlainResponse {
  return textResponse(request.status, request.message, request.allow);
}

/** The answer to a health check. */
export const HEALTHY: PlainResponse = Object.freeze(textResponse(200, "OK"));

/**
 * Creates the shared part of an endpoint serving `services`.
 *
 * @throws Error if an identity key is malformed.
 * @example
 * const core = createEndpointCore([toServiceEntry(greeter)], { identityKeys: [] });
 */
export function createEndpointCore(
  services: readonly ServiceEntry[],
  options: Partial<EndpointCoreOptions> = {},
): EndpointCore {
  const range = options.protocolVersions ?? SUPPORTED_PROTOCOL_VERSIONS;
  const logger = options.logger ?? createLogger();
  const maxMessageSize = options.maxMessageSize;
  const keys = options.identityKeys ?? [];
  const verifier = keys.length > 0 ? createIdentityVerifier(keys) : undefined;
  const discover = createDiscovery(services, range);
  const valueCodec = options.journalValueCodec;

  const authorize: EndpointCore["authorize"] =
    verifier === undefined
      ? () => undefined
      : async (path, headers) => {
          const result = await verifier.verify(path, headers);
          if (result.ok) return undefined;
          logger.warn(`Rejected request to ${path}: ${result.reason}`);
          return textResponse(401, `Unauthorized: ${result.reason}`);
        };

  const byName = new Map(services.map((s) => [s.name, s]));
  return {
    parse: createRequestParser(byName, range),
    logger,
    runner: options.runner ?? startInvocation,
    authorize,
    discover,
    preview: (request, body) => answerPreview(byName, request, body, logger),
    params:
      valueCodec === undefined
        ? (handler, protocolVersion, attemptHeaders, extraArgs) =>
            maxMessageSize === undefined
              ? { handler, protocolVersion, attemptHeaders, extraArgs, logger }
              : { handler, protocolVersion, attemptHeaders, extraArgs, logger, maxMessageSize }
        : (handler, protocolVersion, attemptHeaders, extraArgs) => ({
            handler,
            protocolVersion,
            attemptHeaders,
            extraArgs,
            logger,
            journalValueCodec: valueCodec(),
            ...(maxMessageSize !== undefined ? { maxMessageSize } : {}),
          }),
  };
}
