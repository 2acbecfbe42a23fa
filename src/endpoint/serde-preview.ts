// SPDX-License-Identifier: MIT
// Serde preview: tools such as the Restate UI (through the server's admin API) ask the endpoint to
// turn a service's wire bytes into JSON text and back, with the serde's optional `preview`. A
// service names its serdes `<handler>/input` and `<handler>/output`; the previewable ones are
// advertised in the service's manifest metadata, so tools know whom to ask. Status codes, content
// types and error bodies are those of the official SDK, which tools already understand.
import type { ServiceEntry } from "../definitions/registry.js";
import type { Serde } from "../serde/serde.js";
import type { Logger } from "./logger.js";
import { SERVER_HEADER } from "./version.js";

/** Which way a preview converts: JSON text to wire bytes, or wire bytes to JSON text. */
export type PreviewOperation = "encode" | "decode";

/** The service metadata key saying that serde `name` has a preview (value `"true"`). */
export const PREVIEW_METADATA_PREFIX = "dev.restate.serde.preview.";

/** A preview answer: small and complete, but the body of an `encode` is bytes. */
export interface PreviewResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** What a preview request names: the service, the operation, the serde name (URL-decoded). */
export interface PreviewTarget {
  readonly service: string;
  readonly operation: PreviewOperation;
  readonly serdeName: string;
  /**
   * Why the serde name in the path is not valid URL encoding. Such a request is answered 500
   * before any identity check, as by the official SDK (it fails while parsing the path).
   */
  readonly malformedName?: string;
}

/**
 * The preview target of a path's parts, decoding the serde name.
 *
 * @example
 * previewTarget("greeter", "decode", "greet%2Finput"); // serdeName "greet/input"
 */
export function previewTarget(
  service: string,
  operation: PreviewOperation,
  encodedName: string,
): PreviewTarget {
  try {
    return { service, operation, serdeName: decodeURIComponent(encodedName) };
  } catch (error) {
    const malformedName = error instanceof Error ? error.message : String(error);
    return { service, operation, serdeName: encodedName, malformedName };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a service's serdes are of any type
type AnySerde = Serde<any>;

/** Every serde of a service by name, in handler order: `<handler>/input`, `<handler>/output`. */
function namedSerdes(service: ServiceEntry): Array<readonly [string, AnySerde]> {
  const named: Array<readonly [string, AnySerde]> = [];
  for (const handler of service.handlers.values()) {
    named.push(
      [`${handler.name}/input`, handler.input],
      [`${handler.name}/output`, handler.output],
    );
  }
  return named;
}

/**
 * The metadata advertising the service's previewable serdes, or `undefined` when none has a
 * preview (the common case: JSON needs none).
 *
 * @example
 * previewMetadata(entry); // { "dev.restate.serde.preview.greet/input": "true" }
 */
export function previewMetadata(service: ServiceEntry): Record<string, string> | undefined {
  let metadata: Record<string, string> | undefined;
  for (const [name, serde] of namedSerdes(service)) {
    if (serde.preview !== undefined)
      (metadata ??= {})[`${PREVIEW_METADATA_PREFIX}${name}`] = "true";
  }
  return metadata;
}

const encoder = new TextEncoder();

function jsonAnswer(status: number, headers: Record<string, string>, text: string) {
  return { status, headers, body: encoder.encode(text) };
}

/** An error answer: `{"message": …}` as JSON. */
function errorAnswer(status: number, message: string): PreviewResponse {
  return jsonAnswer(
    status,
    { "content-type": "application/json", "x-restate-server": SERVER_HEADER },
    JSON.stringify({ message }),
  );
}

async function convert(
  serde: AnySerde,
  preview: NonNullable<AnySerde["preview"]>,
  operation: PreviewOperation,
  body: Uint8Array,
): Promise<PreviewResponse> {
  if (operation === "decode") {
    const text = await preview.toJsonString(serde.deserialize(body));
    return jsonAnswer(
      200,
      { "content-type": "application/json", "x-restate-server": SERVER_HEADER },
      text,
    );
  }
  const value: unknown = await preview.fromJsonString(new TextDecoder().decode(body));
  return {
    status: 200,
    headers: {
      "content-type": serde.contentType ?? "application/octet-stream",
      "x-restate-server": SERVER_HEADER,
    },
    body: serde.serialize(value),
  };
}

/**
 * Answers one preview request: 404 for an unknown service or a serde without a preview, 422 when
 * the conversion fails (bad bytes, bad JSON), else 200 with the converted body.
 *
 * @example
 * const answer = await answerPreview(services, { service: "greeter", operation: "decode",
 *   serdeName: "greet/input" }, bytes, logger);
 */
export async function answerPreview(
  services: ReadonlyMap<string, ServiceEntry>,
  target: PreviewTarget,
  body: Uint8Array,
  logger: Logger,
): Promise<PreviewResponse> {
  if (target.malformedName !== undefined) return errorAnswer(500, target.malformedName);
  const serdeName = target.serdeName;
  const service = services.get(target.service);
  if (service === undefined) {
    const message = `No service found for name: ${target.service}`;
    logger.warn(message);
    return errorAnswer(404, message);
  }
  const serde = namedSerdes(service).find(([name]) => name === serdeName)?.[1];
  if (serde?.preview === undefined) {
    // The wording of the official SDK's answer, which names the parsed request.
    const url = {
      type: "preview",
      componentName: target.service,
      operation: target.operation,
      serdeName,
    };
    const message = `No previewable serde found for URL: ${JSON.stringify(url)}`;
    logger.warn(message);
    return errorAnswer(404, message);
  }
  try {
    return await convert(serde, serde.preview, target.operation, body);
  } catch (error) {
    return errorAnswer(422, error instanceof Error ? error.message : String(error));
  }
}
