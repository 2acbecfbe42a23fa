// SPDX-License-Identifier: MIT
// The one test file with real sockets (loopback, port 0): it proves the transport properties that
// `app.request()` cannot show — h2c and HTTP/1.1 on one port, and full-duplex streaming.
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { service } from "../definitions/service.js";
import { toServiceEntry } from "../definitions/registry.js";
import { echoRunner } from "./__fixtures__/echo-runner.js";
import { AttemptRegistry } from "./attempt-registry.js";
import { withRunner } from "./endpoint-builder.js";
import { createEndpointCore } from "./endpoint-core.js";
import { createNodeInvoker } from "./node-invoke.js";
import { RestateEndpoint, endpoint } from "./endpoint.js";
import { silent } from "./__fixtures__/silent-logger.js";
import { serve } from "./serve.js";
import { SERVER_HEADER } from "./version.js";

const INVOKE_V6 = "application/vnd.restate.invocation.v6";
const MANIFEST_V4 = "application/vnd.restate.endpointmanifest.v4+json";
const greeter = service({
  name: "greeter",
  handlers: { greet: (_ctx, n: string) => Promise.resolve(n) },
});

/** Resolves with the next chunk the stream emits. */
function nextChunk(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    stream.once("data", (chunk: Buffer) => resolve(chunk.toString()));
    stream.once("error", reject);
  });
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
    stream.on("end", () => resolve(text));
    stream.on("error", reject);
  });
}

describe("node server", () => {
  let restate: RestateEndpoint;
  let base: string;
  let session: http2.ClientHttp2Session;

  beforeAll(async () => {
    restate = withRunner(new RestateEndpoint(), echoRunner().runner)
      .bind(greeter)
      .setLogger(silent);
    const port = await restate.listen(0);
    expect(port).toBeGreaterThan(0);
    base = `http://127.0.0.1:${port}`;
    session = http2.connect(base);
  });

  afterAll(async () => {
    session.close();
    await restate.close();
  });

  it("serves HTTP/1.1: discovery advertises REQUEST_RESPONSE", async () => {
    const res = await fetch(`${base}/discover`, { headers: { accept: MANIFEST_V4 } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-restate-server")).toBe(SERVER_HEADER);
    expect(((await res.json()) as { protocolMode: string }).protocolMode).toBe("REQUEST_RESPONSE");
    expect(await (await fetch(`${base}/health`)).text()).toBe("OK");
  });

  it("serves HTTP/1.1 invocations in request-response mode", async () => {
    const res = await fetch(`${base}/invoke/greeter/greet`, {
      method: "POST",
      headers: { "content-type": INVOKE_V6 },
      body: "abc",
    });
    expect(res.headers.get("content-type")).toBe(INVOKE_V6);
    expect(await res.text()).toBe("greeter/greet v6\nabc|end");
  });

  it("serves HTTP/2 prior knowledge: discovery advertises BIDI_STREAM", async () => {
    const stream = session.request({ ":path": "/discover", accept: MANIFEST_V4 });
    const [headers, body] = await Promise.all([
      new Promise<http2.IncomingHttpHeaders>((resolve) => stream.once("response", resolve)),
      readAll(stream),
    ]);
    expect(headers[":status"]).toBe(200);
    expect(headers["x-restate-server"]).toBe(SERVER_HEADER);
    expect((JSON.parse(body) as { protocolMode: string }).protocolMode).toBe("BIDI_STREAM");
  });

  it("streams both ways over HTTP/2: output flows before the request body ends", async () => {
    const stream = session.request({
      ":method": "POST",
      ":path": "/invoke/greeter/greet",
      "content-type": INVOKE_V6,
    });
    const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) =>
      stream.once("response", resolve),
    );
    // The head arrived while the request body is still open.
    expect(headers[":status"]).toBe(200);
    expect(headers["content-type"]).toBe(INVOKE_V6);
    expect(await nextChunk(stream)).toBe("greeter/greet v6\n");

    stream.write("first");
    expect(await nextChunk(stream)).toBe("first");
    stream.write("second");
    expect(await nextChunk(stream)).toBe("second");

    const rest = readAll(stream);
    stream.end();
    expect(await rest).toBe("|end");
  });

  it("streams over HTTP/1.1 too: the head and first bytes come before the body ends", async () => {
    const url = new URL(`${base}/invoke/greeter/greet`);
    const req = http.request(url, { method: "POST", headers: { "content-type": INVOKE_V6 } });
    req.flushHeaders();
    const res = await new Promise<http.IncomingMessage>((resolve) => req.once("response", resolve));
    expect(res.statusCode).toBe(200);
    expect(await nextChunk(res)).toBe("greeter/greet v6\n");
    req.write("part");
    expect(await nextChunk(res)).toBe("part");
    const rest = readAll(res);
    req.end();
    expect(await rest).toBe("|end");
  });

  it("refuses to listen twice", async () => {
    await expect(restate.listen(0)).rejects.toThrow(/already listening/);
  });
});

