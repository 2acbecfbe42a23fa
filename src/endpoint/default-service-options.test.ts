// SPDX-License-Identifier: MIT
// `defaultServiceOptions` on every endpoint factory: merged under each service's own options when
// the endpoint starts serving, visible in the manifest and in the attempts.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { Context } from "../context/types.js";
import type { HooksProvider } from "../context/hooks.js";
import type { DefaultServiceOptions } from "../definitions/options.js";
import { handlers, object, service, workflow } from "../definitions/service.js";
import { TerminalError } from "../errors.js";
import { createEndpointHandler as createFetchHandler } from "../fetch.js";
import { createEndpointHandler as createLambdaHandler } from "../lambda.js";
import { invokeOnce, outputOf } from "./__fixtures__/invocation-frames.js";
import type { EndpointManifest } from "./discovery.js";
import { endpoint } from "./endpoint.js";
import { FetchEndpoint } from "./fetch-endpoint.js";
import { silent } from "./__fixtures__/silent-logger.js";
import { createEndpointHandler as createNodeHandler } from "./node-handler.js";
import type { NodeRequest, NodeResponse } from "./node-invoke.js";

const ACCEPT = "application/vnd.restate.endpointmanifest.v4+json";

class ValidationError extends Error {}

const reject = async (_ctx: Context, name: string): Promise<string> => {
  throw new ValidationError(`bad ${name}`);
};

const greeter = service({
  name: "greeter",
  options: { inactivityTimeout: { seconds: 5 } },
  handlers: {
    greet: handlers.handler({ ingressPrivate: false }, async (_ctx: Context, name: string) => name),
    reject,
  },
});
const counter = object({ name: "counter", handlers: { add: async () => {} } });
const signup = workflow({ name: "signup", handlers: { run: async () => {} } });
const kept = workflow({
  name: "kept",
  options: { workflowRetention: { days: 1 } },
  handlers: { run: async () => {} },
});

const defaults: DefaultServiceOptions = {
  inactivityTimeout: { seconds: 30 },
  journalRetention: { hours: 1 },
  ingressPrivate: true,
  enableLazyState: true,
  workflowRetention: { days: 7 },
  retryPolicy: { maxAttempts: 3, onMaxAttempts: "kill" },
};

