// SPDX-License-Identifier: MIT
// Output, End and ErrorMessage (docs/protocol.md §4.3, §6.1, §8.1; A.6).
import { describe, expect, it } from "vitest";
import { A6_ERROR, A6_OUTPUT_CANCELLED } from "./__fixtures__/appendix-a.js";
import { ProtocolError } from "./errors.js";
import { CommandType, MessageType } from "./message-types.js";
import { decoded, hex, inputCommand, journalCase, toHex, utf8 } from "./testing/journal-case.js";

const processing = (version: 5 | 6 | 7 = 6) =>
  journalCase({ version }).start().input(inputCommand());

describe("output", () => {
  it("a value is written as OutputCommand then End, and the attempt is closed", () => {
    const r = processing().run((vm) => {
      vm.sysInput();
      vm.sysOutput({ value: utf8('"Hi Till"') });
      const open = vm.isClosed;
      vm.sysEnd();
      return open;
    });
    expect(r.frames).toEqual([
      decoded(CommandType.Output, {
        result: { case: "value", value: { content: utf8('"Hi Till"') } },
      }),
      decoded(MessageType.End, {}),
    ]);
    expect(toHex(r.bytes.subarray(-8))).toBe("0003000000000000");
    expect(r.value).toBe(false);
    expect(r.isClosed).toBe(true);
    expect(r.isOutputClosed).toBe(true);
  });

  it("an empty value is still written, as an empty Value (`72 00`)", () => {
    const r = processing().run((vm) => {
      vm.sysInput();
      vm.sysOutput({ value: new Uint8Array(0) });
    });
    expect(toHex(r.bytes)).toBe("0401000000000002" + "7200");
  });

  it("a terminal failure matches A.6 (409 cancelled)", () => {
    const r = processing().run((vm) => {
      vm.sysInput();
      vm.sysOutput({ failure: { code: 409, message: "cancelled" } });
    });
    expect(toHex(r.bytes)).toBe(toHex(hex(A6_OUTPUT_CANCELLED)));
  });

  it.each([6, 7] as const)("V%i: a failure carries its metadata", (version) => {
    const r = processing(version).run((vm) => {
      vm.sysInput();
      vm.sysOutput({
        failure: { code: 418, message: "I am a teapot", metadata: [{ key: "k", value: "v" }] },
      });
      vm.sysEnd();
    });
    expect(r.frames[0]).toEqual(
      decoded(CommandType.Output, {
        result: {
          case: "failure",
          value: { code: 418, message: "I am a teapot", metadata: [{ key: "k", value: "v" }] },
        },
      }),
    );
  });

  it("V5: a failure without metadata is written as is", () => {
    const r = processing(5).run((vm) => {
      vm.sysInput();
      vm.sysOutput({ failure: { code: 418, message: "I am a teapot", metadata: [] } });
    });
    // 7a 12 (failure) 08a203 (418) 120d "I am a teapot": no field 3.
    expect(toHex(r.bytes)).toBe(
      "0401000000000014" + "7a12" + "08a203" + "120d" + toHex(utf8("I am a teapot")),
    );
  });

  it("V5: failure metadata is refused (573), not dropped", () => {
    const r = processing(5).run((vm) => {
      vm.sysInput();
      vm.sysOutput({
        failure: { code: 418, message: "I am a teapot", metadata: [{ key: "k", value: "v" }] },
      });
    });
    expect(r.thrown).toBe(r.vm.error);
    expect(r.frames).toEqual([
      decoded(MessageType.Error, {
        code: 573,
        message: "Failure metadata is not supported by service protocol V5",
        stacktrace: r.error?.stacktrace ?? "",
        relatedCommandIndex: 1,
        relatedCommandType: CommandType.Output,
      }),
    ]);
  });
});

