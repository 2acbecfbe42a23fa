// SPDX-License-Identifier: MIT
// Phases of an attempt (docs/protocol.md §4): start, journal, replay/processing, close; framing limits
// (§3) and the sticky error (STYLE §5).
import { describe, expect, it } from "vitest";
import { ClosedError, ProtocolError } from "./errors.js";
import { CommandType, MessageType } from "./message-types.js";
import type { JournalVm } from "./vm.js";
import {
  completion,
  decoded,
  frame,
  hex,
  inputCommand,
  journalCase,
  notificationFrame,
  rawFrame,
  result,
  utf8,
} from "./testing/journal-case.js";

/**
 * Reading the start, the journal and the frames is where framing could leak into the engine:
 * those cases split the request at every offset; the others take the sampled splits.
 */
const readerCase = (options?: Parameters<typeof journalCase>[0]) =>
  journalCase(options).exhaustiveSplits();

const setA = frame(CommandType.SetState, { key: utf8("a"), value: { content: utf8("1") } });

describe("waiting for StartMessage", () => {
  it("rejects known_entries = 0 with 571", () => {
    const r = readerCase().start({ knownEntries: 0 }).run();
    expect(r.frames).toEqual([
      decoded(MessageType.Error, {
        code: 571,
        message: "StartMessage.known_entries must be >= 1",
        // A fault in what the runtime sent: the engine's own stack says nothing to the user.
        stacktrace: "",
      }),
    ]);
    expect(r.isClosed).toBe(true);
    expect(r.isOutputClosed).toBe(true);
  });

  it("rejects a first frame that is not a StartMessage with 571", () => {
    const r = readerCase().input(inputCommand()).run();
    expect(r.error?.code).toBe(571);
    expect(r.errorMessage).toBe("Unexpected InputCommand while waiting for StartMessage");
    expect(r.frames.map((f) => f.type)).toEqual([MessageType.Error]);
  });

  it("rejects an input closed before any frame with 571", () => {
    const r = readerCase().closeInput().run();
    expect(r.error?.code).toBe(571);
    expect(r.errorMessage).toBe("Input closed after 0 of 1 journal entries");
  });

  it("rejects a malformed StartMessage payload with 571", () => {
    const r = readerCase()
      .frame(rawFrame(MessageType.Start, hex("0aff")))
      .run();
    expect(r.error?.code).toBe(571);
    expect(r.errorMessage).toMatch(/^Malformed StartMessage: /);
  });

  it("is not ready to execute: operations throw without writing", () => {
    const r = readerCase()
      .start({ knownEntries: 2 })
      .input(inputCommand())
      .run((vm) => {
        expect(vm.phase).toBe("WaitingReplay");
        expect(vm.isReadyToExecute).toBe(false);
        expect(() => vm.sysInput()).toThrow(/not ready/);
        expect(() => vm.sysAwakeable()).toThrow(/not ready/);
      });
    expect(r.frames).toEqual([]);
    expect(r.isClosed).toBe(false);
  });
});

describe("receiving the journal", () => {
  it("fails with 571 naming the counts when input closes before all known entries", () => {
    const r = readerCase()
      .start({ knownEntries: 3 })
      .input(inputCommand())
      .command(setA)
      .closeInput()
      .run();
    expect(r.error).toMatchObject({
      code: 571,
      message: "Input closed after 2 of 3 journal entries",
    });
    expect(r.isClosed).toBe(true);
  });

  it("requires the InputCommand first", () => {
    const r = readerCase().start().command(setA).run();
    expect(r.error).toMatchObject({
      code: 571,
      message: "The journal must start with an InputCommand, found SetStateCommand",
    });
  });

  it("rejects a control message among the journal entries", () => {
    const r = readerCase()
      .start({ knownEntries: 2 })
      .input(inputCommand())
      .frame(frame(MessageType.End, {}))
      .run();
    expect(r.error).toMatchObject({
      code: 571,
      message: "Unexpected EndMessage while receiving the journal",
    });
  });

  it("starts replaying once StartMessage and known_entries frames arrived, without waiting for EOF", () => {
    const r = readerCase()
      .start()
      .input(inputCommand('"Till"'))
      .command(setA)
      .notification(completion(CommandType.Sleep, 9, result.void()))
      .run((vm) => {
        expect(vm.isInputClosed).toBe(false);
        expect(vm.phase).toBe("Replaying");
        expect(vm.start.knownEntries).toBe(3);
        return vm.sysInput().value;
      });
    expect(r.value).toEqual(utf8('"Till"'));
    expect(r.frames).toEqual([]);
  });
});