async function manifestOf(
  fetch: (request: Request) => Promise<Response>,
): Promise<EndpointManifest> {
  const response = await fetch(
    new Request("http://endpoint/discover", { headers: { accept: ACCEPT } }),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as EndpointManifest;
}

function serviceNamed(manifest: EndpointManifest, name: string) {
  const found = manifest.services.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
}

describe("endpoint().defaultServiceOptions", () => {
  it("merges the defaults under each service's options, whenever the services were bound", async () => {
    const handler = endpoint()
      .setLogger(silent)
      .bind(greeter)
      .defaultServiceOptions(defaults)
      .bind(counter)
      .bind(signup)
      .bind(kept)
      .handler().fetch;
    const manifest = await manifestOf(handler);
    expect(serviceNamed(manifest, "greeter")).toMatchObject({
      inactivityTimeout: 5000,
      journalRetention: 3_600_000,
      ingressPrivate: true,
      retryPolicyMaxAttempts: 3,
      retryPolicyOnMaxAttempts: "KILL",
    });
    // A handler's own option still wins over the (merged) service option at the runtime.
    expect(serviceNamed(manifest, "greeter").handlers[0]).toMatchObject({ ingressPrivate: false });
    // Every default reaches every kind, as in the official SDK (the server accepts lazy state on
    // a plain service); workflow retention is only written on a workflow's run handler.
    expect(serviceNamed(manifest, "greeter")).toMatchObject({ enableLazyState: true });
    expect(serviceNamed(manifest, "greeter").handlers[0]).not.toHaveProperty(
      "workflowCompletionRetention",
    );
    expect(serviceNamed(manifest, "counter")).toMatchObject({
      inactivityTimeout: 30_000,
      enableLazyState: true,
    });
    expect(serviceNamed(manifest, "signup").handlers[0]).toMatchObject({
      workflowCompletionRetention: 7 * 86_400_000,
    });
    expect(serviceNamed(manifest, "kept").handlers[0]).toMatchObject({
      workflowCompletionRetention: 86_400_000,
    });
  });

  it("replaces earlier defaults, and takes effect on handlers created afterwards", async () => {
    const builder = new FetchEndpoint().setLogger(silent).bind(counter);
    const before = await manifestOf(builder.handler());
    builder
      .defaultServiceOptions({ abortTimeout: 1000 })
      .defaultServiceOptions({ abortTimeout: 2000 });
    const after = await manifestOf(builder.handler());
    expect(serviceNamed(before, "counter")).not.toHaveProperty("abortTimeout");
    expect(serviceNamed(after, "counter")).toMatchObject({ abortTimeout: 2000 });
  });

  it("runs an endpoint-default interceptor around each attempt", async () => {
    const seen: string[] = [];
    const hooks: HooksProvider = (ctx) => ({
      interceptor: {
        handler: async (next) => {
          seen.push(`before ${ctx.request.target.service}/${ctx.request.target.handler}`);
          await next();
          seen.push("after");
        },
      },
    });
    const handler = new FetchEndpoint()
      .setLogger(silent)
      .defaultServiceOptions({ hooks: [hooks] })
      .bind(greeter)
      .handler();
    const frames = await invokeOnce(handler, "/invoke/greeter/greet", '"Till"');
    expect(outputOf(frames)).toMatchObject({ case: "value" });
    expect(seen).toEqual(["before greeter/greet", "after"]);
  });

  it("maps errors with the default asTerminalError, unless the service has its own", async () => {
    const asTerminalError = (error: unknown) =>
      error instanceof ValidationError
        ? new TerminalError(error.message, { errorCode: 400 })
        : undefined;
    const ownMapping = service({
      name: "own",
      options: { asTerminalError: () => new TerminalError("own mapping", { errorCode: 422 }) },
      handlers: { reject },
    });
    const handler = createFetchHandler({
      services: [greeter, ownMapping],
      defaultServiceOptions: { asTerminalError },
      logger: silent,
    });
    const mapped = outputOf(await invokeOnce(handler, "/invoke/greeter/reject", '"x"'));
    expect(mapped).toMatchObject({ case: "failure", value: { code: 400, message: "bad x" } });
    const own = outputOf(await invokeOnce(handler, "/invoke/own/reject", '"x"'));
    expect(own).toMatchObject({ case: "failure", value: { code: 422, message: "own mapping" } });
  });
});

describe("defaultServiceOptions of createEndpointHandler", () => {
  const options = {
    services: [counter],
    defaultServiceOptions: { idempotencyRetention: { minutes: 2 } },
    logger: silent,
  };

  it("restate-hono/fetch", async () => {
    const manifest = await manifestOf(createFetchHandler(options));
    expect(serviceNamed(manifest, "counter")).toMatchObject({ idempotencyRetention: 120_000 });
  });

  it("restate-hono/lambda", async () => {
    const handler = createLambdaHandler(options);
    const result = await handler({
      path: "/discover",
      httpMethod: "GET",
      headers: { accept: ACCEPT },
    });
    expect(result.statusCode).toBe(200);
    const manifest = JSON.parse(Buffer.from(result.body, "base64").toString()) as EndpointManifest;
    expect(serviceNamed(manifest, "counter")).toMatchObject({ idempotencyRetention: 120_000 });
  });

  it("restate-hono/node", async () => {
    const handler = createNodeHandler(options);
    const request = Object.assign(new EventEmitter(), {
      method: "GET",
      url: "/discover",
      headers: { accept: ACCEPT },
      httpVersionMajor: 1,
      resume: () => undefined,
    }) satisfies NodeRequest;
    const body = await new Promise<string>((resolve) => {
      const response: NodeResponse = Object.assign(new EventEmitter(), {
        writeHead: () => response,
        write: () => true,
        end: (text?: string) => resolve(text ?? ""),
      });
      handler(request, response);
    });
    const manifest = JSON.parse(body) as EndpointManifest;
    expect(manifest.protocolMode).toBe("REQUEST_RESPONSE");
    expect(serviceNamed(manifest, "counter")).toMatchObject({ idempotencyRetention: 120_000 });
  });
});
