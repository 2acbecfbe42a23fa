// SPDX-License-Identifier: MIT
// A request the runtime got wrong, side by side: both SDKs' fetch handlers answer it with an
// ErrorMessage that carries no stacktrace (the engine's own stack would say nothing to the user,
// and would show the deployment's file paths in the server's UI). Mismatches keep ours: it names
// the handler's line (src/journal/vm-replay.test.ts).
// The polyfill must be the first import (Node 20).
import "../../bench/polyfill.js";
import * as official from "@restatedev/restate-sdk/fetch";
import { describe, expect, it } from "vitest";
import * as ours from "../../src/fetch.js";
import { MessageType } from "../../src/journal/message-types.js";
import type * as pb from "../../src/journal/gen/protocol_pb.js";
import { decodeOutput, inputCommand, journalCase } from "../../src/journal/testing/journal-case.js";

const greet = async () => "hi";
const quiet = { logger: () => {} };
const officialHandler = official.createEndpointHandler({
  services: [official.service({ name: "S", handlers: { greet } })],
  ...quiet,
});
const ourHandler = ours.createEndpointHandler({
  services: [ours.service({ name: "S", handlers: { greet } })],
  ...quiet,
});

/** The ErrorMessage one SDK answers `body` with. */
async function errorOf(
  handler: (request: Request) => Promise<Response> | Response,
  body: Uint8Array,
): Promise<pb.ErrorMessage | undefined> {
  const res = await handler(
    new Request("http://endpoint/invoke/S/greet", {
      method: "POST",
      headers: { "content-type": "application/vnd.restate.invocation.v6" },
      body,
    }),
  );
  const frames = decodeOutput(new Uint8Array(await res.arrayBuffer()));
  return frames.find((f) => f.type === MessageType.Error)?.message as pb.ErrorMessage | undefined;
}

const CASES: ReadonlyArray<[string, Uint8Array]> = [
  [
    "a StartMessage with known_entries = 0",
    journalCase().start({ knownEntries: 0 }).requestBytes(),
  ],
  [
    "input closed before the journal is complete",
    journalCase().start({ knownEntries: 2 }).input(inputCommand("null")).requestBytes(),
  ],
];

describe("protocol violations: an ErrorMessage without a stacktrace, as the official SDK's", () => {
  it.each(CASES)("%s", async (_name, body) => {
    const theirs = await errorOf(officialHandler, body);
    const mine = await errorOf(ourHandler, body);
    expect(theirs?.stacktrace).toBe("");
    expect(mine?.stacktrace).toBe("");
    expect(mine?.message).not.toBe("");
  });
});