describe("malformed notifications (docs/protocol.md §15.5)", () => {
  it.each([
    [
      "without an id",
      notificationFrame(0x800c, { result: { case: "void", value: {} } }),
      "Malformed SleepCompletionNotification: notification without an id",
    ],
    [
      "without a result",
      notificationFrame(0x800c, { id: { case: "completionId", value: 1 } }),
      "Malformed SleepCompletionNotification: notification without a result",
    ],
    [
      "a completion with a signal id",
      notificationFrame(0x800c, {
        id: { case: "signalId", value: 1 },
        result: { case: "void", value: {} },
      }),
      "Malformed SleepCompletionNotification: unexpected id kind signal",
    ],
    [
      "a signal with a completion id",
      notificationFrame(0xfbff, {
        id: { case: "completionId", value: 1 },
        result: { case: "void", value: {} },
      }),
      "Malformed SignalNotification: unexpected id kind completion",
    ],
  ])("%s is a protocol violation (571), in the journal and live", (_name, bad, message) => {
    const inJournal = journalCase().start().input(inputCommand()).notification(bad).run();
    expect(inJournal.error).toMatchObject({ code: 571, message });
    const live = journalCase()
      .start()
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        runtime.send(bad);
      });
    expect(live.error).toMatchObject({ code: 571, message });
  });
});

describe("framing", () => {
  it("fails with 571 when input closes inside a frame payload", () => {
    const r = readerCase()
      .start()
      .input(inputCommand())
      .bytes("0403000000000010 0a01")
      .closeInput()
      .run();
    expect(r.error).toMatchObject({
      code: 571,
      message: "Input closed in the middle of a frame (10 bytes buffered)",
    });
  });

  it("fails with 571 when input closes inside a frame header", () => {
    const r = readerCase().start().input(inputCommand()).bytes("040300").closeInput().run();
    expect(r.errorMessage).toBe("Input closed in the middle of a frame (3 bytes buffered)");
  });

  it("rejects a frame above maxMessageSize", () => {
    const big = frame(CommandType.SetState, {
      key: utf8("k"),
      value: { content: new Uint8Array(94) },
    });
    expect(big.payload.length).toBe(101);
    const r = readerCase({ maxMessageSize: 100 })
      .start({ knownEntries: 2 })
      .input(inputCommand())
      .command(big)
      .run();
    expect(r.error).toMatchObject({
      code: 571,
      message: "Frame of 101 bytes exceeds the maximum message size of 100 bytes",
    });
  });

  it("rejects an oversized header before any payload arrives (no allocation)", () => {
    // 4 GiB − 1 declared: buffering it would throw or exhaust memory; only the header is sent.
    const r = readerCase().start().input(inputCommand()).bytes("0403 0000 ffffffff").run();
    expect(r.error).toMatchObject({
      code: 571,
      message: "Frame of 4294967295 bytes exceeds the maximum message size of 33554432 bytes",
    });
    expect(r.isClosed).toBe(true);
  });

  it.each([
    ["0x0009 (control range) during replay", 0x0009, 2],
    ["0x0415 (command range) during replay", 0x0415, 2],
    ["0x0009 (control range) after the journal", 0x0009, 1],
    ["0x0415 (command range) after the journal", 0x0415, 1],
  ])("fails with 500 on unknown type id %s", (_name, type, knownEntries) => {
    const hexId = `0x${type.toString(16).padStart(4, "0")}`;
    const r = readerCase()
      .start({ knownEntries })
      .input(inputCommand())
      .frame(rawFrame(type, hex("0801")))
      .run();
    expect(r.error).toMatchObject({
      code: 500,
      message: `Unknown message type ${hexId}: cannot decode it`,
    });
  });

  it("ignores the custom range 0xFC00–0xFFFF after the journal", () => {
    const r = readerCase()
      .start()
      .input(inputCommand('"x"'))
      .frame(rawFrame(0xfc00, hex("0801")))
      .frame(rawFrame(0xffff, hex("deadbeef")))
      .run((vm) => {
        vm.sysInput();
        vm.sysSetState("a", utf8("1"));
      });
    expect(r.error).toBeUndefined();
    expect(r.frames).toEqual([
      decoded(CommandType.SetState, { key: utf8("a"), value: { content: utf8("1") } }),
    ]);
  });

  it("rejects a command sent after the journal with 571", () => {
    const r = readerCase().start({ knownEntries: 1 }).input(inputCommand()).frame(setA).run();
    expect(r.error).toMatchObject({
      code: 571,
      message: "Unexpected SetStateCommand while executing",
    });
  });

  it("accepts a frame exactly at maxMessageSize", () => {
    const r = readerCase({ maxMessageSize: 100 })
      .start({ knownEntries: 2 })
      .input(inputCommand())
      .command(
        frame(CommandType.SetState, { key: utf8("k"), value: { content: new Uint8Array(93) } }),
      )
      .run((vm) => vm.phase);
    expect(r.error).toBeUndefined();
    expect(r.value).toBe("Replaying");
  });

  it("ignores the flag bits on frames other than ProposeRunCompletion", () => {
    const r = readerCase()
      .start({ knownEntries: 1 })
      .frame({ ...inputCommand('"f"'), flags: 0x8000 })
      .run((vm) => vm.sysInput().value);
    expect(r.error).toBeUndefined();
    expect(r.value).toEqual(utf8('"f"'));
  });
});

