// SPDX-License-Identifier: MIT
// Graceful shutdown under load, behind a real restate-server: the endpoint is closed mid-load and
// a new one starts on the same port; every invocation completes exactly once, and no journaled
// ctx.run closure runs twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RestateServer, freePort, startRestateServer } from "../../dev/restate-server.js";
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
});
