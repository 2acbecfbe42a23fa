// SPDX-License-Identifier: MIT
// A whole invocation through a fetch handler in one request: Start + Input frames in, the
// attempt's frames decoded out. For endpoint tests that run the real engine.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { encodeFrame, FrameDecoder } from "../../journal/framing.js";
import * as pb from "../../journal/gen/protocol_pb.js";
import { CommandType, MessageType } from "../../journal/message-types.js";

const CONTENT_TYPE = "application/vnd.restate.invocation.v6";
const INVOCATION_ID = Uint8Array.from({ length: 24 }, (_, i) => i + 1);

/** What an attempt answered, frame by frame. */
export type AttemptFrame =
  | { readonly type: "output"; readonly message: pb.OutputCommand }
  | { readonly type: "error"; readonly message: pb.ErrorMessage }
  | { readonly type: "end" }
  | { readonly type: "other"; readonly id: number };

/** The body of an invocation request: Start (one known entry) and Input with `input`. */
export function requestBody(input: string): Uint8Array {
  const start = create(pb.StartMessageSchema, {
    id: INVOCATION_ID,
    debugId: "inv_1fixturefixturefixturefixture",
    knownEntries: 1,
    partialState: true,
    randomSeed: 7n,
  });
  const command = create(pb.InputCommandSchema, {
    value: { content: new TextEncoder().encode(input) },
  });
  const frames = [
    encodeFrame(MessageType.Start, toBinary(pb.StartMessageSchema, start)),
    encodeFrame(CommandType.Input, toBinary(pb.InputCommandSchema, command)),
  ];
  const body = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  body.set(frames[0] ?? new Uint8Array(0), 0);
  body.set(frames[1] ?? new Uint8Array(0), frames[0]?.length ?? 0);
  return body;
}

/** Decodes a whole response body; throws when it does not end on a frame boundary. */
export function decodeFrames(bytes: Uint8Array): AttemptFrame[] {
  const decoder = new FrameDecoder();
  const frames = decoder.push(bytes);
  if (!decoder.isIdle) throw new Error("the response does not end on a frame boundary");
  return frames.map((f): AttemptFrame => {
    switch (f.type) {
      case CommandType.Output:
        return { type: "output", message: fromBinary(pb.OutputCommandSchema, f.payload) };
      case MessageType.Error:
        return { type: "error", message: fromBinary(pb.ErrorMessageSchema, f.payload) };
      case MessageType.End:
        return { type: "end" };
      default:
        return { type: "other", id: f.type };
    }
  });
}

/**
 * Runs `service/handler` with a JSON `input` through `fetch` (a fetch handler) and decodes the
 * frames it answers.
 */
export async function invokeOnce(
  fetch: (request: Request) => Promise<Response>,
  path: string,
  input: string,
): Promise<AttemptFrame[]> {
  const response = await fetch(
    new Request(`http://endpoint${path}`, {
      method: "POST",
      headers: { "content-type": CONTENT_TYPE },
      body: requestBody(input),
    }),
  );
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
  return decodeFrames(new Uint8Array(await response.arrayBuffer()));
}

/** The output of an attempt that completed (Output then End), or a description of what it did. */
export function outputOf(frames: readonly AttemptFrame[]): pb.OutputCommand["result"] | string {
  const [first, second] = frames;
  if (frames.length === 2 && first?.type === "output" && second?.type === "end") {
    return first.message.result;
  }
  return frames.map((f) => (f.type === "error" ? `error ${f.message.code}` : f.type)).join(",");
}
