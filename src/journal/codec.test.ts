// SPDX-License-Identifier: MIT
// The protobuf codec loads on first need (codec.ts): an attempt that only reads its input and
// writes its output never asks for it; anything else waits for it without losing order or bytes.
import { describe, expect, it } from "vitest";
import { ProtocolCodecSlot } from "./codec.js";
import { protocolCodec } from "./protocol-codec.js";
import { JournalVm } from "./vm.js";
import { CommandType, MessageType } from "./message-types.js";
import { LOADED_CODEC } from "./testing/codec.js";
import {
  completion,
  concat,
  decodeOutput,
  decoded,
  frame,
  inputCommand,
  journalCase,
  rawFrame,
  result,
  utf8,
} from "./testing/journal-case.js";

/** A slot without the codec, counting how often the engine asks for it to be loaded. */
function emptySlot(): { slot: ProtocolCodecSlot; loads: () => number } {
  const slot = new ProtocolCodecSlot();
  let loads = 0;
  slot.setLoader(() => loads++);
  return { slot, loads: () => loads };
}

/** One attempt fed `request` in one chunk, with its output recorded. */
function attempt(slot: ProtocolCodecSlot, request: Uint8Array) {
  const written: Uint8Array[] = [];
  let isOutputClosed = false;
  const vm = new JournalVm(
    { write: (bytes) => void written.push(bytes.slice()), close: () => (isOutputClosed = true) },
    // As in journalCase: a suspension then lists exactly what the test awaits.
    { version: 6, explicitCancellation: true, codec: slot },
  );
  vm.notifyInput(request);
  return {
    vm,
    bytes: () => concat(written),
    frames: () => decodeOutput(concat(written)),
    isOutputClosed: () => isOutputClosed,
  };
}

const GREETING = journalCase().start().input(inputCommand('"Till"')).requestBytes();

describe("the protocol codec, loaded on first need", () => {
  it("is never asked for by an attempt that reads its input and writes its output", () => {
    const { slot, loads } = emptySlot();
    const a = attempt(slot, GREETING);
    expect(a.vm.isReadyToExecute).toBe(true);
    expect(a.vm.sysInput().value).toEqual(utf8('"Till"'));
    a.vm.sysOutput({ value: utf8('"Hi Till"') });
    a.vm.sysEnd();
    expect(loads()).toBe(0);
    expect(a.isOutputClosed()).toBe(true);
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
    const lazy = attempt(slot, GREETING);
    program(lazy.vm);
    expect(loads()).toBe(1);
    expect(lazy.bytes()).toHaveLength(0);
    expect(lazy.isOutputClosed()).toBe(false);
    expect(lazy.vm.isClosed).toBe(true);

    slot.install(protocolCodec);
    const eager = attempt(LOADED_CODEC, GREETING);
    program(eager.vm);
    expect(lazy.frames().map((f) => f.type)).toEqual([
      CommandType.SetState,
      CommandType.Output,
      MessageType.End,
    ]);
    expect(lazy.bytes()).toEqual(eager.bytes());
    expect(lazy.isOutputClosed()).toBe(true);
  });

  it("suspends on what was awaited when the handler suspended", () => {
    const { slot } = emptySlot();
    const a = attempt(slot, GREETING);
    a.vm.sysInput();
    const sleep = a.vm.sysSleep(1_000);
    a.vm.suspend([sleep]);
    slot.install(protocolCodec);
    expect(a.frames()).toEqual([
      decoded(CommandType.Sleep, { wakeUpTime: 1_000n, resultCompletionId: 1 }),
      decoded(MessageType.Suspension, { waitingCompletions: [1] }),
    ]);
    expect(a.isOutputClosed()).toBe(true);
  });

  it("lets a journal wait for it, then replays the journal", () => {
    const request = journalCase()
      .start()
      .input(inputCommand('"Till"'))
      .command(frame(CommandType.Sleep, { wakeUpTime: 1_000n, resultCompletionId: 1 }))
      .notification(completion(CommandType.Sleep, 1, result.void()))
      .requestBytes();
    const { slot, loads } = emptySlot();
    const a = attempt(slot, request);
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
    const a = attempt(slot, request);
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
    const a = attempt(slot, request);
    expect(a.vm.isAwaitingCodec).toBe(false);
    expect(a.vm.error?.message).toMatch(/InputCommand/);
    expect(loads()).toBe(1);
    slot.install(protocolCodec);
    expect(a.frames().map((f) => f.type)).toEqual([MessageType.Error]);
  });
});
