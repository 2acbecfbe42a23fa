// SPDX-License-Identifier: MIT
// `onJournalMismatchErrors` from the handler (or its service) to the engine: a handler whose code
// no longer matches its journal ends the attempt with the ErrorMessage behavior it chose (V7).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handlers, service } from "../definitions/service.js";
import { toServiceEntry } from "../definitions/registry.js";
import type { HandlerOptions, ServiceOptions } from "../definitions/options.js";
import { CommandType, MessageType } from "../journal/message-types.js";
import type { ErrorMessage } from "../journal/gen/protocol_pb.js";
import type { ProtocolVersion } from "../journal/vm-types.js";
import {
  concat,
  decodeOutput,
  frame,
  inputCommand,
  journalCase,
} from "../journal/testing/journal-case.js";
import type { Context } from "./types.js";
import { startInvocation } from "./invocation.js";
import { memoryLogger } from "./__fixtures__/harness.js";

/** Replays a journal that ran `ctx.run("first")` with a handler that now runs "second". */
async function replayChanged(
  version: ProtocolVersion,
  options: { service?: ServiceOptions; handler?: HandlerOptions } = {},
): Promise<ErrorMessage | undefined> {
  const greet = async (ctx: Context) => ctx.run("second", () => 1);
  const definition = service({
    name: "Greeter",
    handlers: { greet: options.handler ? handlers.handler(options.handler, greet) : greet },
    ...(options.service !== undefined ? { options: options.service } : {}),
  });
  const written: Uint8Array[] = [];
  const input = startInvocation(
    {
      handler: toServiceEntry(definition).handlers.get("greet")!,
      protocolVersion: version,
      attemptHeaders: new Map(),
      logger: memoryLogger(),
    },
    { write: (chunk) => void written.push(chunk.slice()), end: () => undefined },
  );
  input.push(
    journalCase()
      .start()
      .input(inputCommand("null"))
      .command(frame(CommandType.Run, { resultCompletionId: 1, name: "first" }))
      .requestBytes(),
  );
  input.end();
  for (let i = 0; i < 3; i++) await vi.runOnlyPendingTimersAsync();
  const error = decodeOutput(concat(written)).find((f) => f.type === MessageType.Error);
  return error?.message as ErrorMessage | undefined;
}

describe("onJournalMismatchErrors", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a service's choice reaches the engine: pause, on V7", async () => {
    const error = await replayChanged(7, { service: { onJournalMismatchErrors: "pause" } });
    expect(error).toMatchObject({ code: 570, behavior: 1, relatedCommandIndex: 1 });
  });

  it("a handler's choice wins over its service's: fail, on V7", async () => {
    const error = await replayChanged(7, {
      service: { onJournalMismatchErrors: "pause" },
      handler: { onJournalMismatchErrors: "fail" },
    });
    expect(error).toMatchObject({ code: 570, behavior: 2 });
  });

  it("without a choice, or before V7, the runtime retries", async () => {
    expect(await replayChanged(7)).toMatchObject({ code: 570, behavior: 0 });
    const v6 = await replayChanged(6, { service: { onJournalMismatchErrors: "fail" } });
    expect(v6).toMatchObject({ code: 570, behavior: 0 });
    expect(v6?.message).toMatch(/^Journal mismatch at command #1: /);
  });
});
