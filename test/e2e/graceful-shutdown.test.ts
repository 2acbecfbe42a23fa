// SPDX-License-Identifier: MIT
// Graceful shutdown under load, behind a real restate-server: the endpoint is closed mid-load (by
// `close()`, and as a process by SIGTERM, the way a container stops) and a new one starts on the
// same port; every invocation completes exactly once, and no journaled ctx.run closure runs twice.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RestateServer,
  freePort,
  startRestateServer,
  waitFor,
} from "../../dev/restate-server.js";
import { type Context, endpoint, service } from "../../src/index.js";

const runs = new Map<string, number>();
const count = (key: string): void => void runs.set(key, (runs.get(key) ?? 0) + 1);

const steady = service({
  name: "Steady",
  handlers: {
    work: async (ctx: Context, id: string) => {
      await ctx.run("first", () => count(`${id}/first`));
      await ctx.sleep(100);
      await ctx.run("second", () => count(`${id}/second`));
      return `done ${id}`;
    },
  },
});

let server: RestateServer;
beforeAll(async () => {
  server = await startRestateServer();
});
afterAll(async () => {
  await server?.stop();
});

describe("graceful shutdown", () => {
  it("stops and restarts mid-load: each invocation completes once, no ctx.run runs twice", async () => {
    const port = await freePort();
    const first = endpoint().bind(steady).handleSignals(false);
    await first.listen(port, "127.0.0.1");
    await server.register(`http://127.0.0.1:${port}`);
    const ids = Array.from({ length: 30 }, (_, i) => `job-${i}`);
    const sends = await Promise.all(
      ids.map((id) =>
        fetch(`${server.ingressUrl}/Steady/work/send`, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": id },
          body: JSON.stringify(id),
        }).then((r) => r.json() as Promise<{ invocationId: string }>),
      ),
    );
    // Mid-load: some attempts are running, some sleeping, some not started.
    await first.close(5_000);
    const second = endpoint().bind(steady).handleSignals(false);
    await second.listen(port, "127.0.0.1");
    try {
      const outputs = await Promise.all(
        sends.map(({ invocationId }) =>
          fetch(`${server.ingressUrl}/restate/invocation/${invocationId}/attach`).then((r) =>
            r.json(),
          ),
        ),
      );
      expect(outputs).toEqual(ids.map((id) => `done ${id}`));
      for (const id of ids) {
        expect(runs.get(`${id}/first`), id).toBe(1);
        expect(runs.get(`${id}/second`), id).toBe(1);
      }
    } finally {
      await second.close(1_000);
    }
  });

  it("stops on SIGTERM as a process and a new one takes over: each invocation completes once", async () => {
    const port = await freePort();
    const first = startEndpointProcess(port);
    let second: EndpointProcess | undefined;
    try {
      await first.listening;
      await server.register(`http://127.0.0.1:${port}`);
      const ids = Array.from({ length: 30 }, (_, i) => `sigterm-${i}`);
      const sends = await Promise.all(ids.map(sendWork));
      await waitFor(async () => first.output().includes("ran sigterm-"), {
        intervalMs: 10,
        message: "the first closures to run",
      });

      first.child.kill("SIGTERM");
      // It drained and then ended by the signal's default action, as a container expects.
      expect(await first.exited).toEqual({ code: null, signal: "SIGTERM" });
      expect(first.output()).toContain("Received SIGTERM: shutting down gracefully");

      second = startEndpointProcess(port);
      await second.listening;
      const outputs = await Promise.all(
        sends.map(({ invocationId }) =>
          fetch(`${server.ingressUrl}/restate/invocation/${invocationId}/attach`).then((r) =>
            r.json(),
          ),
        ),
      );
      expect(outputs).toEqual(ids.map((id) => `done ${id}`));
      const ran = `${first.output()}\n${second.output()}`.match(/^ran \S+$/gm) ?? [];
      // Every attempt suspended at its sleep instead of waiting it out in the stopping process.
      expect(first.output()).not.toMatch(/\/second$/m);
      expect(ran.sort()).toEqual(
        ids.flatMap((id) => [`ran ${id}/first`, `ran ${id}/second`]).sort(),
      );
    } finally {
      await Promise.all([first.stop(), second?.stop()]);
    }
  });
});

function sendWork(id: string): Promise<{ invocationId: string }> {
  return fetch(`${server.ingressUrl}/Steady/work/send`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": id },
    body: JSON.stringify(id),
  }).then((r) => r.json() as Promise<{ invocationId: string }>);
}

interface EndpointProcess {
  readonly child: ChildProcess;
  readonly listening: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** SIGKILL when it still runs. */
  stop(): Promise<void>;
}

/** processes/steady-endpoint.ts in a Node process of its own, on `port`. */
function startEndpointProcess(port: number): EndpointProcess {
  const script = fileURLToPath(new URL("processes/steady-endpoint.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const listening = waitFor(async () => output.includes(`listening on port ${port}`), {
    timeoutMs: 30_000,
    message: "the endpoint process to listen",
  });
  return {
    child,
    listening,
    exited,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
