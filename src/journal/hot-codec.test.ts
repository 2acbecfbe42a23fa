// SPDX-License-Identifier: MIT
// The hand-written Start/Input/Output codecs against the generated ones.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as pb from "./gen/protocol_pb.js";
import { decodeInput, decodeRunCommand, decodeStart, encodeOutputValueFrame } from "./hot-codec.js";
import { encodeFrame } from "./framing.js";
import { hex, toHex } from "./testing/bytes.js";

const utf8 = new TextEncoder();

describe("hot codecs", () => {
  it("decodes StartMessages like the generated decoder", () => {
    const cases = [
      create(pb.StartMessageSchema, { knownEntries: 1 }),
      create(pb.StartMessageSchema, {
        id: new Uint8Array(24).map((_, i) => i * 11),
        debugId: "inv_1abc",
        knownEntries: 4_000_000_000,
        stateMap: [
          { key: utf8.encode("a"), value: utf8.encode('"va"') },
          { key: utf8.encode("b"), value: new Uint8Array(0) },
        ],
        partialState: true,
        key: "Mary ✓",
        retryCountSinceLastStoredEntry: 3,
        durationSinceLastStoredEntry: 2n ** 40n + 5n,
        randomSeed: 2n ** 64n - 1n,
        scope: "s",
        limitKey: "l",
        idempotencyKey: "i",
      }),
      create(pb.StartMessageSchema, { knownEntries: 2, randomSeed: 6539124921464848530n }),
    ];
    for (const message of cases) {
      const bytes = toBinary(pb.StartMessageSchema, message);
      const ours = decodeStart(bytes);
      const theirs = fromBinary(pb.StartMessageSchema, bytes);
      expect(ours).toEqual({
        id: theirs.id,
        debugId: theirs.debugId,
        knownEntries: theirs.knownEntries,
        stateMap: theirs.stateMap.map((e) => [e.key, e.value]),
        partialState: theirs.partialState,
        key: theirs.key,
        retryCount: theirs.retryCountSinceLastStoredEntry,
        durationMs: Number(theirs.durationSinceLastStoredEntry),
        randomSeed: theirs.randomSeed,
        scope: theirs.scope,
        limitKey: theirs.limitKey,
        idempotencyKey: theirs.idempotencyKey,
      });
    }
  });

  it("decodes the Appendix A.1 StartMessage", () => {
    const payload = hex(
      "0a1886b83c778950dc10b420d2ee2d0f2ac208efc635dd96fa50" +
        "1226696e765f3131724b7043345a4739314132734e5539536a6a4e4c6839543969386c464e62576b" +
        "18012801400348" +
        "9281c4ae86efe8df5a",
    );
    const start = decodeStart(payload);
    expect(start.debugId).toBe("inv_11rKpC4ZG91A2sNU9SjjNLh9T9i8lFNbWk");
    expect(start.knownEntries).toBe(1);
    expect(start.partialState).toBe(true);
    expect(start.durationMs).toBe(3);
    expect(start.randomSeed).toBe(6539124921464848530n);
  });

  it("decodes InputCommands like the generated decoder", () => {
    const message = create(pb.InputCommandSchema, {
      headers: [
        { key: "content-type", value: "application/json" },
        { key: "x-ü", value: "" },
      ],
      value: { content: utf8.encode('"hi"') },
      name: "ignored",
    });
    const bytes = toBinary(pb.InputCommandSchema, message);
    expect(decodeInput(bytes)).toEqual({
      headers: [
        ["content-type", "application/json"],
        ["x-ü", ""],
      ],
      value: utf8.encode('"hi"'),
    });
    expect(decodeInput(new Uint8Array(0))).toEqual({ headers: [], value: new Uint8Array(0) });
  });

  it("encodes OutputCommand frames byte for byte like the generated encoder", () => {
    for (const content of [
      new Uint8Array(0),
      utf8.encode('"woke up"'),
      new Uint8Array(300).fill(7),
    ]) {
      const expected = encodeFrame(
        0x0401,
        toBinary(
          pb.OutputCommandSchema,
          create(pb.OutputCommandSchema, { result: { case: "value", value: { content } } }),
        ),
      );
      expect(toHex(encodeOutputValueFrame(content))).toBe(toHex(expected));
    }
    expect(toHex(encodeOutputValueFrame(utf8.encode('"woke up"')))).toBe(
      "040100000000000d720b0a0922776f6b6520757022",
    );
  });

  it("rejects malformed input", () => {
    expect(() => decodeStart(hex("0a05"))).toThrow();
    expect(() => decodeInput(hex("0a"))).toThrow();
  });
});

/** What the generated decoder makes of `bytes`, or "throws". */
function generatedRun(bytes: Uint8Array): pb.RunCommand | "throws" {
  try {
    return fromBinary(pb.RunCommandSchema, bytes);
  } catch {
    return "throws";
  }
}

/** Protobuf-ish bytes: the RunCommand's tags, other tags, varints, lengths and raw bytes. */
const runLikeBytes = fc
  .array(
    fc.oneof(
      fc.constantFrom(Uint8Array.of(0x58), Uint8Array.of(0x62), Uint8Array.of(0x08)),
      fc.constantFrom(Uint8Array.of(0x80, 0x00), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f)),
      fc.constantFrom(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x1f), Uint8Array.of(0xc3, 0x28)),
      fc.uint8Array({ maxLength: 6 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));

describe("RunCommand hot decoder", () => {
  it("gives exactly the generated decoder's message", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffff_ffff }),
        fc.string({ unit: "binary", maxLength: 40 }),
        (resultCompletionId, name) => {
          const bytes = toBinary(
            pb.RunCommandSchema,
            create(pb.RunCommandSchema, { resultCompletionId, name }),
          );
          expect(decodeRunCommand(bytes)).toStrictEqual(fromBinary(pb.RunCommandSchema, bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("on any bytes: the generated decoder's message, or undefined to leave them to it", () => {
    let decoded = 0;
    fc.assert(
      fc.property(runLikeBytes, (bytes) => {
        const ours = decodeRunCommand(bytes);
        if (ours === undefined) return;
        decoded++;
        expect(ours).toStrictEqual(generatedRun(bytes));
      }),
      { numRuns: 500 },
    );
    // Not vacuous: about one input in eight is a run the hot path takes (about 60 of 500).
    expect(decoded).toBeGreaterThan(10);
  });

  it.each([
    ["an unknown field", "08015802"],
    ["a repeated field after an unknown one", "58016201610801"],
    ["an overlong varint", "588000"],
    ["a completion id above uint32", "58ffffffff1f"],
    ["a name that is not UTF-8", "6201ff"],
    ["a name past the end", "620561"],
    ["a tag with the wrong wire type", "5a00"],
  ])("leaves %s to the generated decoder", (_, bytes) => {
    expect(decodeRunCommand(hex(bytes))).toBeUndefined();
  });

  it("reads the last of repeated fields, as protobuf does", () => {
    const bytes = hex("580162016158026203e29c93");
    expect(decodeRunCommand(bytes)).toStrictEqual(fromBinary(pb.RunCommandSchema, bytes));
    expect(decodeRunCommand(bytes)).toMatchObject({ resultCompletionId: 2, name: "✓" });
  });
});
