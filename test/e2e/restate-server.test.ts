// SPDX-License-Identifier: MIT
// Tests of the dev launcher itself, against the real restate-server binary.
import fs from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  freePort,
  restateCli,
  startRestateServer,
  waitFor,
  type RestateServer,
} from "../../dev/restate-server.js";

/** The smallest endpoint the server will register: HTTP/1.1, no services (docs/protocol.md §2). */
interface ManifestEndpoint {
  readonly url: string;
  /** Headers of every `GET /discover` received, to see what the server sent. */
  readonly discoveries: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

async function startManifestEndpoint(): Promise<ManifestEndpoint> {
  const discoveries: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/discover") {
      res.writeHead(404).end();
      return;
    }
    discoveries.push(req.headers);
    // v1 is in the runtime's accept list and is the version whose fields this manifest uses.
    res.writeHead(200, { "content-type": "application/vnd.restate.endpointmanifest.v1+json" });
    res.end(
      JSON.stringify({
        protocolMode: "REQUEST_RESPONSE",
        minProtocolVersion: 5,
        maxProtocolVersion: 6,
        services: [],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    discoveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.json();
}

async function deploymentIds(server: RestateServer): Promise<string[]> {
  const body = (await getJson(`${server.adminUrl}/deployments`)) as {
    deployments: { id: string }[];
  };
  return body.deployments.map((d) => d.id);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Listening TCP addresses and unix socket paths held by `pid`, from /proc (Linux only). */
async function socketsOf(pid: number): Promise<{ tcp: string[]; unixPaths: string[] }> {
  const inodes = new Set<string>();
  for (const fd of await fs.readdir(`/proc/${pid}/fd`)) {
    const link = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => "");
    const match = /^socket:\[(\d+)\]$/.exec(link);
    if (match?.[1] !== undefined) inodes.add(match[1]);
  }
  const tcp: string[] = [];
  for (const table of ["tcp", "tcp6"]) {
    const rows = (await fs.readFile(`/proc/${pid}/net/${table}`, "utf8")).trim().split("\n");
    for (const row of rows.slice(1)) {
      const [, local = "", , state, , , , , , inode = ""] = row.trim().split(/\s+/);
      // State 0A is LISTEN; the address is hex, IPv4 bytes little-endian ("0100007F" = 127.0.0.1).
      if (state === "0A" && inodes.has(inode)) tcp.push(local);
    }
  }
  const unixRows = (await fs.readFile(`/proc/${pid}/net/unix`, "utf8")).trim().split("\n");
  const unixPaths = unixRows
    .slice(1)
    .map((row) => row.trim().split(/\s+/))
    .filter((cols) => inodes.has(cols[6] ?? "") && cols[7] !== undefined)
    .map((cols) => cols[7] ?? "");
  return { tcp, unixPaths };
}

const loopback = (port: number): string =>
  `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;

describe("startRestateServer", () => {
  let server: RestateServer;
  let endpoint: ManifestEndpoint;

  beforeAll(async () => {
    [server, endpoint] = await Promise.all([startRestateServer(), startManifestEndpoint()]);
  });

  afterAll(async () => {
    await server?.stop();
    await endpoint?.close();
  });

  it("starts the 1.7.12 server with protocol V7 off by default", async () => {
    const version = (await getJson(`${server.adminUrl}/version`)) as {
      version: string;
      features: { protocol_v7: boolean };
    };
    expect(version.version).toBe("1.7.12");
    expect(version.features.protocol_v7).toBe(false);
    expect(isAlive(server.pid)).toBe(true);
    expect(server.ingressUrl).toBe(`http://127.0.0.1:${server.ports.ingress}`);
    expect(server.adminUrl).toBe(`http://127.0.0.1:${server.ports.admin}`);
  });

