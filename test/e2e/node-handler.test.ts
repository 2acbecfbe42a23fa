// SPDX-License-Identifier: MIT
// `createEndpointHandler` from restate-hono/node on servers the test creates itself, behind a real
// restate-server: `http2.createServer` (bidirectional streaming) and `http.createServer`
// (request/response, registered with use_http_11).
import { randomUUID } from "node:crypto";
import http from "node:http";
import http2 from "node:http2";
import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEndpointHandler } from "../../src/node.js";
import { services } from "../../examples/fetch-services.js";
import { serverPerFile } from "./support.js";

const env = serverPerFile();

const TRANSPORTS = [
  { name: "http2.createServer", http11: false, protocol: /"BidiStream"|"BIDI_STREAM"/i },
  { name: "http.createServer", http11: true, protocol: /"RequestResponse"|"REQUEST_RESPONSE"/i },
] as const;

for (const { name, http11, protocol } of TRANSPORTS) {
  describe(`createEndpointHandler on ${name}`, () => {
    let host: http.Server | http2.Http2Server | undefined;
    const sessions = new Set<http2.ServerHttp2Session>();

    beforeAll(async () => {
      const handler = createEndpointHandler({ services: [...services] });
      host = http11 ? http.createServer(handler) : http2.createServer(handler);
      host.on("session", (session: http2.ServerHttp2Session) => sessions.add(session));
      await new Promise<void>((resolve) => host!.listen(0, "127.0.0.1", resolve));
      const { port } = host.address() as net.AddressInfo;
      const deployment = await env().register(`http://127.0.0.1:${port}`, { http11 });
      expect(deployment.services.map((s) => s.name).sort()).toEqual(["Counter", "Greeter"]);
      const info = await fetch(`${env().server.adminUrl}/deployments/${deployment.id}`);
      expect(JSON.stringify(await info.json())).toMatch(protocol);
    });
    afterAll(async () => {
      if (host instanceof http.Server) host.closeAllConnections();
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => host?.close(() => resolve()));
    });

    it("serves state, ctx.run, a call and a durable sleep", async () => {
      const key = `${http11 ? "h1" : "h2"}-${randomUUID().slice(0, 8)}`;
      const first = await env().ingress("/Greeter/greet", key);
      expect(first.status).toBe(200);
      expect(first.json).toMatch(new RegExp(`^Hello ${key}, visit #1, from `));
      expect((await env().ingress(`/Counter/${key}/add`, 41)).json).toBe(42);
      const later = await env().ingress("/Greeter/greetLater", { name: key, delayMs: 100 });
      expect(later).toMatchObject({ status: 200, json: `Hello ${key}, 100 ms later!` });
    });
  });
}
