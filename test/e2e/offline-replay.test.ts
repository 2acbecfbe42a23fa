// SPDX-License-Identifier: MIT
// Offline replay of a journal recorded by a real restate-server: export it through the admin
// client (and through the `restate-hono-journal` CLI), then replay it against today's handler
// code and against a changed one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Context, type ObjectContext, object, service } from "../../src/index.js";
import { connect, connectAdmin } from "../../src/clients/index.js";
import {
  NonDeterminismError,
  fromSysJournal,
  loadRecording,
  replayJournal,
} from "../../src/testing/index.js";
import { main } from "../../src/bin/restate-hono-journal.js";
import { type TestEnv, startEnv } from "./support.js";

const labels = service({
  name: "Labels",
  handlers: {
    label: async (_ctx: Context, item: string) => `label for ${item}`,
  },
});

/** Reads state, runs a step, sleeps, calls another service, writes state. */
const cart = object({
  name: "Cart",
  handlers: {
    checkout: async (ctx: ObjectContext, item: string) => {
      const count = ((await ctx.get<number>("count")) ?? 0) + 1;
      const price = await ctx.run("price", () => 42);
      await ctx.sleep(10);
      const label = await ctx.serviceClient(labels).label(item);
      ctx.set("count", count);
      return { count, price, label };
    },
  },
});

/** Draws from `ctx.rand` and returns the draws: its output depends on the server's seed. */
const tickets = service({
  name: "Tickets",
  handlers: {
    issue: async (ctx: Context, event: string) => {
      const code = ctx.rand.uuidv4();
      const label = await ctx.serviceClient(labels).label(event);
      return { code, seat: Math.floor(ctx.rand.random() * 1000), label };
    },
  },
});

/** The next version sleeps before pricing: journals of the old code no longer match. */
const cartV2 = object({
  name: "Cart",
  handlers: {
    checkout: async (ctx: ObjectContext, item: string) => {
      const count = ((await ctx.get<number>("count")) ?? 0) + 1;
      await ctx.sleep(10);
      const price = await ctx.run("price", () => 42);
      const label = await ctx.serviceClient(labels).label(item);
      ctx.set("count", count);
      return { count, price, label };
    },
  },
});

describe("offline replay of journals exported from restate-server", () => {
  let env: TestEnv | undefined;
  let dir: string;
  beforeAll(async () => {
    env = await startEnv([cart, labels, tickets]);
    dir = await mkdtemp(path.join(os.tmpdir(), "restate-hono-replay-"));
  });
  afterAll(async () => {
    await env?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  /** Checks out twice on a fresh key (so the second run reads state) and returns that run's id. */
  async function recordCheckout(): Promise<{ id: string; key: string }> {
    const ingress = connect({ url: env!.server.ingressUrl });
    const key = randomUUID();
    await ingress.objectClient<typeof cart>({ name: "Cart" }, key).checkout("book");
    const sent = await ingress.objectSendClient<typeof cart>({ name: "Cart" }, key).checkout("pen");
    expect(await ingress.result(sent)).toEqual({ count: 2, price: 42, label: "label for pen" });
    return { id: sent.invocationId, key };
  }

  it("replays an exported journal against the same code, and reports changed code", async () => {
    const { id, key } = await recordCheckout();
    const rows = await connectAdmin({ url: env!.server.adminUrl }).exportJournal(id);
    const entries = fromSysJournal(rows);
    expect(rows.map((r) => r.entryType)).toEqual(
      expect.arrayContaining([
        "Command: GetEagerState",
        "Command: Run",
        "Command: Sleep",
        "Command: Call",
        "Command: SetState",
      ]),
    );
    const recording = { invocationId: id, key, entries };

    const same = await replayJournal(cart, "checkout", recording);
    expect(same).toMatchObject({ ok: true, outcome: "completed", newEntries: [] });

    const changed = await replayJournal(cartV2, "checkout", recording);
    expect(changed.ok).toBe(false);
    expect(changed.outcome).toBe("mismatch");
    expect(changed.error).toBeInstanceOf(NonDeterminismError);
    const mismatch = changed.error as NonDeterminismError;
    expect(mismatch.code).toBe(570);
    expect(mismatch).toMatchObject({ commandIndex: 2, commandType: "RunCommand" });
    expect(mismatch.message).toMatch(/journaled: RunCommand[\s\S]*handler: +SleepCommand/);
  });

  it("replays a handler that uses ctx.rand: the seed is derived from the id, as the server does", async () => {
    const ingress = connect({ url: env!.server.ingressUrl });
    const sent = await ingress.serviceSendClient<typeof tickets>({ name: "Tickets" }).issue("gig");
    const issued = await ingress.result(sent);
    const rows = await connectAdmin({ url: env!.server.adminUrl }).exportJournal(sent.invocationId);
    // The export carries no seed; the journaled output holds the original draws.
    const report = await replayJournal(tickets, "issue", {
      invocationId: sent.invocationId,
      entries: fromSysJournal(rows),
    });
    expect(report).toMatchObject({ ok: true, outcome: "completed", newEntries: [] });
    expect(issued.label).toBe("label for gig");
  });

  it("exports with the restate-hono-journal CLI and replays the written file", async () => {
    const { id, key } = await recordCheckout();
    const out = path.join(dir, `${id}.json`);
    const messages: string[] = [];
    const code = await main(["export", id, "--admin", env!.server.adminUrl, "--out", out], {
      env: {},
      stdout: (text) => messages.push(text),
      stderr: (text) => messages.push(text),
      writeFile: (file, text) => writeFile(file, text, "utf8"),
    });
    expect({ code, messages }).toEqual({
      code: 0,
      messages: [`Wrote the journal of ${id} to ${out}\n`],
    });

    const recording = loadRecording(await readFile(out, "utf8"));
    expect(recording).toMatchObject({
      invocationId: id,
      key,
      service: "Cart",
      handler: "checkout",
    });
    expect((await replayJournal(cart, recording.handler ?? "", recording)).outcome).toBe(
      "completed",
    );
    expect((await replayJournal(cartV2, "checkout", recording)).outcome).toBe("mismatch");
  });

  it("fails with exit code 1 for an invocation the server does not know", async () => {
    const { id } = await recordCheckout();
    const unknown = `${id.slice(0, -1)}${id.endsWith("0") ? "1" : "0"}`;
    const errors: string[] = [];
    const code = await main(["export", unknown, "--admin", env!.server.adminUrl], {
      env: {},
      stdout: () => undefined,
      stderr: (text) => errors.push(text),
      writeFile: () => Promise.reject(new Error("must not write")),
    });
    expect(code).toBe(1);
    expect(errors).toEqual([expect.stringContaining(`No journal for ${unknown}`)]);
  });
});
