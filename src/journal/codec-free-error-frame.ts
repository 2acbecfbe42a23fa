// SPDX-License-Identifier: MIT
// An ErrorMessage frame written without protobuf-es, for the one failure that cannot use it: the
// protocol codec itself failed to load (codec.ts). Field numbers from docs/protocol.md §8.1
// (`code = 1`, `message = 2`); a test checks the bytes against the generated code.
import { FRAME_HEADER_SIZE, writeFrameHeader } from "./framing.js";
import type { ProtocolError } from "./errors.js";
import { MessageType } from "./message-types.js";
import { WireType, varintSize, writeVarint } from "./wire-reader.js";

const CODE_TAG = (1 << 3) | WireType.varint;
const MESSAGE_TAG = (2 << 3) | WireType.len;

/**
 * Encodes an ErrorMessage frame with the error's code and message only (proto3 leaves out a zero
 * code and an empty message). Its behavior is the default, retry: the runtime retries.
 */
export function codecFreeErrorFrame(error: ProtocolError): Uint8Array {
  const message = new TextEncoder().encode(error.message);
  const codeSize = error.code === 0 ? 0 : 1 + varintSize(error.code);
  const messageSize = message.length === 0 ? 0 : 1 + varintSize(message.length) + message.length;
  const frame = new Uint8Array(FRAME_HEADER_SIZE + codeSize + messageSize);
  writeFrameHeader(frame, 0, MessageType.Error, 0, codeSize + messageSize);
  let offset = FRAME_HEADER_SIZE;
  if (codeSize > 0) {
    frame[offset++] = CODE_TAG;
    offset = writeVarint(frame, offset, error.code);
  }
  if (messageSize > 0) {
    frame[offset++] = MESSAGE_TAG;
    offset = writeVarint(frame, offset, message.length);
    frame.set(message, offset);
  }
  return frame;
}
