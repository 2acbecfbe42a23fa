// SPDX-License-Identifier: MIT
// The e2e support module: a real Restate server per test file, endpoints registered with it over
// HTTP/2 or HTTP/1.1, and helpers to talk to both like a user would.
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";
import { endpoint } from "../../src/index.js";
import type { Logger } from "../../src/index.js";
import type { AnyDefinition } from "../../src/definitions/service.js";
import {
  type DeploymentInfo,
  type RestateServer,
  type RestateServerOptions,
  startRestateServer,
} from "../../dev/restate-server.js";

export interface IngressReply {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

/** A running server, with ingress/admin helpers; endpoints are registered by the tests. */
export interface ServerEnv {
  readonly server: RestateServer;
  /** POSTs to the ingress; JSON-encodes `body` unless it is bytes. */
  ingress(path: string, body?: unknown, headers?: Record<string, string>): Promise<IngressReply>;
  /** Raw ingress exchange, for binary bodies. */
  ingressRaw(path: string, init: RequestInit): Promise<Response>;
  /** Calls the admin API. */
  admin(method: string, path: string, body?: unknown): Promise<IngressReply>;
  /** The `sys_invocation` row of an invocation. */
  invocation(id: string): Promise<Record<string, unknown> | undefined>;
  /**
   * Registers an endpoint URL; `stop`, when given, is called on {@link ServerEnv.stop}, before the
   * server (without it the test stops the endpoint itself).
   */
  register(
    url: string,
    opts: { http11: boolean; stop?: () => Promise<void> },
  ): Promise<DeploymentInfo>;
  /** Stops the registered endpoints, then the server. */
  stop(): Promise<void>;
}

/** A server with one endpoint of ours registered. */
export interface TestEnv extends ServerEnv {
  readonly endpointUrl: string;
}

async function reply(response: Response): Promise<IngressReply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** Only digits, letters and `_` survive: ids go into SQL. */
export const sqlId = (id: string): string => id.replace(/[^A-Za-z0-9_]/g, "");

/** Starts a real server; endpoints come later through {@link ServerEnv.register}. */
export async function startServerEnv(
  options: Partial<RestateServerOptions> = {},
): Promise<ServerEnv> {
  const server = await startRestateServer(options);
  const stops: Array<() => Promise<void>> = [];
  return {
    server,
    async ingress(path, body, headers = {}) {
      const isRaw = body instanceof Uint8Array;
      return reply(
        await fetch(`${server.ingressUrl}${path}`, {
          method: "POST",
          headers: {
            ...(body !== undefined && !isRaw ? { "content-type": "application/json" } : {}),
            ...headers,
          },
          ...(body !== undefined ? { body: isRaw ? body : JSON.stringify(body) } : {}),
        }),
      );
    },
    ingressRaw: (path, init) => fetch(`${server.ingressUrl}${path}`, init),
    async admin(method, path, body) {
      return reply(
        await fetch(`${server.adminUrl}${path}`, {
          method,
          ...(body !== undefined
            ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
            : {}),
        }),
      );
    },
    async invocation(id) {
      const rows = await server.query(`SELECT * FROM sys_invocation WHERE id = '${sqlId(id)}'`);
      return rows[0];
    },
    async register(url, opts) {
      if (opts.stop !== undefined) stops.push(opts.stop);
      return server.register(url, { http11: opts.http11 });
    },
    async stop() {
      for (const stop of stops.splice(0)) await stop().catch(() => undefined);
      await server.stop();
    },
  };
}

/**
 * One server for the whole test file: started before its first test, stopped after its last.
 * Call at the top level; the returned function gives the running server inside hooks and tests.
 */
export function serverPerFile(options: Partial<RestateServerOptions> = {}): () => ServerEnv {
  let env: ServerEnv | undefined;
  beforeAll(async () => {
    env = await startServerEnv(options);
  });
  afterAll(async () => {
    await env?.stop();
  });
  return () => {
    if (env === undefined) throw new Error("The server starts in beforeAll: use it in a test");
    return env;
  };
}

/** Starts a server and an endpoint with `services`, registered with the given transport. */
export async function startEnv(
  services: readonly AnyDefinition[],
  options: {
    http11?: boolean;
    server?: Partial<RestateServerOptions>;
    /** The service protocol versions the endpoint advertises (default: the SDK's 5..7). */
    protocolVersions?: readonly [number, number];
  } = {},
): Promise<TestEnv> {
  const env = await startServerEnv(options.server ?? {});
  const ep = endpoint();
  for (const s of services) ep.bind(s);
  if (options.protocolVersions !== undefined) ep.protocolVersions(...options.protocolVersions);
  try {
    const port = await ep.listen(0);
    const endpointUrl = `http://127.0.0.1:${port}`;
    await env.register(endpointUrl, {
      http11: options.http11 ?? false,
      stop: () => ep.close(1000),
    });
    return { ...env, endpointUrl };
  } catch (e) {
    await ep.close().catch(() => undefined);
    await env.stop();
    throw e;
  }
}

/** The two ways the server can reach our endpoint; most e2e suites run once per transport. */
export const TRANSPORTS = [
  { name: "HTTP/2 bidi", http11: false },
  { name: "HTTP/1.1 request/response", http11: true },
] as const;

/** A logger that records every line (as text) and prints nothing. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (...args: unknown[]): void => {
      lines.push(
        `${level} ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ")}`,
      );
    };
  return {
    lines,
    trace: record("TRACE"),
    debug: record("DEBUG"),
    info: record("INFO"),
    warn: record("WARN"),
    error: record("ERROR"),
  };
}

/**
 * Serves a Node request handler (the official SDK's `createEndpointHandler(…)`, or ours) over
 * HTTP/2 cleartext on a free loopback port and registers it with `env`. Stopping it destroys its
 * open sessions first, so the server's long-lived connections do not hold the close up.
 */
export async function registerHttp2Handler(
  env: ServerEnv,
  handler: (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
): Promise<void> {
  const server = http2.createServer(handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const session of sessions) session.destroy();
      server.close(() => resolve());
    });
  await env.register(`http://127.0.0.1:${port}`, { http11: false, stop });
}
