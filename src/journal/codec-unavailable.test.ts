// SPDX-License-Identifier: MIT
// The protobuf codec fails to load (codec.ts): whatever waited for it fails the attempt at once,
// with an ErrorMessage built without the codec, instead of waiting for the runtime's inactivity
// timeout; the next need asks the loader again.
import { describe, expect, it } from "vitest";
import { codecFreeErrorFrame } from "./codec-free-error-frame.js";
import { ClosedError, ProtocolError } from "./errors.js";
import { encodeFrame } from "./framing.js";
import { protocolCodec } from "./protocol-codec.js";
import { CommandType, MessageType } from "./message-types.js";
import type { decodeOutput } from "./testing/journal-case.js";
import {
  completion,
  frame,
  inputCommand,
  journalCase,
  result,
  utf8,
} from "./testing/journal-case.js";
import { codecAttempt, emptySlot } from "./testing/codec-attempt.js";

const GREETING = journalCase().start().input(inputCommand('"Till"')).requestBytes();
const BOOM = new Error("Cannot find module './protocol-codec.js'");

/** The one frame a failed load leaves: a retryable 500 that names the codec and the cause. */
function expectCodecError(frames: ReturnType<typeof decodeOutput>): void {
  expect(frames.map((f) => f.type)).toEqual([MessageType.Error]);
  expect(frames[0]?.message).toMatchObject({
    code: 500,
    message: expect.stringMatching(
      /^The protocol codec \(protobuf-es.*failed to load: Cannot find module '\.\/protocol-codec\.js'/,
    ) as unknown,
    behavior: 0,
  });
}

describe("a protocol codec that fails to load", () => {
  it("fails a processing attempt at once, dropping the commands that waited for it", () => {
    const { slot, loads } = emptySlot();
    const a = codecAttempt(slot, GREETING);
    a.vm.sysInput();
    a.vm.sysSetState("visits", utf8("1"));
    a.vm.sysSleep(1_000);
    expect([loads(), a.frames().length, a.closes()]).toEqual([1, 0, 0]);

    slot.failLoad(BOOM);
    expectCodecError(a.frames());
    expect(a.closes()).toBe(1);
    expect(a.vm.isClosed).toBe(true);
    expect(a.vm.error).toMatchObject({ code: 500, behavior: "retry" });
    expect(() => a.vm.sysSleep(1)).toThrow(ProtocolError);
    // Nothing the handler does afterwards reaches the runtime, nor waits for the codec.
    slot.install(protocolCodec);
    expect([a.frames().length, a.closes()]).toEqual([1, 1]);
  });

  it("fails an attempt that already suspended, whose suspension needed the codec", () => {
    const { slot } = emptySlot();
    const a = codecAttempt(slot, GREETING);
    a.vm.sysInput();
    a.vm.suspend([a.vm.sysSleep(1_000)]);
    expect(a.closes()).toBe(0);

    slot.failLoad(BOOM);
    expectCodecError(a.frames());
    expect(a.closes()).toBe(1);
    expect(() => a.vm.sysSleep(1)).toThrow(ClosedError);
  });

  it("fails a journal that waits to be replayed, when told", () => {
    const request = journalCase()
      .start()
      .input(inputCommand('"Till"'))
      .command(frame(CommandType.Sleep, { wakeUpTime: 1_000n, resultCompletionId: 1 }))
      .notification(completion(CommandType.Sleep, 1, result.void()))
      .requestBytes();
    const { slot } = emptySlot();
    const a = codecAttempt(slot, request);
    expect(a.vm.isAwaitingCodec).toBe(true);

    a.vm.notifyCodecUnavailable(BOOM);
    expectCodecError(a.frames());
    expect([a.closes(), a.vm.isAwaitingCodec, a.vm.isReadyToExecute]).toEqual([1, false, false]);
    a.vm.notifyCodecUnavailable(BOOM);
    expect([a.frames().length, a.closes()]).toEqual([1, 1]);
  });

  it("leaves an attempt that never needed it alone", () => {
    const { slot, loads } = emptySlot();
    const a = codecAttempt(slot, GREETING);
    a.vm.sysInput();
    a.vm.sysOutput({ value: utf8('"Hi"') });
    a.vm.sysEnd();
    a.vm.notifyCodecUnavailable(BOOM);
    expect(a.frames().map((f) => f.type)).toEqual([CommandType.Output, MessageType.End]);
    expect([loads(), a.closes(), a.vm.error]).toEqual([0, 1, undefined]);
  });

  it("is asked for again by the next attempt, which then runs as usual", () => {
    const { slot, loads } = emptySlot();
    const first = codecAttempt(slot, GREETING);
    first.vm.sysInput();
    first.vm.sysSleep(1_000);
    slot.failLoad(BOOM);

    const second = codecAttempt(slot, GREETING);
    second.vm.sysInput();
    second.vm.sysSleep(1_000);
    expect(loads()).toBe(2);
    slot.install(protocolCodec);
    expect(second.frames().map((f) => f.type)).toEqual([CommandType.Sleep]);
    expect(second.vm.error).toBeUndefined();
  });
});

describe("the ErrorMessage built without the codec", () => {
  const { create, toBinary, pb } = protocolCodec;
  const generated = (code: number, message: string): Uint8Array =>
    encodeFrame(
      MessageType.Error,
      toBinary(pb.ErrorMessageSchema, create(pb.ErrorMessageSchema, { code, message })),
    );

  it.each([
    [500, "The protocol codec failed to load: ünïcödé ✓"],
    [500, "x".repeat(300)],
    [571, ""],
    [0, "no code"],
  ])("has the generated code's bytes for code %i", (code, message) => {
    expect(codecFreeErrorFrame(new ProtocolError(code, message))).toEqual(generated(code, message));
  });
});