describe("serve", () => {
  it("listens on a free port and stops when the signal aborts", async () => {
    const controller = new AbortController();
    const port = await serve({
      services: [greeter],
      port: 0,
      logger: silent,
      signal: controller.signal,
    });
    expect(await (await fetch(`http://127.0.0.1:${port}/health`)).text()).toBe("OK");
    controller.abort();
    await vi.waitFor(async () => {
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    });
  });

  it("rejects when the port is taken", async () => {
    const first = endpoint().bind(greeter).setLogger(silent);
    const port = await first.listen(0);
    await expect(endpoint().bind(greeter).setLogger(silent).listen(port)).rejects.toThrow(
      /EADDRINUSE/,
    );
    await first.close();
  });
});

describe("interfaces", () => {
  /** Every address of this host that a peer could use, loopback included. */
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && !info.address.startsWith("fe80"))
    .map((info) => (info!.family === "IPv6" ? `[${info!.address}]` : info!.address));

  it("listen() binds every interface by default, as the official SDK does", async () => {
    const lines: string[] = [];
    const record = (...args: unknown[]) => void lines.push(args.join(" "));
    const logger = { trace: record, debug: record, info: record, warn: record, error: record };
    const restate = endpoint().bind(greeter).setLogger(logger);
    const port = await restate.listen(0);
    try {
      expect(lines.join("\n")).toContain("all interfaces");
      for (const address of addresses) {
        const res = await fetch(`http://${address}:${port}/health`);
        expect(await res.text(), address).toBe("OK");
      }
    } finally {
      await restate.close();
    }
  });

  it("listen(port, '127.0.0.1') stays on loopback", async () => {
    const external = addresses.find((a) => !a.startsWith("127.") && !a.startsWith("[::1]"));
    const restate = endpoint().bind(greeter).setLogger(silent);
    const port = await restate.listen(0, "127.0.0.1");
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/health`)).text()).toBe("OK");
      if (external !== undefined) {
        await expect(fetch(`http://${external}:${port}/health`)).rejects.toThrow();
      }
    } finally {
      await restate.close();
    }
  });

  it("serve() takes its port from PORT when none is given", async () => {
    const free = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    vi.stubEnv("PORT", String(free));
    const controller = new AbortController();
    try {
      const port = await serve({ services: [greeter], logger: silent, signal: controller.signal });
      expect(port).toBe(free);
      expect(await (await fetch(`http://127.0.0.1:${port}/health`)).text()).toBe("OK");
    } finally {
      controller.abort();
      vi.unstubAllEnvs();
    }
  });
});

describe("graceful close", () => {
  it("drains running attempts (input ends, the attempt closes) and refuses new ones with 503", async () => {
    const restate = withRunner(new RestateEndpoint(), echoRunner().runner)
      .bind(greeter)
      .setLogger(silent)
      .handleSignals(false);
    const port = await restate.listen(0, "127.0.0.1");
    const client = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const running = client.request({
        ":method": "POST",
        ":path": "/invoke/greeter/greet",
        "content-type": INVOKE_V6,
      });
      expect(await nextChunk(running)).toBe("greeter/greet v6\n");
      const rest = readAll(running);
      const closed = restate.close(5_000);
      // The attempt's input was ended by the drain although the request body is still open.
      expect(await rest).toBe("|end");
      running.end();
      await closed;
    } finally {
      client.destroy();
    }
  });

  it("answers invocations arriving while draining with 503", async () => {
    const attempts = new AttemptRegistry();
    void attempts.drain();
    const recording = echoRunner();
    const core = createEndpointCore([toServiceEntry(greeter)], {
      logger: silent,
      runner: recording.runner,
    });
    const invoke = createNodeInvoker(core, attempts);
    const server = http.createServer((req, res) => void invoke(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/invoke/greeter/greet`, {
        method: "POST",
        headers: { "content-type": INVOKE_V6 },
        body: "x",
      });
      expect(res.status).toBe(503);
      expect(recording.started).toHaveLength(0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
