// SPDX-License-Identifier: MIT
// Property tests of the frame decoder (docs/protocol.md §3): any chunking of a valid stream yields the
// same frames, and arbitrary bytes end in frames or a FrameTooLargeError, never anything else,
// with never more buffered than one header and one payload under the limit.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { propertyRuns } from "./__fixtures__/property-runs.js";
import {
  FRAME_HEADER_SIZE,
  type Frame,
  FrameDecoder,
  FrameTooLargeError,
  encodeFrame,
} from "./framing.js";
import { concat, toHex } from "./testing/bytes.js";

/** Room for FC_RUNS in the thousands; the default runs take a fraction of a second. */
const PROPERTY_TIMEOUT = 300_000;

const frameArb = fc.record({
  type: fc.integer({ min: 0, max: 0xffff }),
  flags: fc.integer({ min: 0, max: 0xffff }),
  payload: fc.uint8Array({ maxLength: 48 }),
});

/** Cuts `bytes` at the given offsets (any order, duplicates allowed): chunks of any size. */
function cut(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point)); // empty chunks included on purpose
    start = point;
  }
  return chunks;
}

const show = (frames: readonly Frame[]) =>
  frames.map((f) => `${f.type}/${f.flags}/${toHex(f.payload)}`);

describe("FrameDecoder properties", () => {
  it(
    "any chunking of a valid stream yields the same frames, ending idle",
    () => {
      fc.assert(
        fc.property(
          fc.array(frameArb, { maxLength: 8 }),
          fc.array(fc.nat(), { maxLength: 12 }),
          (frames, offsets) => {
            const stream = concat(frames.map((f) => encodeFrame(f.type, f.payload, f.flags)));
            const decoder = new FrameDecoder();
            const decoded = cut(stream, offsets).flatMap((chunk) => decoder.push(chunk));
            expect(show(decoded)).toEqual(show(frames));
            expect(decoder.isIdle).toBe(true);
          },
        ),
        propertyRuns(100),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "arbitrary bytes: frames or FrameTooLargeError, bounded buffering, a sticky failure",
    () => {
      const max = 64;
      // Random bytes mostly declare huge lengths; damaged valid streams reach the other paths.
      const damaged = fc
        .tuple(
          fc.array(frameArb, { minLength: 1, maxLength: 6 }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        )
        .map(([frames, edits]) => {
          const stream = concat(frames.map((f) => encodeFrame(f.type, f.payload, f.flags)));
          for (const [at, value] of edits) stream[at % stream.length] = value;
          return stream;
        });
      fc.assert(
        fc.property(
          fc.oneof(fc.uint8Array({ maxLength: 256 }), damaged),
          fc.array(fc.nat(), { maxLength: 12 }),
          (bytes, offsets) => {
            const decoder = new FrameDecoder({ maxMessageSize: max });
            let failure: unknown;
            for (const chunk of cut(bytes, offsets)) {
              try {
                for (const frame of decoder.push(chunk)) {
                  expect(frame.payload.length).toBeLessThanOrEqual(max);
                }
              } catch (e) {
                expect(e).toBeInstanceOf(FrameTooLargeError);
                if (failure !== undefined) expect(e).toBe(failure);
                failure = e;
              }
              expect(decoder.bufferedBytes).toBeLessThanOrEqual(FRAME_HEADER_SIZE + max);
            }
          },
        ),
        propertyRuns(200),
      );
    },
    PROPERTY_TIMEOUT,
  );
});
