// SPDX-License-Identifier: MIT
// The endpoint manifest of docs/protocol.md §2. The runtime rejects unknown fields and `null` at every
// level (§2.3), so every field below is written only when it has a value.
import type { HandlerEntry, ServiceEntry } from "../definitions/registry.js";
import type { HandlerKind, ServiceKind } from "../definitions/service.js";
import {
  ManifestError,
  describeOptions,
  requireVersion,
  toMs,
  type ManifestOptions,
  type ManifestVersion,
} from "./manifest-options.js";
import { previewMetadata } from "./serde-preview.js";
import { SERVER_HEADER } from "./version.js";

/** How the endpoint uses the HTTP exchange (docs/protocol.md §1.4). */
export type ProtocolMode = "BIDI_STREAM" | "REQUEST_RESPONSE";

/**
 * Lowest and highest service protocol versions advertised by default: V5–V7, as the official SDK
 * advertises. restate-server 1.7 picks V7 only with its experimental V7 flag on, else V6
 * (docs/protocol.md §14); each invocation keeps the version it started with.
 */
export const MIN_PROTOCOL_VERSION = 5;
export const MAX_PROTOCOL_VERSION = 7;

/**
 * An inclusive range of service protocol versions, as advertised in the manifest.
 *
 * @example
 * const onlyV5: ProtocolVersionRange = { min: 5, max: 5 };
 */
export interface ProtocolVersionRange {
  readonly min: number;
  readonly max: number;
}

/** Every version this SDK speaks; the default range of an endpoint. */
export const SUPPORTED_PROTOCOL_VERSIONS: ProtocolVersionRange = Object.freeze({
  min: MIN_PROTOCOL_VERSION,
  max: MAX_PROTOCOL_VERSION,
});

/** One handler of the manifest. */
export interface HandlerManifest extends ManifestOptions {
  name: string;
  ty?: "EXCLUSIVE" | "SHARED" | "WORKFLOW";
  input: { required?: boolean; contentType?: string; jsonSchema?: object };
  output: { setContentTypeIfEmpty: boolean; contentType?: string; jsonSchema?: object };
  workflowCompletionRetention?: number;
}

/** One service of the manifest. */
export interface ServiceManifest extends ManifestOptions {
  name: string;
  ty: "SERVICE" | "VIRTUAL_OBJECT" | "WORKFLOW";
  handlers: HandlerManifest[];
}

/** The compression a Lambda deployment accepts (manifest v4; restate-server ignores it on HTTP). */
export type LambdaCompressionName = "zstd";

/** The endpoint manifest (docs/protocol.md §2.2). */
export interface EndpointManifest {
  protocolMode: ProtocolMode;
  minProtocolVersion: number;
  maxProtocolVersion: number;
  services: ServiceManifest[];
  lambdaCompression?: LambdaCompressionName;
}

const SERVICE_TY: Record<ServiceKind, ServiceManifest["ty"]> = {
  service: "SERVICE",
  object: "VIRTUAL_OBJECT",
  workflow: "WORKFLOW",
};

const HANDLER_TY: Record<HandlerKind, HandlerManifest["ty"]> = {
  handler: undefined,
  exclusive: "EXCLUSIVE",
  shared: "SHARED",
  workflow: "WORKFLOW",
};

/**
 * The handler's input as the official SDK describes it: a serde with a JSON Schema always has an
 * input entry (even without a content type); otherwise the content type (`accept`, else the
 * serde's) decides, and none means "no input" (§2.2).
 */
function describeInput(handler: HandlerEntry): HandlerManifest["input"] {
  const { jsonSchema } = handler.input;
  const contentType = handler.options.accept ?? handler.input.contentType;
  if (jsonSchema === undefined && contentType === undefined) return {};
  const input: HandlerManifest["input"] = { required: false };
  if (contentType !== undefined) input.contentType = contentType;
  if (jsonSchema !== undefined) input.jsonSchema = jsonSchema;
  return input;
}

/** The handler's output: a serde with a JSON Schema is JSON unless it says otherwise. */
function describeOutput(handler: HandlerEntry): HandlerManifest["output"] {
  const { options } = handler;
  const { jsonSchema } = handler.output;
  const serdeType =
    jsonSchema === undefined
      ? handler.output.contentType
      : (handler.output.contentType ?? "application/json");
  const contentType = options.contentType ?? serdeType;
  const output: HandlerManifest["output"] = {
    setContentTypeIfEmpty: options.setOutputContentTypeIfEmpty ?? false,
  };
  if (contentType !== undefined) output.contentType = contentType;
  if (jsonSchema !== undefined) output.jsonSchema = jsonSchema;
  return output;
}

function describeHandler(handler: HandlerEntry, version: ManifestVersion): HandlerManifest {
  const owner = `Handler "${handler.service}/${handler.name}"`;
  const { options } = handler;
  const input = describeInput(handler);
  const output = describeOutput(handler);
  const ty = HANDLER_TY[handler.kind];
  const { name } = handler;
  const out: HandlerManifest =
    ty === undefined ? { name, input, output } : { name, ty, input, output };
  Object.assign(out, describeOptions(options, version, owner));
  if (options.workflowRetention !== undefined && handler.kind !== "workflow") {
    throw new ManifestError(
      `${owner}: "workflowRetention" is allowed on a workflow's run handler only`,
    );
  }
  // The run handler's own retention, else its workflow's (service-level `workflowRetention`).
  if (handler.workflowRetention !== undefined) {
    requireVersion(version, 3, owner, "workflowRetention");
    out.workflowCompletionRetention = toMs(handler.workflowRetention, owner, "workflowRetention");
  }
  if (handler.kind === "workflow" && options.idempotencyRetention !== undefined) {
    throw new ManifestError(
      `${owner}: "idempotencyRetention" is not allowed on a workflow's run handler; use "workflowRetention"`,
    );
  }
  return out;
}

