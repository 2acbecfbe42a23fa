// SPDX-License-Identifier: MIT
// The fixture builder itself: encoding, the knownEntries default, and its chunking check.
import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { StartMessageSchema } from "../gen/protocol_pb.js";
import {
  A2_SLEEP_COMPLETION,
  A3_RUN_COMPLETION,
  A4_INVOCATION_ID,
  A4_RESULT,
  A5_AWAKEABLE_REJECTED,
  A5_CANCEL,
  A5_NAMED,
} from "../__fixtures__/appendix-a.js";
import { encodeFrame } from "../framing.js";
import { CommandType, MessageType } from "../message-types.js";
import {
  DEFAULT_DEBUG_ID,
  completion,
  completionType,
  decodeOutput,
  decoded,
  frame,
  hex,
  inputCommand,
  journalCase,
  namedSignal,
  result,
  signal,
  toHex,
  utf8,
} from "./journal-case.js";

describe("journalCase", () => {
  it("encodes a StartMessage whose known_entries defaults to the journal entries added", () => {
    const body = journalCase()
      .start({
        key: "k",
        state: { a: "1" },
        partialState: true,
        retryCount: 2,
        durationMs: 9,
        seed: 7n,
      })
      .input(inputCommand('"x"'))
      .command(frame(CommandType.Sleep, { resultCompletionId: 1 }))
      .frame(frame(MessageType.ProposeRunCompletionAck, { completionId: 1 })) // not an entry
      .requestBytes();
    const length = (body[4]! << 24) | (body[5]! << 16) | (body[6]! << 8) | body[7]!;
    expect(toHex(body.subarray(0, 4))).toBe("00000000");
    const start = fromBinary(StartMessageSchema, body.subarray(8, 8 + length));
    expect(start).toMatchObject({
      debugId: DEFAULT_DEBUG_ID,
      knownEntries: 2,
      key: "k",
      stateMap: [{ key: utf8("a"), value: utf8("1") }],
      partialState: true,
      retryCountSinceLastStoredEntry: 2,
      durationSinceLastStoredEntry: 9n,
      randomSeed: 7n,
    });
    expect(toHex(start.id)).toBe("0618183eea04e869d049d2c4dc1293fcea54450af56ba4eb");
  });

  it("encodes notifications exactly as the runtime does (A.2, A.3, A.4, A.5)", () => {
    const frames = [
      completion(CommandType.Sleep, 1, result.void()),
      completion(CommandType.Run, 1, result.value('"run result"')),
      completion(
        CommandType.OneWayCall,
        1,
        result.invocationId("inv_15I5jo3v8rpR1N29glwVeLmiJJTiz75tM5"),
      ),
      completion(CommandType.Call, 2, result.value('"hello from fake"')),
      signal(1, result.void()),
      signal(17, result.failure(500, "nope, rejected")),
      namedSignal("mysig", result.value('"sig value"')),
    ];
    expect(frames.map((f) => toHex(encodeFrame(f.type, f.payload)))).toEqual(
      [
        A2_SLEEP_COMPLETION,
        A3_RUN_COMPLETION,
        A4_INVOCATION_ID,
        A4_RESULT,
        A5_CANCEL,
        A5_AWAKEABLE_REJECTED,
        A5_NAMED,
      ].map((h) => toHex(hex(h))),
    );
    expect(completionType(CommandType.GetLazyStateKeys)).toBe(0x8006);
  });

  it("decodes output frames with the schema of their type", () => {
    expect(decodeOutput(hex("040c000000000002 5801 0003000000000000"))).toEqual([
      decoded(CommandType.Sleep, { resultCompletionId: 1 }),
      decoded(MessageType.End, {}),
    ]);
    expect(() => decodeOutput(hex("0003000000000001"))).toThrow(/ends inside a frame/);
  });

  it("throws when a chunking of the request changes the outcome", () => {
    let calls = 0;
    const c = journalCase().start().input(inputCommand());
    expect(() =>
      c.run((vm) => {
        vm.sysInput();
        if (++calls === 2) vm.sysSleep(1);
      }),
    ).toThrow(/^Chunking \(1-byte chunks\) changed the output/);
  });

  it("rethrows errors of the handler that are not the engine's sticky error", () => {
    expect(() =>
      journalCase()
        .start()
        .input(inputCommand())
        .run(() => {
          throw new Error("handler bug");
        }),
    ).toThrow("handler bug");
  });
});
