// SPDX-License-Identifier: MIT
// An attempt whose journal needs the protobuf codec waits for it before running the handler;
// the process's slot loads it with a dynamic import.
import { describe, expect, it } from "vitest";
import { ProtocolCodecSlot, protocolCodecSlot } from "../journal/codec.js";
import { protocolCodec } from "../journal/protocol-codec.js";
import { CommandType, MessageType } from "../journal/message-types.js";
import {
  completion,
  concat,
  decodeOutput,
  frame,
  inputCommand,
  journalCase,
  result,
} from "../journal/testing/journal-case.js";
import { service } from "../definitions/service.js";
import { toServiceEntry } from "../definitions/registry.js";
import type { Context } from "./types.js";
import type { Logger } from "./logger.js";
import { startInvocation } from "./invocation.js";
import { loadProtocolCodec } from "./protocol-codec-loader.js";

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

let calls = 0;
const napper = service({
  name: "Napper",
  handlers: {
    nap: async (ctx: Context, name: string) => {
      calls++;
      await ctx.sleep(1_000);
      return `rested ${name}`;
    },
  },
});
const nap = toServiceEntry(napper).handlers.get("nap")!;

describe("an attempt and the protocol codec", () => {
  it("runs the handler of a journal that needs the codec once it is installed", async () => {
    calls = 0;
    const slot = new ProtocolCodecSlot();
    let loads = 0;
    slot.setLoader(() => loads++);
    const written: Uint8Array[] = [];
    let isEnded = false;
    const input = startInvocation(
      { handler: nap, protocolVersion: 6, attemptHeaders: new Map(), logger: silent },
      { write: (chunk) => void written.push(chunk), end: () => (isEnded = true) },
      slot,
    );
    input.push(
      journalCase()
        .start()
        .input(inputCommand('"Till"'))
        .command(frame(CommandType.Sleep, { wakeUpTime: 1_000n, resultCompletionId: 1 }))
        .notification(completion(CommandType.Sleep, 1, result.void()))
        .requestBytes(),
    );
    input.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect([calls, loads, written.length, isEnded]).toEqual([0, 1, 0, false]);

    slot.install(protocolCodec);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(1);
    expect(isEnded).toBe(true);
    expect(decodeOutput(concat(written)).map((f) => f.type)).toEqual([
      CommandType.Output,
      MessageType.End,
    ]);
  });

  it("is loaded into the process's slot by a dynamic import", async () => {
    await loadProtocolCodec();
    expect(protocolCodecSlot.loaded).toBe(protocolCodec);
  });
});
