// SPDX-License-Identifier: MIT
// Service options against a real restate-server: defaultServiceOptions given to the Node
// createEndpointHandler reach the server's view of each service (a service's own options win), and
// asTerminalError (here an endpoint default) fails the invocation at once with the mapped error,
// for a handler's error and for a ctx.run closure's.
import http2 from "node:http2";
import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Context, TerminalError, service } from "../../src/index.js";
import { createEndpointHandler } from "../../src/node.js";
import { serverPerFile } from "./support.js";

const env = serverPerFile();

class ValidationError extends Error {}

const rejecting = service({
  name: "OptionsPublic",
  options: { ingressPrivate: false },
  handlers: {
    reject: async (_ctx: Context, name: string): Promise<string> => {
      throw new ValidationError(`invalid ${name}`);
    },
    rejectInRun: async (ctx: Context, name: string): Promise<string> =>
      ctx.run("validate", (): string => {
        throw new ValidationError(`invalid step ${name}`);
      }),
  },
});

const hidden = service({
  name: "OptionsPrivate",
  handlers: { ping: async () => "pong" },
});

describe("service options behind restate-server", () => {
  let host: http2.Http2Server | undefined;
  const sessions = new Set<http2.ServerHttp2Session>();

  beforeAll(async () => {
    const handler = createEndpointHandler({
      services: [rejecting, hidden],
      defaultServiceOptions: {
        ingressPrivate: true,
        inactivityTimeout: { minutes: 2 },
        asTerminalError: (error: unknown) =>
          error instanceof ValidationError
            ? new TerminalError(error.message, { errorCode: 400 })
            : undefined,
      },
    });
    host = http2.createServer(handler);
    host.on("session", (session: http2.ServerHttp2Session) => sessions.add(session));
    await new Promise<void>((resolve) => host!.listen(0, "127.0.0.1", resolve));
    const { port } = host.address() as net.AddressInfo;
    await env().register(`http://127.0.0.1:${port}`, { http11: false });
  });
  afterAll(async () => {
    for (const session of sessions) session.destroy();
    await new Promise<void>((resolve) => host?.close(() => resolve()));
  });

  async function serviceInfo(name: string): Promise<Record<string, unknown>> {
    const response = await fetch(`${env().server.adminUrl}/services/${name}`);
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  }

  it("applies the defaults to each service, under the service's own options", async () => {
    expect(await serviceInfo("OptionsPrivate")).toMatchObject({ public: false });
    expect(await serviceInfo("OptionsPublic")).toMatchObject({ public: true });
    expect(await serviceInfo("OptionsPublic")).toMatchObject({ inactivity_timeout: "2m" });
  });

  it("fails the invocation with the error asTerminalError maps a handler's error to", async () => {
    const reply = await env().ingress("/OptionsPublic/reject", "x");
    expect(reply.status).toBe(400);
    expect(reply.text).toContain("invalid x");
  });

  it("maps a ctx.run closure's error too: the run fails terminally", async () => {
    const reply = await env().ingress("/OptionsPublic/rejectInRun", "y");
    expect(reply.status).toBe(400);
    expect(reply.text).toContain("invalid step y");
  });
});