  it("has an ingress that answers 404 JSON for an unknown service", async () => {
    const res = await fetch(`${server.ingressUrl}/NoSuchService/handler`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ code: 404 });
  });

  it.runIf(process.platform === "linux")(
    "listens only on its three loopback TCP ports and no unix socket",
    async () => {
      const { tcp, unixPaths } = await socketsOf(server.pid);
      const { ingress, admin, fabric } = server.ports;
      expect(tcp.sort()).toEqual([ingress, admin, fabric].map(loopback).sort());
      expect(unixPaths.filter((p) => !p.startsWith(server.dataDir))).toEqual([]);
    },
  );

  it("answers SQL queries with an array of rows", async () => {
    const rows = await server.query<{ id: string }>("SELECT id FROM sys_invocation");
    expect(Array.isArray(rows)).toBe(true);
    await expect(server.query("SELECT nope FROM no_such_table")).rejects.toThrow(
      /POST \/query failed with \d+/,
    );
  });

  it("registers an HTTP/1.1 endpoint and reports a failed registration with its body", async () => {
    const info = await server.register(endpoint.url, { http11: true });
    expect(info.id).toMatch(/^dp_/);
    expect(info.services).toEqual([]);
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    await expect(server.register(unreachable)).rejects.toThrow(
      /POST \/deployments failed with \d+: \{/,
    );
  });

  it("runs the restate CLI without prompting", async () => {
    const version = await restateCli(server, ["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toContain("1.7.12");
    const list = await restateCli(server, ["deployments", "list"]);
    expect(list).toMatchObject({ code: 0 });
    expect(list.stdout).toContain(endpoint.url);
  });

  it("restart() crashes the server and brings it back with its data and ports", async () => {
    const before = { pid: server.pid, ports: server.ports, ids: await deploymentIds(server) };
    expect(before.ids.length).toBeGreaterThan(0);
    await server.restart();
    expect(isAlive(before.pid)).toBe(false);
    expect(server.pid).not.toBe(before.pid);
    expect(server.ports).toEqual(before.ports);
    expect(await deploymentIds(server)).toEqual(before.ids);
  });
});

describe("startRestateServer lifecycle", () => {
  it("starts two servers in parallel on distinct ports and data dirs", async () => {
    const servers = await Promise.all([startRestateServer(), startRestateServer()]);
    try {
      const [a, b] = servers;
      const ports = servers.flatMap(({ ports: p }) => [p.ingress, p.admin, p.fabric]);
      expect(new Set(ports).size).toBe(6);
      expect(a.dataDir).not.toBe(b.dataDir);
      for (const s of servers) {
        await expect(getJson(`${s.adminUrl}/version`)).resolves.toMatchObject({
          version: "1.7.12",
        });
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });

  it("stop() ends the process and removes the data dir", async () => {
    const server = await startRestateServer();
    await fs.access(server.dataDir);
    await server.stop();
    expect(isAlive(server.pid)).toBe(false);
    await expect(fs.access(server.dataDir)).rejects.toThrow(/ENOENT/);
    await server.stop(); // idempotent
  });

  it.runIf(process.platform === "linux")(
    "gives the server a TMPDIR of its own (it leaves empty invoker dirs there) and removes it",
    async () => {
      const server = await startRestateServer();
      const environ = await fs.readFile(`/proc/${server.pid}/environ`, "utf8");
      const temp = /(?:^|\0)TMPDIR=([^\0]+)/.exec(environ)?.[1] ?? "";
      expect(temp).toMatch(/restate-hono-tmp-/);
      const entries = await fs.readdir(temp);
      expect(entries.filter((name) => name.startsWith("invoker-"))).not.toEqual([]);
      await server.stop();
      await expect(fs.access(temp)).rejects.toThrow(/ENOENT/);
    },
  );

  it("stop({ keepData }) leaves a data dir that a new server starts on", async () => {
    const endpoint = await startManifestEndpoint();
    const first = await startRestateServer();
    try {
      const { id } = await first.register(endpoint.url, { http11: true });
      await first.stop({ keepData: true });
      expect(await fs.readdir(first.dataDir)).toContain("restate-server.log");
      const second = await startRestateServer({ dataDir: first.dataDir });
      expect(await deploymentIds(second)).toEqual([id]);
      await second.stop();
      await expect(fs.access(first.dataDir)).rejects.toThrow(/ENOENT/);
    } finally {
      await first.stop();
      await endpoint.close();
    }
  });

  it("passes enableProtocolV7 and configToml to the server", async () => {
    const endpoint = await startManifestEndpoint();
    const server = await startRestateServer({
      enableProtocolV7: true,
      inactivityTimeout: "2s",
      configToml: 'cluster-name = "restate-hono-e2e"\n',
    });
    try {
      await expect(getJson(`${server.adminUrl}/version`)).resolves.toMatchObject({
        features: { protocol_v7: true },
      });
      await server.register(endpoint.url, { http11: true });
      expect(endpoint.discoveries.at(-1)?.["x-restate-cluster-name"]).toBe("restate-hono-e2e");
    } finally {
      await server.stop();
      await endpoint.close();
    }
  });

  it("fails with the server's log when a fixed port is taken", async () => {
    // Dropping connections at once keeps close() from waiting on the launcher's health probes.
    const blocker = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const start = startRestateServer({
        ports: { ingress: await freePort(), admin: port, fabric: await freePort() },
      });
      await expect(start).rejects.toThrow(new RegExp(`failed binding.*127\\.0\\.0\\.1:${port}`));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe("waitFor", () => {
  it("resolves once the predicate holds and names the condition on timeout", async () => {
    let calls = 0;
    await waitFor(() => Promise.resolve(++calls >= 3), { intervalMs: 1 });
    expect(calls).toBe(3);
    const failing = waitFor(() => Promise.reject(new Error("boom")), {
      timeoutMs: 50,
      intervalMs: 10,
      message: "the impossible",
    });
    await expect(failing).rejects.toThrow(/the impossible \(last error: boom\)/);
  });
});