/** Every operation that must refuse to run once the attempt is closed. */
const OPERATIONS: Array<[string, (vm: JournalVm) => unknown]> = [
  ["sysInput", (vm) => vm.sysInput()],
  ["sysGetState", (vm) => vm.sysGetState("a")],
  ["sysGetStateKeys", (vm) => vm.sysGetStateKeys()],
  ["sysSetState", (vm) => vm.sysSetState("a", utf8("1"))],
  ["sysClearState", (vm) => vm.sysClearState("a")],
  ["sysClearAllState", (vm) => vm.sysClearAllState()],
  ["sysSleep", (vm) => vm.sysSleep(1)],
  ["sysCall", (vm) => vm.sysCall({ service: "S", handler: "h", parameter: utf8("") })],
  ["sysSend", (vm) => vm.sysSend({ service: "S", handler: "h", parameter: utf8("") })],
  ["sysRun", (vm) => vm.sysRun("r")],
  ["proposeRun", (vm) => vm.proposeRun(1, { value: utf8("1") })],
  ["sysAwakeable", (vm) => vm.sysAwakeable()],
  ["sysCompleteAwakeable", (vm) => vm.sysCompleteAwakeable("sign_1x", { value: utf8("1") })],
  ["sysNamedSignal", (vm) => vm.sysNamedSignal("s")],
  ["sysSendSignal", (vm) => vm.sysSendSignal("inv_1x", 1)],
  ["sysAttach", (vm) => vm.sysAttach({ kind: "invocation", invocationId: "inv_1x" })],
  ["sysGetOutput", (vm) => vm.sysGetOutput({ kind: "invocation", invocationId: "inv_1x" })],
  ["sysGetPromise", (vm) => vm.sysGetPromise("p")],
  ["sysPeekPromise", (vm) => vm.sysPeekPromise("p")],
  ["sysCompletePromise", (vm) => vm.sysCompletePromise("p", { value: utf8("1") })],
  ["sysOutput", (vm) => vm.sysOutput({ value: utf8("1") })],
  ["sysEnd", (vm) => vm.sysEnd()],
  ["suspend", (vm) => vm.suspend([{ kind: "completion", id: 1 }])],
];

describe("after close", () => {
  it.each(OPERATIONS)("%s throws ClosedError after End and writes nothing", (_name, op) => {
    const r = journalCase()
      .start()
      .input(inputCommand())
      .run((vm, runtime) => {
        vm.sysInput();
        vm.sysOutput({ value: utf8("1") });
        vm.sysEnd();
        expect(() => op(vm)).toThrow(ClosedError);
        runtime.send(completion(CommandType.Sleep, 1, result.void())); // ignored
        return vm.notifications.has({ kind: "completion", id: 1 });
      });
    expect(r.value).toBe(false);
    expect(r.frames.map((f) => f.type)).toEqual([CommandType.Output, MessageType.End]);
  });

  it.each(OPERATIONS)("%s throws ClosedError after suspension", (_name, op) => {
    journalCase()
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.suspend([vm.sysSleep(5)]);
        expect(() => op(vm)).toThrow(/suspended/);
      });
  });

  it.each(OPERATIONS)("%s rethrows the sticky error after a failure", (_name, op) => {
    const r = journalCase()
      .start()
      .input(inputCommand())
      .frame(setA) // a command after the journal: 571
      .run((vm) => {
        let thrown: unknown;
        try {
          op(vm);
        } catch (e) {
          thrown = e;
        }
        return thrown === vm.error && thrown instanceof ProtocolError;
      });
    expect(r.value).toBe(true);
    expect(r.frames.map((f) => f.type)).toEqual([MessageType.Error]);
  });

  it("writes the ErrorMessage once and keeps the first error", () => {
    const r = journalCase()
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        const first = new ProtocolError(500, "first", { stack: "s1" });
        const again = vm.fail(first);
        const second = vm.fail(new ProtocolError(503, "second", { stack: "s2" }));
        return [again === first, second === first, vm.error === first];
      });
    expect(r.value).toEqual([true, true, true]);
    expect(r.frames).toEqual([
      decoded(MessageType.Error, { code: 500, message: "first", stacktrace: "s1" }),
    ]);
  });

  it("does not write an ErrorMessage after End", () => {
    const r = journalCase()
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.sysOutput({ value: utf8("1") });
        vm.sysEnd();
        vm.fail(new ProtocolError(500, "late"));
        vm.notifyInputClosed();
        return vm.error;
      });
    expect(r.value).toBeUndefined();
    expect(r.frames.map((f) => f.type)).toEqual([CommandType.Output, MessageType.End]);
  });

  it("ignores input after a failure", () => {
    const r = journalCase()
      .start({ knownEntries: 0 })
      .input(inputCommand())
      .bytes("ffff") // would be a truncated frame, but the attempt is already closed
      .closeInput()
      .run();
    expect(r.frames.map((f) => f.type)).toEqual([MessageType.Error]);
    expect(r.errorMessage).toBe("StartMessage.known_entries must be >= 1");
  });
});
