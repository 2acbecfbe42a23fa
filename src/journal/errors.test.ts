// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { ErrorCode, ProtocolError, protocolErrors, type RelatedCommand } from "./errors.js";

const related: RelatedCommand = { index: 3, type: 0x0411, name: "charge" };

/** The fields the runtime sees in the ErrorMessage. */
function wire(error: ProtocolError) {
  return {
    code: error.code,
    message: error.message,
    relatedCommand: error.relatedCommand,
    nextRetryDelayMs: error.nextRetryDelayMs,
    behavior: error.behavior,
  };
}

describe("protocolErrors", () => {
  it("reports protocol violations as 571 without a related command", () => {
    const cases: [ProtocolError, string][] = [
      [
        protocolErrors.unexpectedMessage("EndMessage", "replaying"),
        "Unexpected EndMessage while replaying",
      ],
      [
        protocolErrors.malformedMessage("StartMessage", new Error("bad varint")),
        "Malformed StartMessage: bad varint",
      ],
      [protocolErrors.malformedMessage("StartMessage", "eof"), "Malformed StartMessage: eof"],
      [protocolErrors.knownEntriesZero(), "StartMessage.known_entries must be >= 1"],
      [protocolErrors.inputClosedEarly(1, 3), "Input closed after 1 of 3 journal entries"],
      [
        protocolErrors.truncatedFrame(5),
        "Input closed in the middle of a frame (5 bytes buffered)",
      ],
      [
        protocolErrors.frameTooLarge(9, 8),
        "Frame of 9 bytes exceeds the maximum message size of 8 bytes",
      ],
      [
        protocolErrors.firstEntryNotInput("RunCommand"),
        "The journal must start with an InputCommand, found RunCommand",
      ],
      [
        protocolErrors.unexpectedAck(4),
        "ProposeRunCompletionAck for completion 4, which this attempt did not propose",
      ],
    ];
    for (const [error, message] of cases) {
      expect(wire(error)).toEqual({
        code: ErrorCode.ProtocolViolation,
        message,
        relatedCommand: undefined,
        nextRetryDelayMs: undefined,
        behavior: "retry",
      });
      expect(error).toBeInstanceOf(ProtocolError);
    }
  });

  it("names unknown message types in hex as an internal error", () => {
    expect(wire(protocolErrors.unknownMessageType(0x42))).toMatchObject({
      code: ErrorCode.Internal,
      message: "Unknown message type 0x0042: cannot decode it",
    });
  });

  it("relates feature and call-field errors to their command only when given one", () => {
    expect(wire(protocolErrors.unsupportedFeature("Scope", 6, related))).toMatchObject({
      code: ErrorCode.UnsupportedFeature,
      message: "Scope is not supported by service protocol V6",
      relatedCommand: related,
    });
    expect(protocolErrors.unsupportedFeature("Scope", 6).relatedCommand).toBeUndefined();
    expect(wire(protocolErrors.emptyCallField("key", related))).toMatchObject({
      code: ErrorCode.Internal,
      message: "The key of a call must not be empty: leave it out instead",
      relatedCommand: related,
    });
    expect(protocolErrors.emptyCallField("key").relatedCommand).toBeUndefined();
  });

  it("reports journal mismatches as 570 at the related command", () => {
    expect(wire(protocolErrors.journalMismatch(related, "Run(a)", "Run(b)"))).toMatchObject({
      code: ErrorCode.JournalMismatch,
      message:
        "Journal mismatch at command #3: the handler's code no longer produces the journaled " +
        "command.\n  journaled: Run(a)\n  handler:   Run(b)",
      relatedCommand: related,
    });
    expect(wire(protocolErrors.repeatedCompletionId(related, 1, 2))).toMatchObject({
      code: ErrorCode.JournalMismatch,
      message:
        "Journal mismatch at command #3: completion id 1 is already taken by command #2; a " +
        "handler allocates every completion id once, so no handler can replay this journal",
      relatedCommand: related,
    });
    expect(wire(protocolErrors.awaitNeverSettled(related, "Sleep", "Run"))).toMatchObject({
      code: ErrorCode.JournalMismatch,
      message:
        "Journal mismatch at command #3: the handler waits on Sleep, which the journal never " +
        "settles, yet the journal goes on with Run. The code probably added an await since the " +
        "journal was written.",
      relatedCommand: related,
    });
  });
});
