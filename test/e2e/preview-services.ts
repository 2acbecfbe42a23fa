// SPDX-License-Identifier: MIT
/**
 * Definitions written once against the API both SDKs share (`service`, `object`, `workflow`,
 * `handlers.*`, options, `createEndpointHandler` with `defaultServiceOptions`), instantiated with
 * either SDK's module namespace, to compare what each endpoint tells the server: the discovery
 * manifest (options, serde preview metadata) and the serde preview answers.
 */
import type http from "node:http";
import { z } from "zod";

/** A serde with a preview: upper-case text on the wire, a JSON string in the preview. */
export interface PreviewSerde {
  readonly contentType?: string;
  serialize(value: string): Uint8Array;
  deserialize(data: Uint8Array): string;
  readonly preview: {
    toJsonString(value: string): Promise<string>;
    fromJsonString(json: string): string;
  };
}

/** The same bytes ⇄ JSON conversion for both SDKs; wrong input fails on either side. */
export const upper: PreviewSerde = {
  contentType: "text/x-upper",
  serialize: (value) => new TextEncoder().encode(value.toUpperCase()),
  deserialize: (data) => {
    const text = new TextDecoder().decode(data);
    if (text !== text.toUpperCase()) throw new Error("not upper case");
    return text;
  },
  preview: {
    toJsonString: async (value) => JSON.stringify(value),
    fromJsonString: (json) => {
      const value: unknown = JSON.parse(json);
      if (typeof value !== "string") throw new TypeError("expected a JSON string");
      return value;
    },
  },
};

/** No content type: an encode answer falls back to `application/octet-stream`. */
export const untyped: PreviewSerde = {
  serialize: (value) => upper.serialize(value),
  deserialize: (data) => upper.deserialize(data),
  preview: upper.preview,
};

type Handler = (ctx: unknown, input: string) => Promise<string>;

/** What a definition needs to be served; opaque otherwise. */
export interface PreviewDefinition {
  readonly name: string;
}

/**
 * The part of an SDK module namespace used here. Method syntax on purpose (bivariant
 * parameters): each SDK's stricter typing is accepted without casts.
 */
export interface PreviewSdk {
  service(init: { name: string; handlers: object; options?: object }): PreviewDefinition;
  object(init: { name: string; handlers: object; options?: object }): PreviewDefinition;
  workflow(init: { name: string; handlers: object; options?: object }): PreviewDefinition;
  readonly serde: {
    schema(
      schema: z.ZodType,
      validateOptions?: Record<string, unknown>,
      jsonSchemaOptions?: Record<string, unknown>,
    ): unknown;
  };
  readonly handlers: {
    handler(opts: object, fn: Handler): unknown;
    readonly object: { shared(opts: object, fn: Handler): unknown };
    readonly workflow: { shared(opts: object, fn: Handler): unknown };
  };
  createEndpointHandler(options: {
    services: PreviewDefinition[];
    defaultServiceOptions: object;
  }): (request: http.IncomingMessage, response: http.ServerResponse) => void;
}

/** Endpoint defaults: every one must reach the manifest of every kind, as officially. */
export const DEFAULTS = {
  enableLazyState: true,
  workflowRetention: { days: 2 },
  journalRetention: { hours: 1 },
  inactivityTimeout: { seconds: 90 },
  retryPolicy: { maxAttempts: 7, onMaxAttempts: "kill", initialInterval: 250 },
} as const;

const echo: Handler = async (_ctx, input) => input;

/** Zod schemas whose discovery entries the two SDKs must describe alike. */
const Order = z.object({ id: z.string(), qty: z.number().int().default(1) });
const Dated = z.object({ at: z.date() });

/** A service, an object and a workflow, named `${prefix}Name`, served by `sdk`. */
export function definePreviewServices(sdk: PreviewSdk, prefix: string): PreviewDefinition[] {
  return [
    sdk.service({
      name: `${prefix}Shouter`,
      handlers: {
        shout: sdk.handlers.handler({ input: upper, output: untyped }, echo),
        plain: echo,
        order: sdk.handlers.handler(
          { input: sdk.serde.schema(Order), output: sdk.serde.schema(z.string().optional()) },
          echo,
        ),
        dated: sdk.handlers.handler(
          {
            input: sdk.serde.schema(Dated, undefined, { unrepresentable: "any" }),
            output: sdk.serde.schema(Dated),
          },
          echo,
        ),
        nothing: sdk.handlers.handler({ input: sdk.serde.schema(z.undefined()) }, echo),
      },
    }),
    sdk.object({
      name: `${prefix}Box`,
      options: { serde: upper, enableLazyState: false, abortTimeout: { minutes: 5 } },
      handlers: {
        put: echo,
        peek: sdk.handlers.object.shared({ output: untyped }, echo),
      },
    }),
    sdk.workflow({
      name: `${prefix}Flow`,
      options: { ingressPrivate: true },
      handlers: {
        run: echo,
        status: sdk.handlers.workflow.shared({ input: upper }, echo),
      },
    }),
  ];
}
