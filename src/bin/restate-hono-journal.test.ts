// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { type Context, service } from "../index.js";
import {
  type CliIo,
  DEFAULT_ADMIN_URL,
  USAGE,
  UsageError,
  main,
  parseCliArgs,
} from "./restate-hono-journal.js";
import { RECORDING_FORMAT, loadRecording, replayJournal } from "../testing/index.js";

describe("parseCliArgs", () => {
  it("reads export with its options in either spelling and any order", () => {
    expect(parseCliArgs(["export", "inv_1a"])).toEqual({
      kind: "export",
      invocationId: "inv_1a",
      admin: undefined,
      out: undefined,
    });
    expect(parseCliArgs(["export", "--out", "j.json", "inv_1a", "--admin=http://h:9070"])).toEqual({
      kind: "export",
      invocationId: "inv_1a",
      admin: "http://h:9070",
      out: "j.json",
    });
  });

  it("answers help without a command, or when asked", () => {
    for (const argv of [[], ["help"], ["--help"], ["-h"], ["export", "inv_1a", "--help"]]) {
      expect(parseCliArgs(argv)).toEqual({ kind: "help" });
    }
  });

  it("refuses what it cannot run", () => {
    const bad = [
      ["import", "inv_1a"],
      ["export"],
      ["export", "inv_1a", "inv_1b"],
      ["export", "inv_1a", "--admin"],
      ["export", "inv_1a", "--out="],
      ["export", "inv_1a", "--verbose"],
    ];
    for (const argv of bad) expect(() => parseCliArgs(argv)).toThrow(UsageError);
  });
});

// Recorded from restate-server 1.7.12 for `ctx.date.now()`, a 10 ms sleep, `ctx.run("end")`, as
// the admin query API returns them (snake_case columns, `raw` in hex). The first run was recorded
// named `now`; it is unnamed here (its `name` field dropped from `raw`), as `ctx.date.now()`
// journals it now, like the official SDK.
const JOURNAL_ROWS = [
  { index: 0, entry_type: "Command: Input", raw: "7200" },
  { index: 1, entry_type: "Command: Run", raw: "5801" },
  { index: 2, entry_type: "Notification: Run", raw: "08012a0f0a0d31373935343138303037313633" },
  { index: 3, entry_type: "Command: Sleep", raw: "0889cd82baa0345802" },
  { index: 4, entry_type: "Notification: Sleep", raw: "08022200" },
  { index: 5, entry_type: "Command: Run", name: "end", raw: "58036203656e64" },
  { index: 6, entry_type: "Notification: Run", raw: "08032a0f0a0d31373935343138303037313830" },
];
const ID = "inv_1gdJBtdVEcM942bjcDmb1c1khoaJe11Hbz";
const INVOCATION_ROW = {
  id: ID,
  target: "Steps/sleepThenGreet",
  target_service_name: "Steps",
  target_handler_name: "sleepThenGreet",
  target_service_ty: "service",
  status: "completed",
  retry_count: 0,
  created_at: "2026-11-23T12:00:00.000Z",
  modified_at: "2026-11-23T12:00:00.100Z",
};

const steps = service({
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

/** An admin API that knows one invocation; records the URLs asked. */
function fakeAdmin(urls: string[]) {
  return async (url: string, init: RequestInit) => {
    urls.push(url);
    const body = await new Response(init.body).text();
    const { query } = JSON.parse(body) as { query: string };
    const rows = query.includes(`'${ID}'`)
      ? query.includes("FROM sys_journal")
        ? JOURNAL_ROWS
        : [INVOCATION_ROW]
      : [];
    return new Response(JSON.stringify({ rows }), {
      headers: { "content-type": "application/json" },
    });
  };
}

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string>();
  const urls: string[] = [];
  const value: CliIo = {
    env,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    writeFile: async (path, text) => {
      files.set(path, text);
    },
    fetch: fakeAdmin(urls),
  };
  return { io: value, out, err, files, urls };
}

describe("main", () => {
  it("prints a recording that replays, in the documented JSON format", async () => {
    const t = io();
    expect(await main(["export", ID], t.io)).toBe(0);
    expect(t.urls.every((u) => u === `${DEFAULT_ADMIN_URL}/query`)).toBe(true);
    const json = t.out.join("");
    expect(JSON.parse(json)).toMatchObject({
      format: RECORDING_FORMAT,
      version: 1,
      invocationId: ID,
      service: "Steps",
      handler: "sleepThenGreet",
      entries: [
        { type: 0x0400, typeName: "InputCommand", payload: "7200" },
        { type: 0x0411, typeName: "RunCommand", payload: "5801" },
        { type: 0x8011, typeName: "RunCompletionNotification" },
        { type: 0x040c, typeName: "SleepCommand" },
        { type: 0x800c },
        { type: 0x0411 },
        { type: 0x8011 },
      ],
    });
    const recording = loadRecording(json);
    expect(recording).not.toHaveProperty("key");
    expect(await replayJournal(steps, recording.handler ?? "", recording)).toMatchObject({
      ok: true,
      outcome: "completed",
    });
  });

  it("writes --out, with the admin URL from --admin or RESTATE_ADMIN_URL", async () => {
    const t = io({ RESTATE_ADMIN_URL: "http://env:9070" });
    expect(await main(["export", ID, "--out", "j.json"], t.io)).toBe(0);
    expect(t.urls[0]).toBe("http://env:9070/query");
    expect(loadRecording(t.files.get("j.json"))).toMatchObject({ invocationId: ID });
    expect(t.out).toEqual([]);
    expect(t.err).toEqual([`Wrote the journal of ${ID} to j.json\n`]);

    const flagged = io({ RESTATE_ADMIN_URL: "http://env:9070" });
    expect(await main(["export", ID, "--admin", "http://flag:9070"], flagged.io)).toBe(0);
    expect(flagged.urls[0]).toBe("http://flag:9070/query");
  });

  it("exits 1 for an invocation without a journal, 2 for bad usage, 0 for help", async () => {
    const missing = io();
    expect(await main(["export", "inv_1nothere"], missing.io)).toBe(1);
    expect(missing.err.join("")).toMatch(/^restate-hono-journal: No journal for inv_1nothere/);

    const bad = io();
    expect(await main(["export"], bad.io)).toBe(2);
    expect(bad.err.join("")).toBe(`export needs an invocation id\n\n${USAGE}\n`);

    const help = io();
    expect(await main([], help.io)).toBe(0);
    expect(help.out).toEqual([`${USAGE}\n`]);
  });
});
