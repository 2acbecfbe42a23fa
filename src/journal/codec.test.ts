// SPDX-License-Identifier: MIT
// The protobuf codec loads on first need (codec.ts): an attempt that only reads its input and
// writes its output never asks for it; anything else waits for it without losing order or bytes.
import { describe, expect, it } from "vitest";
import { protocolCodec } from "./protocol-codec.js";
import type { JournalVm } from "./vm.js";
import { CommandType, MessageType } from "./message-types.js";
import { LOADED_CODEC } from "./testing/codec.js";
import {
  completion,
  decoded,
  frame,
  inputCommand,
  journalCase,
  rawFrame,
  result,
  utf8,
} from "./testing/journal-case.js";
import { codecAttempt, emptySlot } from "./testing/codec-attempt.js";

const GREETING = journalCase().start().input(inputCommand('"Till"')).requestBytes();

describe("the protocol codec, loaded on first need", () => {
  it("is never asked for by an attempt that reads its input and writes its output", () => {
    const { slot, loads } = emptySlot();
    const a = codecAttempt(slot, GREETING);
    expect(a.vm.isReadyToExecute).toBe(true);
    expect(a.vm.sysInput().value).toEqual(utf8('"Till"'));
    a.vm.sysOutput({ value: utf8('"Hi Till"') });
    a.vm.sysEnd();
    expect(loads()).toBe(0);
    expect(a.closes()).toBe(1);
    expect(a.frames()).toEqual([
      decoded(CommandType.Output, {
        result: { case: "value", value: { content: utf8('"Hi Till"') } },
      }),
      decoded(MessageType.End, {}),
    ]);
  });

  it("holds a command and all output after it until installed, then writes the same bytes", () => {
    const program = (vm: JournalVm) => {
      vm.sysInput();
      vm.sysSetState("visits", utf8("1"));
      vm.sysOutput({ value: utf8('"Hi"') });
      vm.sysEnd();
    };
    const { slot, loads } = emptySlot();
    const lazy = codecAttempt(slot, GREETING);
    program(lazy.vm);
    expect(loads()).toBe(1);
    expect(lazy.bytes()).toHaveLength(0);
    expect(lazy.closes()).toBe(0);
    expect(lazy.vm.isClosed).toBe(true);

    slot.install(protocolCodec);
    const eager = codecAttempt(LOADED_CODEC, GREETING);
    program(eager.vm);
    expect(lazy.frames().map((f) => f.type)).toEqual([
      CommandType.SetState,
      CommandType.Output,
      MessageType.End,
    ]);
    expect(lazy.bytes()).toEqual(eager.bytes());
    expect(lazy.closes()).toBe(1);
  });

  it("suspends on what was awaited when the handler suspended", () => {
    const { slot } = emptySlot();
    const a = codecAttempt(slot, GREETING);
    a.vm.sysInput();
    const sleep = a.vm.sysSleep(1_000);
    a.vm.suspend([sleep]);
    slot.install(protocolCodec);
    expect(a.frames()).toEqual([
      decoded(CommandType.Sleep, { wakeUpTime: 1_000n, resultCompletionId: 1 }),
      decoded(MessageType.Suspension, { waitingCompletions: [1] }),
    ]);
    expect(a.closes()).toBe(1);
  });

  it("lets a journal wait for it, then replays the journal", () => {
    const request = journalCase()
      .start()
      .input(inputCommand('"Till"'))
      .command(frame(CommandType.Sleep, { wakeUpTime: 1_000n, resultCompletionId: 1 }))
      .notification(completion(CommandType.Sleep, 1, result.void()))
      .requestBytes();
    const { slot, loads } = emptySlot();
    const a = codecAttempt(slot, request);
    expect(a.vm.isAwaitingCodec).toBe(true);
    expect(a.vm.isReadyToExecute).toBe(false);
    expect(a.vm.phase).toBe("WaitingReplay");
    // Request/response mode: the request ends before the codec is there; that is no early close.
    a.vm.notifyInputClosed();
    expect(a.vm.error).toBeUndefined();

    a.vm.notifyCodecInstalled();
    expect(a.vm.isAwaitingCodec).toBe(true);
    slot.install(protocolCodec);
    a.vm.notifyCodecInstalled();
    expect(loads()).toBe(0);
    expect(a.vm.phase).toBe("Replaying");
    a.vm.sysInput();
    const sleep = a.vm.sysSleep(5_000);
    expect(a.vm.awaitOutcome(sleep)).toMatchObject({ result: { kind: "void" } });
    expect(a.vm.phase).toBe("Processing");
    expect(a.bytes()).toHaveLength(0);
  });

  it("fails a journal whose commands do not decode once it is there", () => {
    const request = journalCase()
      .start()
      .input(inputCommand())
      .command(rawFrame(CommandType.SetState, utf8("\u00ff\u00ff")))
      .requestBytes();
    const { slot } = emptySlot();
    const a = codecAttempt(slot, request);
    expect(a.vm.isAwaitingCodec).toBe(true);
    slot.install(protocolCodec);
    a.vm.notifyCodecInstalled();
    expect(a.vm.error?.message).toMatch(/SetStateCommand/);
    expect(a.frames().map((f) => f.type)).toEqual([MessageType.Error]);
  });

  it("is not needed to refuse a journal that does not start with the input", () => {
    const request = journalCase()
      .start()
      .command(frame(CommandType.Sleep, { wakeUpTime: 1n, resultCompletionId: 1 }))
      .input(inputCommand())
      .requestBytes();
    const { slot, loads } = emptySlot();
    const a = codecAttempt(slot, request);
    expect(a.vm.isAwaitingCodec).toBe(false);
    expect(a.vm.error?.message).toMatch(/InputCommand/);
    expect(loads()).toBe(1);
    slot.install(protocolCodec);
    expect(a.frames().map((f) => f.type)).toEqual([MessageType.Error]);
  });
});
