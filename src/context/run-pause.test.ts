// SPDX-License-Identifier: MIT
// PauseError: thrown in a run it pauses the invocation (ErrorMessage behavior PAUSE, on every
// version as the official core writes it); thrown by the handler it is an ordinary retryable
// failure, as in the official SDK (docs/protocol.md §8.3–8.4).
import { describe, expect, it } from "vitest";
import { PauseError } from "../errors.js";
import { service } from "../definitions/service.js";
import { toServiceEntry } from "../definitions/registry.js";
import { CommandType, MessageType } from "../journal/message-types.js";
import type { ErrorMessage } from "../journal/gen/protocol_pb.js";
import type { ProtocolVersion } from "../journal/vm.js";
import {
  concat,
  decodeOutput,
  inputCommand,
  journalCase,
  toHex,
} from "../journal/testing/journal-case.js";
import type { Context } from "./types.js";
import { startInvocation } from "./invocation.js";
import { memoryLogger } from "./__fixtures__/harness.js";

const billing = service({
  name: "Billing",
  handlers: {
    charge: async (ctx: Context) =>
      ctx.run("charge", () => {
        throw new PauseError("card expired");
      }),
    refuse: async () => {
      throw new PauseError("not from a handler");
    },
  },
});
const entries = toServiceEntry(billing).handlers;

/** Runs one attempt of `handler` in request/response mode; resolves with its output bytes. */
function attempt(handler: string, version: ProtocolVersion) {
  const logger = memoryLogger();
  const written: Uint8Array[] = [];
  return new Promise<{ bytes: Uint8Array; logger: typeof logger }>((resolve) => {
    const input = startInvocation(
      {
        handler: entries.get(handler)!,
        protocolVersion: version,
        attemptHeaders: new Map(),
        logger,
      },
      {
        write: (chunk) => void written.push(chunk.slice()),
        end: () => resolve({ bytes: concat(written), logger }),
      },
    );
    input.push(journalCase().start().input(inputCommand("null")).requestBytes());
    input.end();
  });
}

const errorOf = (bytes: Uint8Array) =>
  decodeOutput(bytes).find((f) => f.type === MessageType.Error)?.message as ErrorMessage;

describe("PauseError in a run", () => {
  it("V7: ends the attempt with an ErrorMessage of behavior PAUSE, related to the run", async () => {
    const { bytes } = await attempt("charge", 7);
    const frames = decodeOutput(bytes);
    expect(frames.map((f) => f.type)).toEqual([CommandType.Run, MessageType.Error]);
    expect(errorOf(bytes)).toMatchObject({
      code: 500,
      message: "card expired",
      relatedCommandIndex: 1,
      relatedCommandName: "charge",
      relatedCommandType: CommandType.Run,
      behavior: 1,
    });
    // Field 9 = 1 (PAUSE) is the last field of the frame.
    expect(toHex(bytes).endsWith("4801")).toBe(true);
  });

  // restate-server 1.7 reads the behavior whatever the version: the invocation pauses on V6 too,
  // as with the official SDK (test/e2e/pause-side-by-side.test.ts).
  it.each([5, 6] as const)("V%i: the same ErrorMessage, behavior PAUSE", async (version) => {
    const { bytes } = await attempt("charge", version);
    expect(errorOf(bytes)).toMatchObject({
      code: 500,
      message: "card expired",
      relatedCommandIndex: 1,
      relatedCommandType: CommandType.Run,
      behavior: 1,
    });
  });
});

describe("PauseError from the handler", () => {
  it("V7: is an ordinary retryable failure, with a warning that says why", async () => {
    const { bytes, logger } = await attempt("refuse", 7);
    expect(errorOf(bytes)).toMatchObject({ code: 500, message: "not from a handler", behavior: 0 });
    const warning = logger.lines.find(([level]) => level === "warn");
    expect(warning?.[1]).toContain("(a PauseError pauses only when thrown inside ctx.run)");
  });
});
