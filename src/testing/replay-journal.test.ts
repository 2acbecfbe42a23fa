// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { type Context, service } from "../index.js";
import { encodeFrame } from "../journal/framing.js";
import {
  NonDeterminismError,
  TestEnvironment,
  fromFrames,
  fromSysJournal,
  replayJournal,
} from "./index.js";

const v1 = service({
  name: "Billing",
  handlers: {
    bill: async (ctx: Context, customer: string) => {
      const invoice = await ctx.run("invoice", () => `invoice for ${customer}`);
      await ctx.sleep({ hours: 1 });
      await ctx.run("send", () => "sent");
      return invoice;
    },
  },
});

/** The next version renamed a step: old journals no longer match. */
const v2 = service({
  name: "Billing",
  handlers: {
    bill: async (ctx: Context, customer: string) => {
      const invoice = await ctx.run("create-invoice", () => `invoice for ${customer}`);
      await ctx.sleep({ hours: 1 });
      return invoice;
    },
  },
});

async function record() {
  const env = await TestEnvironment.start({ services: [v1] });
  const handle = env.serviceSendClient(v1).bill("acme");
  await env.advance("1h");
  await handle.result();
  return env.rawJournal(handle);
}

describe("replayJournal", () => {
  it("replays a recorded journal against the same code", async () => {
    const report = await replayJournal(v1, "bill", await record());
    expect(report).toMatchObject({ ok: true, outcome: "completed", newEntries: [] });
  });

  it("reports a mismatch against changed code", async () => {
    const report = await replayJournal(v2, "bill", await record());
    expect(report.ok).toBe(false);
    expect(report.outcome).toBe("mismatch");
    expect(report.error).toBeInstanceOf(NonDeterminismError);
    expect(report.error?.message).toMatch(/invoice[\s\S]*create-invoice/);
  });

  it("continues a partial journal and shows the commands the code adds", async () => {
    const { entries } = await record();
    const report = await replayJournal(v1, "bill", entries.slice(0, 3));
    expect(report.outcome).toBe("suspended");
    expect(report.newEntries.map((e) => e.type)).toEqual(["Sleep"]);
  });

  it("reads journals as raw protocol frames", async () => {
    const { entries } = await record();
    const bytes = Uint8Array.from(entries.flatMap((e) => [...encodeFrame(e.type, e.payload)]));
    expect(fromFrames(bytes)).toEqual(entries);
    expect((await replayJournal(v1, "bill", bytes)).ok).toBe(true);
  });

  it("reads rows exported from the server's sys_journal table", async () => {
    // Recorded from restate-server 1.7.12 for `ctx.date.now()`, a 10 ms sleep, `ctx.run("end")`;
    // the first run's name (`now` then) is dropped, as `ctx.date.now()` journals it unnamed now.
    const rows = [
      { index: 0, entry_type: "Command: Input", raw: "7200" },
      { index: 1, entry_type: "Command: Run", raw: "5801" },
      { index: 2, entry_type: "Notification: Run", raw: "08012a0f0a0d31373935343138303037313633" },
      { index: 3, entry_type: "Command: Sleep", raw: "0889cd82baa0345802" },
      { index: 4, entry_type: "Notification: Sleep", raw: "08022200" },
      { index: 5, entry_type: "Command: Run", raw: "58036203656e64" },
      { index: 6, entry_type: "Notification: Run", raw: "08032a0f0a0d31373935343138303037313830" },
    ];
    const timed = service({
      name: "Steps",
      handlers: {
        sleepThenGreet: async (ctx: Context) => {
          const started = await ctx.date.now();
          await ctx.sleep(10);
          const ended = await ctx.run("end", () => Date.now());
          return { started, ended };
        },
      },
    });
    const report = await replayJournal(timed, "sleepThenGreet", fromSysJournal(rows));
    expect(report.outcome).toBe("completed");
    expect(report.newEntries).toEqual([
      { index: 4, type: "Output", result: { started: 1795418007163, ended: 1795418007180 } },
    ]);
  });
});
