// SPDX-License-Identifier: MIT
// One real Restate server plus our endpoint, registered over HTTP/2 or HTTP/1.1, for a test file.
import { endpoint } from "../../src/index.js";
import type { AnyDefinition } from "../../src/definitions/service.js";
import {
  type RestateServer,
  type RestateServerOptions,
  startRestateServer,
} from "../../dev/restate-server.js";

/** A running server + endpoint pair and helpers to talk to them like a user would. */
export interface TestEnv {
  readonly server: RestateServer;
  readonly endpointUrl: string;
  /** POSTs to the ingress; JSON-encodes `body` unless it is bytes. */
  ingress(path: string, body?: unknown, headers?: Record<string, string>): Promise<IngressReply>;
  /** Calls the admin API. */
  admin(method: string, path: string, body?: unknown): Promise<IngressReply>;
  /** The `sys_invocation` row of an invocation. */
  invocation(id: string): Promise<Record<string, unknown> | undefined>;
  stop(): Promise<void>;
}

export interface IngressReply {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
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

/** Starts a server and an endpoint with `services`, registered with the given transport. */
export async function startEnv(
  services: readonly AnyDefinition[],
  options: {
    http11?: boolean;
    server?: Partial<RestateServerOptions>;
    /** The service protocol versions the endpoint advertises (default: the SDK's 5..6). */
    protocolVersions?: readonly [number, number];
  } = {},
): Promise<TestEnv> {
  const server = await startRestateServer(options.server ?? {});
  const ep = endpoint();
  for (const s of services) ep.bind(s);
  if (options.protocolVersions !== undefined) ep.protocolVersions(...options.protocolVersions);
  let port: number;
  try {
    port = await ep.listen(0);
    await server.register(`http://127.0.0.1:${port}`, { http11: options.http11 ?? false });
  } catch (e) {
    await ep.close();
    await server.stop();
    throw e;
  }
  return {
    server,
    endpointUrl: `http://127.0.0.1:${port}`,
    async ingress(path, body, headers = {}) {
      const isRaw = body instanceof Uint8Array;
      const response = await fetch(`${server.ingressUrl}${path}`, {
        method: "POST",
        headers: {
          ...(body !== undefined && !isRaw ? { "content-type": "application/json" } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: isRaw ? body : JSON.stringify(body) } : {}),
      });
      return reply(response);
    },
    async admin(method, path, body) {
      const response = await fetch(`${server.adminUrl}${path}`, {
        method,
        ...(body !== undefined
          ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
          : {}),
      });
      return reply(response);
    },
    async invocation(id) {
      const rows = await server.query(
        `SELECT * FROM sys_invocation WHERE id = '${id.replace(/[^A-Za-z0-9_]/g, "")}'`,
      );
      return rows[0];
    },
    async stop() {
      await ep.close(1000);
      await server.stop();
    },
  };
}

/** The two ways the server can reach our endpoint; most e2e suites run once per transport. */
export const TRANSPORTS = [
  { name: "HTTP/2 bidi", http11: false },
  { name: "HTTP/1.1 request/response", http11: true },
] as const;
