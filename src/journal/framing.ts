// SPDX-License-Identifier: MIT
/**
 * Message framing: every body is a sequence of `8-byte header ‖ protobuf payload` frames.
 *
 * Header layout (big-endian, docs/protocol.md §3): bytes 0–1 type, 2–3 flags, 4–7 payload length.
 *
 * @module
 */

/** Size of a frame header in bytes. */
export const FRAME_HEADER_SIZE = 8;

/**
 * Flags bit 15: the SDK asks the runtime to acknowledge a `ProposeRunCompletion` (V7, §6.4).
 * Readers ignore it on every other message type.
 */
export const REQUESTED_ACK = 0x8000;

/** Largest message the runtime sends by default (32 MiB), used as the decoder's default limit. */
export const DEFAULT_MAX_MESSAGE_SIZE = 32 * 1024 * 1024;

const U16_MAX = 0xffff;
const U32_MAX = 0xffff_ffff;

/** One decoded frame: header fields plus the still-encoded protobuf payload. */
export interface Frame {
  /** Message type id (docs/protocol.md §15.1). */
  readonly type: number;
  /** Raw flags; only {@link REQUESTED_ACK} has a meaning. */
  readonly flags: number;
  /** Protobuf payload, without the header. */
  readonly payload: Uint8Array;
}

/**
 * Writes an 8-byte frame header into `target` at `offset`.
 *
 * Exposed so a writer can frame a payload that it serialises straight into a larger buffer.
 *
 * @throws RangeError if a field does not fit its wire width or the header does not fit `target`.
 * @example
 * const out = new Uint8Array(FRAME_HEADER_SIZE + payload.length);
 * writeFrameHeader(out, 0, 0x0401, 0, payload.length);
 * out.set(payload, FRAME_HEADER_SIZE);
 */
export function writeFrameHeader(
  target: Uint8Array,
  offset: number,
  type: number,
  flags: number,
  length: number,
): void {
  checkField("type", type, U16_MAX);
  checkField("flags", flags, U16_MAX);
  checkField("length", length, U32_MAX);
  if (!Number.isInteger(offset) || offset < 0 || offset + FRAME_HEADER_SIZE > target.length) {
    throw new RangeError(`frame header does not fit at offset ${offset} of ${target.length} bytes`);
  }
  target[offset] = type >>> 8;
  target[offset + 1] = type & 0xff;
  target[offset + 2] = flags >>> 8;
  target[offset + 3] = flags & 0xff;
  target[offset + 4] = length >>> 24;
  target[offset + 5] = (length >>> 16) & 0xff;
  target[offset + 6] = (length >>> 8) & 0xff;
  target[offset + 7] = length & 0xff;
}

/**
 * Frames a payload: returns `header ‖ payload` in a single new buffer.
 *
 * @throws RangeError if `type` or `flags` is not a u16, or the payload is longer than a u32.
 * @example
 * const bytes = encodeFrame(0x0003, new Uint8Array(0)); // EndMessage
 */
export function encodeFrame(type: number, payload: Uint8Array, flags = 0): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_SIZE + payload.length);
  writeFrameHeader(frame, 0, type, flags, payload.length);
  frame.set(payload, FRAME_HEADER_SIZE);
  return frame;
}

/** Thrown when a header declares a payload longer than the decoder accepts. */
export class FrameTooLargeError extends Error {
  /** Payload length the header declared. */
  readonly declaredLength: number;
  /** Limit the decoder was configured with. */
  readonly maxMessageSize: number;

  constructor(declaredLength: number, maxMessageSize: number) {
    super(
      `frame declares a payload of ${declaredLength} bytes, ` +
        `above the maximum message size of ${maxMessageSize} bytes`,
    );
    this.name = "FrameTooLargeError";
    this.declaredLength = declaredLength;
    this.maxMessageSize = maxMessageSize;
  }
}

/** Options of {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Largest accepted payload length in bytes; defaults to {@link DEFAULT_MAX_MESSAGE_SIZE}. */
  readonly maxMessageSize: number;
}

/**
 * Incremental frame decoder: push body chunks of any size, get back the frames they complete.
 *
 * A frame that lies wholly inside one chunk is returned as a `subarray` view of that chunk (no
 * copy), so callers must not overwrite a chunk after pushing it. Only frames that span chunks are
 * copied, into a buffer allocated once the header is known and checked against the size limit.
 *
 * After a {@link FrameTooLargeError} the stream is unusable (the next frame boundary is lost), so
 * the decoder stays failed and every later `push` throws the same error.
 *
 * @example
 * const decoder = new FrameDecoder();
 * for await (const chunk of body) for (const frame of decoder.push(chunk)) handle(frame);
 * if (!decoder.isIdle) throw new Error("truncated body");
 */
