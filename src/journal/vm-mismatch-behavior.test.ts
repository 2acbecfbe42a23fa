// SPDX-License-Identifier: MIT
// `onJournalMismatchErrors`: what the ErrorMessage of a journal mismatch (570) asks the runtime to
// do. V7 carries it in `behavior` (docs/protocol.md §8.3); before V7 a mismatch is a plain error
// the runtime retries, whatever the option says (the official core's fallback).
import { describe, expect, it } from "vitest";
import { CommandType, MessageType } from "./message-types.js";
import type { ErrorBehavior } from "./errors.js";
import type { ProtocolVersion } from "./vm-types.js";
import { decoded, frame, inputCommand, journalCase, utf8 } from "./testing/journal-case.js";

/** ErrorBehavior on the wire: 0 retry (also absent), 1 pause, 2 fail. */
const WIRE: Readonly<Record<ErrorBehavior, number>> = { retry: 0, pause: 1, fail: 2 };

/** Replays a journal whose SetState value differs from what the handler sets now. */
function mismatch(version: ProtocolVersion, onJournalMismatch?: ErrorBehavior) {
  return journalCase({
    version,
    ...(onJournalMismatch !== undefined ? { onJournalMismatch } : {}),
  })
    .start()
    .input(inputCommand())
    .command(frame(CommandType.SetState, { key: utf8("a"), value: { content: utf8("1") } }))
    .run((vm) => {
      vm.sysInput();
      vm.sysSetState("a", utf8("2"));
    });
}

describe("a journal mismatch on V7", () => {
  it.each(["retry", "pause", "fail"] as const)("%s: the ErrorMessage asks for it", (choice) => {
    const r = mismatch(7, choice);
    expect(r.frames).toEqual([
      decoded(MessageType.Error, {
        code: 570,
        message: r.errorMessage ?? "",
        stacktrace: r.error?.stacktrace ?? "",
        relatedCommandIndex: 1,
        relatedCommandType: CommandType.SetState,
        behavior: WIRE[choice],
      }),
    ]);
    expect(r.errorMessage).toMatch(/^Journal mismatch at command #1: /);
    expect(r.vm.error?.behavior).toBe(choice);
  });

  it("is retried when no behavior is chosen", () => {
    expect(mismatch(7).error?.behavior).toBe(WIRE.retry);
  });

  it("leaves other failures alone", () => {
    const r = journalCase({ version: 7, onJournalMismatch: "fail" })
      .start()
      .input(inputCommand())
      .run((vm) => {
        vm.sysInput();
        vm.sysCall({ service: "s", handler: "h", parameter: utf8(""), idempotencyKey: "" });
      });
    expect(r.error).toMatchObject({ code: 500, behavior: WIRE.retry });
  });
});

describe("a journal mismatch before V7", () => {
  it.each([5, 6] as const)("V%i: a plain 570 that the runtime retries, for any choice", (v) => {
    for (const choice of ["pause", "fail"] as const) {
      const r = mismatch(v, choice);
      expect(r.error).toMatchObject({ code: 570, behavior: WIRE.retry });
      expect(r.errorMessage).toMatch(/^Journal mismatch at command #1: /);
      expect(r.vm.error?.behavior).toBe("retry");
    }
  });
});