/**
 * Describes one service at the given manifest version.
 *
 * @throws {ManifestError} when an option needs a newer manifest version or is misplaced.
 * @example
 * const described = describeService(toServiceEntry(greeter), 4);
 */
export function describeService(service: ServiceEntry, version: ManifestVersion): ServiceManifest {
  const options = describeOptions(service.options, version, `Service "${service.name}"`);
  // Tools find the serdes they may ask to preview in the service's metadata (see serde-preview.ts).
  const previews = previewMetadata(service);
  if (previews !== undefined) options.metadata = { ...options.metadata, ...previews };
  const handlers: HandlerManifest[] = [];
  for (const handler of service.handlers.values()) handlers.push(describeHandler(handler, version));
  return { name: service.name, ty: SERVICE_TY[service.kind], ...options, handlers };
}

/**
 * Builds the endpoint manifest.
 *
 * @throws {ManifestError} when an option needs a newer manifest version or is misplaced.
 * @example
 * const manifest = buildManifest([toServiceEntry(greeter)], 4, "REQUEST_RESPONSE");
 */
export function buildManifest(
  services: readonly ServiceEntry[],
  version: ManifestVersion,
  protocolMode: ProtocolMode,
  protocolVersions: ProtocolVersionRange = SUPPORTED_PROTOCOL_VERSIONS,
  lambdaCompression?: LambdaCompressionName,
): EndpointManifest {
  const manifest: EndpointManifest = {
    protocolMode,
    minProtocolVersion: protocolVersions.min,
    maxProtocolVersion: protocolVersions.max,
    services: services.map((service) => describeService(service, version)),
  };
  // The field is new in v4; for older manifests it is left out, as the official SDK does.
  if (lambdaCompression !== undefined && version >= 4)
    manifest.lambdaCompression = lambdaCompression;
  return manifest;
}

const ACCEPTED_MANIFEST = /^application\/vnd\.restate\.endpointmanifest\.v(\d+)\+json$/;

/**
 * Picks the highest manifest version this endpoint writes among those the `accept` header lists.
 *
 * @example
 * negotiateManifestVersion("application/vnd.restate.endpointmanifest.v3+json"); // 3
 */
export function negotiateManifestVersion(
  accept: string | null | undefined,
): ManifestVersion | undefined {
  if (!accept) return undefined;
  let best: ManifestVersion | undefined;
  for (const part of accept.split(",")) {
    const match = ACCEPTED_MANIFEST.exec((part.split(";", 1)[0] ?? "").trim().toLowerCase());
    const version = Number(match?.[1]);
    if (
      (version === 2 || version === 3 || version === 4) &&
      (best === undefined || version > best)
    ) {
      best = version;
    }
  }
  return best;
}

/** A discovery answer, ready to be sent. */
export interface DiscoveryResponse {
  readonly status: 200 | 415 | 500;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

function textResponse(status: 415 | 500, body: string): DiscoveryResponse {
  return {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "x-restate-server": SERVER_HEADER },
    body,
  };
}

const UNSUPPORTED_ACCEPT = textResponse(
  415,
  "Unsupported endpoint manifest version: the accept header must list " +
    "application/vnd.restate.endpointmanifest.v2+json, v3+json or v4+json.",
);

/**
 * Answers one discovery request: the `accept` header, the protocol mode of the transport, and the
 * compression a Lambda transport accepts.
 */
export type Discover = (
  accept: string | null | undefined,
  mode: ProtocolMode,
  lambdaCompression?: LambdaCompressionName,
) => DiscoveryResponse;

/**
 * Answers discovery requests for a fixed set of services. Each (version, mode, compression)
 * manifest is built and serialized once, on first use.
 *
 * @example
 * const discover = createDiscovery([toServiceEntry(greeter)]);
 * const { status, headers, body } = discover(request.headers.get("accept"), "BIDI_STREAM");
 */
export function createDiscovery(
  services: readonly ServiceEntry[],
  protocolVersions: ProtocolVersionRange = SUPPORTED_PROTOCOL_VERSIONS,
): Discover {
  const cache = new Map<string, DiscoveryResponse>();
  return (accept, mode, lambdaCompression) => {
    const version = negotiateManifestVersion(accept);
    if (version === undefined) return UNSUPPORTED_ACCEPT;
    const key = `${version}/${mode}/${lambdaCompression ?? ""}`;
    let response = cache.get(key);
    if (response === undefined) {
      try {
        response = {
          status: 200,
          headers: {
            "content-type": `application/vnd.restate.endpointmanifest.v${version}+json`,
            "x-restate-server": SERVER_HEADER,
          },
          body: JSON.stringify(
            buildManifest(services, version, mode, protocolVersions, lambdaCompression),
          ),
        };
      } catch (error) {
        if (!(error instanceof ManifestError)) throw error;
        response = textResponse(500, error.message);
      }
      cache.set(key, response);
    }
    return response;
  };
}
