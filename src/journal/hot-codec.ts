// SPDX-License-Identifier: MIT
// Hand-written codecs for the three messages every invocation handles: the StartMessage and the
// InputCommand it receives, and the OutputCommand it writes; and for the command a replay reads
// most, the RunCommand. Field numbers from docs/protocol.md §15.3–4; tests check them against the
// generated code byte for byte.
import {
  WireReader,
  WireType,
  readStringPair,
  readValueContent,
  varintSize,
  writeVarint,
} from "./wire-reader.js";
import { FRAME_HEADER_SIZE, writeFrameHeader } from "./framing.js";
import { CommandType } from "./message-types.js";
import type { RunCommand } from "./gen/protocol_pb.js";

/** The StartMessage fields the engine uses. */
export interface StartFields {
  id: Uint8Array;
  debugId: string;
  knownEntries: number;
  stateMap: Array<[Uint8Array, Uint8Array]>;
  partialState: boolean;
  key: string;
  retryCount: number;
  durationMs: number;
  randomSeed: bigint;
  /** V7; an empty string reads as none, as the official SDK reads it. */
  scope: string | undefined;
  limitKey: string | undefined;
  idempotencyKey: string | undefined;
}

const EMPTY: Uint8Array = new Uint8Array(0);

/** Decodes a StartMessage payload; throws on malformed input. */
export function decodeStart(payload: Uint8Array): StartFields {
  const start: StartFields = {
    id: EMPTY,
    debugId: "",
    knownEntries: 0,
    stateMap: [],
    partialState: false,
    key: "",
    retryCount: 0,
    durationMs: 0,
    randomSeed: 0n,
    scope: undefined,
    limitKey: undefined,
    idempotencyKey: undefined,
  };
  const reader = new WireReader(payload);
  while (!reader.isDone) {
    const [field, wire] = reader.tag();
    switch (field) {
      case 1:
        reader.expect(wire, WireType.len);
        start.id = reader.bytesField();
        break;
      case 2:
        reader.expect(wire, WireType.len);
        start.debugId = reader.string();
        break;
      case 3:
        reader.expect(wire, WireType.varint);
        start.knownEntries = reader.varint32();
        break;
      case 4:
        reader.expect(wire, WireType.len);
        start.stateMap.push(stateEntry(reader.bytesField()));
        break;
      case 5:
        reader.expect(wire, WireType.varint);
        start.partialState = reader.varint32() !== 0;
        break;
      case 6:
        reader.expect(wire, WireType.len);
        start.key = reader.string();
        break;
      case 7:
        reader.expect(wire, WireType.varint);
        start.retryCount = reader.varint32();
        break;
      case 8: {
        reader.expect(wire, WireType.varint);
        const [low, high] = reader.varint64();
        start.durationMs = high * 0x1_0000_0000 + low;
        break;
      }
      case 9: {
        reader.expect(wire, WireType.varint);
        const [low, high] = reader.varint64();
        start.randomSeed = (BigInt(high) << 32n) | BigInt(low);
        break;
      }
      case 10:
        reader.expect(wire, WireType.len);
        start.scope = reader.string() || undefined;
        break;
      case 11:
        reader.expect(wire, WireType.len);
        start.limitKey = reader.string() || undefined;
        break;
      case 12:
        reader.expect(wire, WireType.len);
        start.idempotencyKey = reader.string() || undefined;
        break;
      default:
        reader.skip(wire);
    }
  }
  return start;
}

function stateEntry(bytes: Uint8Array): [Uint8Array, Uint8Array] {
  const reader = new WireReader(bytes);
  let key: Uint8Array = EMPTY;
  let value: Uint8Array = EMPTY;
  while (!reader.isDone) {
    const [field, wire] = reader.tag();
    if (field === 1 || field === 2) {
      reader.expect(wire, WireType.len);
      if (field === 1) key = reader.bytesField();
      else value = reader.bytesField();
    } else reader.skip(wire);
  }
  return [key, value];
}

/** Decodes an InputCommand payload into its headers and value; throws on malformed input. */
export function decodeInput(payload: Uint8Array): {
  headers: Array<readonly [string, string]>;
  value: Uint8Array;
} {
  const headers: Array<readonly [string, string]> = [];
  let value: Uint8Array = EMPTY;
  const reader = new WireReader(payload);
  while (!reader.isDone) {
    const [field, wire] = reader.tag();
    if (field === 1) {
      reader.expect(wire, WireType.len);
      headers.push(readStringPair(reader.bytesField()));
    } else if (field === 14) {
      reader.expect(wire, WireType.len);
      value = readValueContent(reader.bytesField());
    } else reader.skip(wire);
  }
  return { headers, value };
}

const RUN_COMPLETION_ID_TAG = (11 << 3) | WireType.varint;
const RUN_NAME_TAG = (12 << 3) | WireType.len;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes a RunCommand payload that holds nothing but its two fields, each tag in one byte and
 * each varint a plain uint32, into the very message protobuf-es would give. Anything else (another
 * field, an unknown one, a wrong wire type, an overlong varint, bytes past the end, text that is
 * not UTF-8) gives undefined: the generated decoder then decides, with its own handling of those
 * cases and its own errors.
 */
export function decodeRunCommand(payload: Uint8Array): RunCommand | undefined {
  let resultCompletionId = 0;
  let name = "";
  let pos = 0;
  while (pos < payload.length) {
    const tag = payload[pos++];
    const value = readUint32(payload, pos);
    if (value < 0) return undefined;
    pos += varintSize(value);
    if (tag === RUN_COMPLETION_ID_TAG) {
      resultCompletionId = value;
    } else if (tag === RUN_NAME_TAG && value <= payload.length - pos) {
      try {
        name = strictUtf8.decode(payload.subarray(pos, pos + value));
      } catch {
        return undefined;
      }
      pos += value;
    } else return undefined;
  }
  return { $typeName: "dev.restate.service.protocol.RunCommand", resultCompletionId, name };
}

/** The uint32 varint at `pos` in its shortest form, or -1 for anything else. */
function readUint32(bytes: Uint8Array, pos: number): number {
  let result = 0;
  for (let shift = 0; shift < 35 && pos < bytes.length; shift += 7) {
    const byte = bytes[pos++]!;
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) {
      // The shortest form: no trailing zero byte (a lone zero is the value 0).
      return result > 0xffff_ffff || (byte === 0 && shift > 0) ? -1 : result;
    }
  }
  return -1;
}

const OUTPUT_VALUE_TAG = (14 << 3) | WireType.len;
const VALUE_CONTENT_TAG = (1 << 3) | WireType.len;

/**
 * Encodes a whole OutputCommand frame `{ value: { content } }` in one allocation. Proto3 omits
 * empty bytes, but the oneof member itself is always written (`72 00` for an empty value).
 */
export function encodeOutputValueFrame(content: Uint8Array): Uint8Array {
  const valueSize = content.length === 0 ? 0 : 1 + varintSize(content.length) + content.length;
  const payloadSize = 1 + varintSize(valueSize) + valueSize;
  const frame = new Uint8Array(FRAME_HEADER_SIZE + payloadSize);
  writeFrameHeader(frame, 0, CommandType.Output, 0, payloadSize);
  let offset = FRAME_HEADER_SIZE;
  frame[offset++] = OUTPUT_VALUE_TAG;
  offset = writeVarint(frame, offset, valueSize);
  if (content.length > 0) {
    frame[offset++] = VALUE_CONTENT_TAG;
    offset = writeVarint(frame, offset, content.length);
    frame.set(content, offset);
  }
  return frame;
}
