// SPDX-License-Identifier: MIT
// `ctx.date` side by side: the same handler on both SDKs' fetch handlers, given the same first
// request (start + input, request/response mode), must journal the same commands. A journaled
// run's name takes part in the replay check, so a different name would fail with a journal
// mismatch (570) an invocation that one SDK started and the other resumes, as after a switch.
// The polyfill must be the first import (Node 20).
import "../../bench/polyfill.js";
import * as official from "@restatedev/restate-sdk/fetch";
import { describe, expect, it } from "vitest";
import * as ours from "../../src/fetch.js";
import { decodeOutput, inputCommand, journalCase } from "../../src/journal/testing/journal-case.js";
import { CommandType } from "../../src/journal/message-types.js";

const now = async (ctx: { date: { now(): Promise<number> } }) => (await ctx.date.now()) > 0;
const toJSON = async (ctx: { date: { toJSON(): Promise<string> } }) =>
  (await ctx.date.toJSON()).length > 0;

const officialHandler = official.createEndpointHandler({
  services: [official.service({ name: "Clock", handlers: { now, toJSON } })],
});
const ourHandler = ours.createEndpointHandler({
  services: [ours.service({ name: "Clock", handlers: { now, toJSON } })],
});

/** The commands one SDK journals on the first attempt: type and name, in order. */
async function journaled(
  handler: (request: Request) => Promise<Response> | Response,
  method: string,
): Promise<Array<[number, string]>> {
  const body = journalCase().start().input(inputCommand("null")).requestBytes();
  const res = await handler(
    new Request(`http://endpoint/invoke/Clock/${method}`, {
      method: "POST",
      headers: { "content-type": "application/vnd.restate.invocation.v6" },
      body,
    }),
  );
  const frames = decodeOutput(new Uint8Array(await res.arrayBuffer()));
  return frames
    .filter((f) => f.type === CommandType.Run)
    .map((f) => [f.type, (f.message as unknown as { name: string }).name]);
}

describe("ctx.date: the same journal as the official SDK", () => {
  it.each(["now", "toJSON"])("ctx.date.%s() journals the same run command", async (method) => {
    const expected = await journaled(officialHandler, method);
    const actual = await journaled(ourHandler, method);
    expect(expected).toEqual([[CommandType.Run, ""]]);
    expect(actual).toEqual(expected);
  });
});
