// SPDX-License-Identifier: MIT
// An attempt whose journal needs the protobuf codec waits for it before running the handler;
// the process's slot loads it with a dynamic import. A load that fails fails the attempt at once.
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
import { installProtocolCodecLoader, loadProtocolCodec } from "./protocol-codec-loader.js";

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

/** A journal that needs the codec to replay: a sleep, already completed. */
const SLEPT = journalCase()
  .start()
  .input(inputCommand('"Till"'))
  .command(frame(CommandType.Sleep, { wakeUpTime: 1_000n, resultCompletionId: 1 }))
  .notification(completion(CommandType.Sleep, 1, result.void()))
  .requestBytes();

/** Starts an attempt of `nap` on `slot` with `request` as the whole request. */
function napAttempt(slot: ProtocolCodecSlot, request: Uint8Array) {
  const written: Uint8Array[] = [];
  let isEnded = false;
  const input = startInvocation(
    { handler: nap, protocolVersion: 6, attemptHeaders: new Map(), logger: silent },
    { write: (chunk) => void written.push(chunk), end: () => (isEnded = true) },
    slot,
  );
  input.push(request);
  input.end();
  return { frames: () => decodeOutput(concat(written)), isEnded: () => isEnded };
}

/** Lets the loader's promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

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

  it("fails at once when the import fails, logs it once, and imports again next time", async () => {
    calls = 0;
    const slot = new ProtocolCodecSlot();
    const reports: Error[] = [];
    const imports: Array<"fail" | "ok"> = ["fail", "ok"];
    let attempted = 0;
    installProtocolCodecLoader(
      slot,
      () => {
        attempted++;
        return imports.shift() === "ok"
          ? Promise.resolve(protocolCodec)
          : Promise.reject(new TypeError("Failed to fetch dynamically imported module"));
      },
      (cause) => reports.push(cause),
    );

    // Two attempts wait on the same load.
    const first = napAttempt(slot, SLEPT);
    const second = napAttempt(slot, SLEPT);
    await settle();
    expect([attempted, calls, reports.length]).toEqual([1, 0, 1]);
    expect(reports[0]?.message).toBe("Failed to fetch dynamically imported module");
    for (const failed of [first, second]) {
      expect(failed.isEnded()).toBe(true);
      expect(failed.frames().map((f) => f.type)).toEqual([MessageType.Error]);
      expect(failed.frames()[0]?.message).toMatchObject({
        code: 500,
        message: expect.stringContaining(
          "protocol codec (protobuf-es, loaded on first need) failed to load: Failed to fetch",
        ) as unknown,
      });
    }

    const retried = napAttempt(slot, SLEPT);
    await settle();
    expect([attempted, calls, reports.length]).toEqual([2, 1, 1]);
    expect(retried.frames().map((f) => f.type)).toEqual([CommandType.Output, MessageType.End]);
    expect(slot.loaded).toBe(protocolCodec);
  });

  it("fails a handler that needs it for a command, instead of leaving it waiting", async () => {
    calls = 0;
    const slot = new ProtocolCodecSlot();
    const reports: Error[] = [];
    installProtocolCodecLoader(
      slot,
      () => Promise.reject(new Error("gone")),
      (cause) => reports.push(cause),
    );
    const fresh = napAttempt(
      slot,
      journalCase().start().input(inputCommand('"Till"')).requestBytes(),
    );
    await settle();
    expect([calls, reports.length, fresh.isEnded()]).toEqual([1, 1, true]);
    expect(fresh.frames()).toMatchObject([
      {
        type: MessageType.Error,
        message: { code: 500, message: expect.stringContaining("gone") as unknown },
      },
    ]);
  });
});
