// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { type ObjectContext, object } from "../index.js";
import {
  RECORDING_FORMAT,
  TestEnvironment,
  loadRecording,
  replayJournal,
  toRecordingJson,
} from "./index.js";

const counter = object({
  name: "Counter",
  handlers: {
    add: async (ctx: ObjectContext, n: number) => {
      const total = ((await ctx.get<number>("total")) ?? 0) + n;
      const id = await ctx.run("id", () => ctx.rand.uuidv4());
      await ctx.sleep({ minutes: 1 });
      ctx.set("total", total);
      return { total, id };
    },
  },
});

describe("recording files", () => {
  it("round-trips an in-memory recording, seed and key included, and replays it", async () => {
    const env = await TestEnvironment.start({ services: [counter], seed: 7 });
    const handle = env.objectSendClient(counter, "a").add(2);
    await env.advance("1m");
    await handle.result();
    const recorded = env.rawJournal(handle);
    const json = toRecordingJson(recorded, { service: "Counter", handler: "add" });
    expect(JSON.parse(json)).toMatchObject({
      format: RECORDING_FORMAT,
      version: 1,
      key: "a",
      seed: recorded.seed?.toString(),
    });
    const loaded = loadRecording(json);
    expect(loaded).toEqual({ ...recorded, service: "Counter", handler: "add" });
    expect((await replayJournal(counter, "add", loaded)).outcome).toBe("completed");
  });

  it("refuses files that are not recordings", () => {
    const good = { format: RECORDING_FORMAT, version: 1, entries: [] };
    expect(loadRecording(good)).toEqual({ entries: [] });
    const bad: unknown[] = [
      "[]",
      { ...good, format: "other" },
      { ...good, version: 2 },
      { ...good, entries: undefined },
      { ...good, key: 1 },
      { ...good, seed: "-1" },
      { ...good, entries: [{ type: "Run", payload: "00" }] },
      { ...good, entries: [{ type: 1024, payload: "0g" }] },
    ];
    for (const value of bad) expect(() => loadRecording(value)).toThrow(TypeError);
  });
});
