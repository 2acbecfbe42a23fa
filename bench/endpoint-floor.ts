// SPDX-License-Identifier: MIT
/**
 * The floor: a bare Hono app on `@hono/node-server` over `http2.createServer` (the stack
 * restate-hono serves on) that answers every `/invoke/...` with pre-encoded Output + End frames.
 * It reads the request body but does no protocol work: what is left is HTTP/2 + Hono + Node.
 */
import http2 from "node:http2";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { serveChild } from "./child-main.js";
import { greeterResponse, PROTOCOL_CONTENT_TYPE } from "./protocol.js";

const body = greeterResponse();
const app = new Hono().post("/invoke/:service/:handler", async (c) => {
  await c.req.arrayBuffer();
  return c.body(body.slice(), 200, { "content-type": PROTOCOL_CONTENT_TYPE });
});

await serveChild(
  (port) =>
    new Promise((resolve) => {
      const server = serve(
        { fetch: app.fetch, createServer: http2.createServer, port, hostname: "127.0.0.1" },
        (info) => resolve(info.port),
      );
      server.on("error", (error) => {
        console.error(error);
        process.exit(1);
      });
    }),
);
