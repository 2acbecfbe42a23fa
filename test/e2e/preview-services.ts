// SPDX-License-Identifier: MIT
/**
 * Definitions written once against the API both SDKs share (`service`, `object`, `workflow`,
 * `handlers.*`, options, `createEndpointHandler` with `defaultServiceOptions`), instantiated with
 * either SDK's module namespace, to compare what each endpoint tells the server: the discovery
 * manifest (options, serde preview metadata) and the serde preview answers.
 */
import type http from "node:http";
import { z } from "zod";
import { untyped, upper } from "../../src/endpoint/__fixtures__/upper-serde.js";

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
