// SPDX-License-Identifier: MIT
// The hand-written Start/Input/Output codecs against the generated ones.
import { describe, expect, it } from "vitest";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as pb from "./gen/protocol_pb.js";
import { decodeInput, decodeStart, encodeOutputValueFrame } from "./hot-codec.js";
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