describe("ErrorMessage", () => {
  it("matches A.6: code, message, stacktrace, related index, name and type", () => {
    const r = processing().run((vm) => {
      vm.fail(
        new ProtocolError(500, "boom attempt 1", {
          stack: "stack here",
          relatedCommand: { index: 0, type: CommandType.Run, name: "myrun" },
        }),
      );
    });
    expect(toHex(r.bytes)).toBe(toHex(hex(A6_ERROR)));
    expect(r.error).toMatchObject({
      code: 500,
      message: "boom attempt 1",
      stacktrace: "stack here",
      relatedCommandIndex: 0,
      relatedCommandName: "myrun",
      relatedCommandType: 0x0411,
    });
    expect(r.isClosed).toBe(true);
    expect(r.isOutputClosed).toBe(true);
  });

  it("writes next_retry_delay in whole milliseconds", () => {
    const r = processing().run((vm) => {
      vm.sysInput();
      vm.fail(new ProtocolError(503, "later", { stack: "", nextRetryDelayMs: 2000.4 }));
    });
    expect(r.frames).toEqual([
      decoded(MessageType.Error, { code: 503, message: "later", nextRetryDelay: 2000n }),
    ]);
    expect(toHex(r.bytes)).toBe("000200000000000d" + "08f703" + "12056c61746572" + "40d00f");
  });

  it("omits the related name when empty, and the optional fields when unset", () => {
    const r = processing(7).run((vm) => {
      vm.sysInput();
      vm.sysSleep(1);
      vm.fail(
        new ProtocolError(500, "x", {
          stack: "",
          relatedCommand: vm.nextCommand(CommandType.Output),
        }),
      );
    });
    expect(r.frames).toEqual([
      decoded(CommandType.Sleep, { wakeUpTime: 1n, resultCompletionId: 1 }),
      decoded(MessageType.Error, {
        code: 500,
        message: "x",
        relatedCommandIndex: 2, // Input 0, Sleep 1: the output would have been command 2
        relatedCommandType: CommandType.Output,
      }),
    ]);
    expect(r.error?.relatedCommandName).toBeUndefined();
    expect(r.error?.nextRetryDelay).toBeUndefined();
    expect(r.error?.behavior).toBe(0); // never set (V7 RETRY is the default)
  });

  it("nextCommand names the command about to be issued", () => {
    const r = processing().run((vm) => {
      vm.sysInput();
      return vm.nextCommand(CommandType.Run, "myrun");
    });
    expect(r.value).toEqual({ index: 1, type: CommandType.Run, name: "myrun" });
  });

  it("V7: writes behavior PAUSE (field 9) for a pausing error", () => {
    const r = processing(7).run((vm) => {
      vm.sysInput();
      vm.fail(new ProtocolError(500, "hold", { stack: "", behavior: "pause" }));
    });
    // 08f403 (500) 1204 "hold" 4801 (behavior = PAUSE)
    expect(toHex(r.bytes)).toBe("000200000000000b" + "08f403" + "1204686f6c64" + "4801");
    expect(r.vm.error?.behavior).toBe("pause");
  });

  it("V7: writes behavior FAIL as 2", () => {
    const r = processing(7).run((vm) => {
      vm.sysInput();
      vm.fail(new ProtocolError(500, "stop", { stack: "", behavior: "fail" }));
    });
    expect(r.error?.behavior).toBe(2);
  });

  // As the official core writes it: restate-server 1.7 pauses on it whatever the version.
  it.each([5, 6] as const)(
    "V%i: writes behavior PAUSE too, as the official core does",
    (version) => {
      const related = { index: 1, type: CommandType.Run, name: "charge" };
      const r = processing(version).run((vm) => {
        vm.sysInput();
        vm.fail(
          new ProtocolError(500, "card declined", {
            stack: "at charge",
            relatedCommand: related,
            behavior: "pause",
          }),
        );
      });
      expect(r.frames).toEqual([
        decoded(MessageType.Error, {
          code: 500,
          message: "card declined",
          stacktrace: "at charge",
          relatedCommandIndex: 1,
          relatedCommandName: "charge",
          relatedCommandType: CommandType.Run,
          behavior: 1,
        }),
      ]);
      expect(r.vm.error?.behavior).toBe("pause");
    },
  );
});
