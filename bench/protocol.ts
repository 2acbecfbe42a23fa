// SPDX-License-Identifier: MIT
/**
 * Service-protocol bodies for direct mode: what the Restate server would send to an endpoint
 * (StartMessage, InputCommand, a replayed journal) and a strict check of what comes back.
 *
 * Type ids are written out from the protocol spec (docs/protocol.md §15.1) rather than taken from
 * `src/journal/message-types.ts`, so the harness does not share a table with the code it measures.
 */
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { encodeFrame, FrameDecoder, type Frame } from "../src/journal/framing.js";
import {
  ErrorMessageSchema,
  InputCommandSchema,
  NotificationTemplateSchema,
  OutputCommandSchema,
  RunCommandSchema,
  StartMessageSchema,
} from "../src/journal/gen/protocol_pb.js";

/** V6: the highest version both SDKs and restate-server 1.7.12 (V7 off) share. */
export const PROTOCOL_CONTENT_TYPE = "application/vnd.restate.invocation.v6";

const TYPE = {
  start: 0x0000,
  suspension: 0x0001,
  error: 0x0002,
  end: 0x0003,
  input: 0x0400,
  output: 0x0401,
  run: 0x0411,
  runCompletion: 0x8011,
} as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function json(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** One direct-mode invocation: where it goes, the request body, and the handler's expected result. */
export interface DirectCase {
  readonly name: string;
  readonly path: string;
  readonly body: Uint8Array;
  readonly expected: unknown;
}

function startFrame(knownEntries: number): Uint8Array {
  const start = create(StartMessageSchema, {
    // A fixed 24-byte id like the runtime's; neither SDK needs it to be unique.
    id: Uint8Array.from({ length: 24 }, (_, i) => (i * 37 + 11) & 0xff),
    debugId: "inv_1benchBenchBenchBenchBenchBench0",
    knownEntries,
    partialState: true,
    randomSeed: 6539124921464848530n,
  });
  return encodeFrame(TYPE.start, toBinary(StartMessageSchema, start));
}

function inputFrame(input: unknown): Uint8Array {
  const command = create(InputCommandSchema, { value: { content: json(input) } });
  return encodeFrame(TYPE.input, toBinary(InputCommandSchema, command));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** A first attempt of `Greeter/greet`: Start (known_entries = 1) + Input. */
export function greeterCase(name = "bench"): DirectCase {
  return {
    name: "greeter",
    path: "/invoke/Greeter/greet",
    body: concat([startFrame(1), inputFrame(name)]),
    expected: `Hello ${name}!`,
  };
}

/**
 * A retried attempt of `Steps/run(n)` whose `n` runs all completed before: Input, then per step a
 * `RunCommand{cid i+1, "step-i"}` and its `RunCompletionNotification{i+1, i}` in the order the
 * runtime stores them (docs/protocol.md §4.2, §6.4). known_entries = 1 + 2n. The SDK replays every
 * step without executing it and answers with Output(sum) + End.
 */
export function replayCase(steps: number): DirectCase {
  const frames: Uint8Array[] = [startFrame(1 + 2 * steps), inputFrame(steps)];
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const id = i + 1;
    const run = create(RunCommandSchema, { resultCompletionId: id, name: `step-${i}` });
    frames.push(encodeFrame(TYPE.run, toBinary(RunCommandSchema, run)));
    const done = create(NotificationTemplateSchema, {
      id: { case: "completionId", value: id },
      result: { case: "value", value: { content: json(i) } },
    });
    frames.push(encodeFrame(TYPE.runCompletion, toBinary(NotificationTemplateSchema, done)));
    sum += i;
  }
  return {
    name: `replay ${steps}`,
    path: "/invoke/Steps/run",
    body: concat(frames),
    expected: sum,
  };
}

/** The bytes a correct endpoint answers to `greeterCase(name)`: Output + End (for the floor). */
export function greeterResponse(name = "bench"): Uint8Array {
  const output = create(OutputCommandSchema, {
    result: { case: "value", value: { content: json(`Hello ${name}!`) } },
  });
  return concat([
    encodeFrame(TYPE.output, toBinary(OutputCommandSchema, output)),
    encodeFrame(TYPE.end, new Uint8Array(0)),
  ]);
}

/** Decodes a response body; throws on a truncated body or an oversized frame. */
function decodeFrames(body: Uint8Array): Frame[] {
  const frameDecoder = new FrameDecoder();
  const frames = frameDecoder.push(body);
  if (!frameDecoder.isIdle) throw new Error("response body ends inside a frame");
  return frames;
}

function describe(frame: Frame): string {
  if (frame.type === TYPE.error) {
    const error = fromBinary(ErrorMessageSchema, frame.payload);
    return `ErrorMessage ${error.code}: ${error.message}`;
  }
  if (frame.type === TYPE.suspension) return "Suspension";
  return `frame 0x${frame.type.toString(16).padStart(4, "0")}`;
}

/**
 * Checks a response: status 200, the negotiated content-type, and a body of exactly
 * Output(value = expected) + End. Returns undefined when valid, else why not.
 */
export function checkResponse(
  status: number,
  contentType: string | undefined,
  body: Uint8Array,
  expected: unknown,
): string | undefined {
  if (status !== 200) return `HTTP ${status}: ${decoder.decode(body).slice(0, 200)}`;
  if (contentType !== PROTOCOL_CONTENT_TYPE) return `content-type ${String(contentType)}`;
  let frames: Frame[];
  try {
    frames = decodeFrames(body);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const [first, second, ...rest] = frames;
  if (first === undefined) return "empty response body";
  if (first.type !== TYPE.output) return `expected Output, got ${describe(first)}`;
  const output = fromBinary(OutputCommandSchema, first.payload);
  if (output.result.case !== "value") return `Output is ${String(output.result.case)}`;
  const actual = decoder.decode(output.result.value.content);
  if (actual !== JSON.stringify(expected))
    return `Output ${actual}, expected ${JSON.stringify(expected)}`;
  if (second === undefined || second.type !== TYPE.end) {
    return `expected End after Output, got ${second === undefined ? "nothing" : describe(second)}`;
  }
  if (rest.length > 0) return `${rest.length} frame(s) after End`;
  return undefined;
}