export class FrameDecoder {
  readonly #maxMessageSize: number;
  /** Bytes of a header that arrived split across chunks. */
  readonly #header = new Uint8Array(FRAME_HEADER_SIZE);
  #headerFilled = 0;
  /** Payload of a frame spanning chunks, allocated once its header is complete. */
  #payload: Uint8Array | undefined;
  #payloadFilled = 0;
  #type = 0;
  #flags = 0;
  #failure: FrameTooLargeError | undefined;

  constructor(options: Partial<FrameDecoderOptions> = {}) {
    const max = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    if (!Number.isInteger(max) || max < 0) {
      throw new RangeError(`maxMessageSize must be a non-negative integer, got ${max}`);
    }
    this.#maxMessageSize = max;
  }

  /** Bytes of an incomplete frame currently held (header bytes included). */
  get bufferedBytes(): number {
    return this.#headerFilled + this.#payloadFilled;
  }

  /** True when no partial frame is held: a body that ends now ended on a frame boundary. */
  get isIdle(): boolean {
    return this.#headerFilled === 0;
  }

  /**
   * Consumes one chunk and returns every frame it completes, in order.
   *
   * @throws FrameTooLargeError as soon as a header declares a payload above the limit.
   */
  push(chunk: Uint8Array): Frame[] {
    if (this.#failure !== undefined) throw this.#failure;
    const frames: Frame[] = [];
    let offset = 0;
    // Finish the frame carried over from earlier chunks before taking the fast path.
    if (this.#headerFilled > 0) offset = this.#continuePartial(chunk, frames);
    while (offset < chunk.length) {
      const available = chunk.length - offset;
      if (available < FRAME_HEADER_SIZE) {
        offset += this.#fillHeader(chunk, offset);
        break;
      }
      const type = readU16(chunk, offset);
      const flags = readU16(chunk, offset + 2);
      const length = readU32(chunk, offset + 4);
      this.#checkLength(length);
      const start = offset + FRAME_HEADER_SIZE;
      if (chunk.length - start >= length) {
        frames.push({ type, flags, payload: chunk.subarray(start, start + length) });
        offset = start + length;
      } else {
        this.#header.set(chunk.subarray(offset, start));
        this.#headerFilled = FRAME_HEADER_SIZE;
        this.#beginPayload(type, flags, length);
        offset = start + this.#fillPayload(chunk, start);
      }
    }
    return frames;
  }

  /** Feeds the start of `chunk` to the held partial frame; returns the bytes consumed. */
  #continuePartial(chunk: Uint8Array, frames: Frame[]): number {
    let offset = 0;
    if (this.#headerFilled < FRAME_HEADER_SIZE) {
      offset += this.#fillHeader(chunk, 0);
      if (this.#headerFilled < FRAME_HEADER_SIZE) return offset;
      const length = readU32(this.#header, 4);
      this.#checkLength(length);
      this.#beginPayload(readU16(this.#header, 0), readU16(this.#header, 2), length);
    }
    offset += this.#fillPayload(chunk, offset);
    const payload = this.#payload;
    if (payload !== undefined && this.#payloadFilled === payload.length) {
      frames.push({ type: this.#type, flags: this.#flags, payload });
      this.#reset();
    }
    return offset;
  }

  #fillHeader(chunk: Uint8Array, offset: number): number {
    const n = Math.min(FRAME_HEADER_SIZE - this.#headerFilled, chunk.length - offset);
    this.#header.set(chunk.subarray(offset, offset + n), this.#headerFilled);
    this.#headerFilled += n;
    return n;
  }

  #beginPayload(type: number, flags: number, length: number): void {
    this.#type = type;
    this.#flags = flags;
    this.#payload = new Uint8Array(length);
    this.#payloadFilled = 0;
  }

  #fillPayload(chunk: Uint8Array, offset: number): number {
    const payload = this.#payload;
    if (payload === undefined) return 0;
    const n = Math.min(payload.length - this.#payloadFilled, chunk.length - offset);
    payload.set(chunk.subarray(offset, offset + n), this.#payloadFilled);
    this.#payloadFilled += n;
    return n;
  }

  #reset(): void {
    this.#headerFilled = 0;
    this.#payload = undefined;
    this.#payloadFilled = 0;
  }

  #checkLength(length: number): void {
    if (length > this.#maxMessageSize) {
      this.#reset();
      this.#failure = new FrameTooLargeError(length, this.#maxMessageSize);
      throw this.#failure;
    }
  }
}

function readU16(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

function readU32(bytes: Uint8Array, offset: number): number {
  // `* 2 ** 24` instead of `<< 24` keeps the result unsigned for lengths of 2 GiB and above.
  return (
    (bytes[offset] ?? 0) * 2 ** 24 +
    (((bytes[offset + 1] ?? 0) << 16) | ((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0))
  );
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`frame ${name} must be an integer in [0, ${max}], got ${value}`);
  }
}
