// SPDX-License-Identifier: MIT
/**
 * Byte-level fixtures for the journal engine: build a request body from real frames, feed it to a
 * fresh {@link JournalVm}, run handler operations, and get the response decoded frame by frame.
 *
 * Every case runs once per chunking of the request (whole, 1-byte and 2-byte chunks, and split in
 * two at sampled offsets: around every frame boundary plus a few seeded ones; every offset with
 * `exhaustiveSplits()`) and throws if any chunking produces different output: framing must never
 * leak into journal behaviour (docs/protocol.md §3). No test-framework import, so an in-memory runtime can
 * reuse it.
 *
 * @example
 * const r = journalCase()
 *   .start({ knownEntries: 1 })
 *   .input(inputCommand('"Till"'))
 *   .run((vm) => {
 *     vm.sysInput();
 *     vm.sysOutput({ value: utf8('"Hi Till"') });
 *     vm.sysEnd();
 *   });
 * r.frames; // [{ type: 0x0401, flags: 0, message: OutputCommand }, { type: 0x0003, … }]
 * @module
 */
import { type Message, create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as pb from "../gen/protocol_pb.js";
import { FrameDecoder, encodeFrame } from "../framing.js";
import { MessageType, isNotificationType, messageTypeName } from "../message-types.js";
import { JournalVm, type VmOptions } from "../vm.js";
import { concat, equalBytes, hex, toHex } from "./bytes.js";
import { type Frame, schemaOf } from "./frames.js";

export { concat, hex, toHex, utf8 } from "./bytes.js";
export {
  type Frame,
  type InitOf,
  type MessageOf,
  type NotificationResultInit,
  type TypeId,
  completion,
  completionType,
  decoded,
  frame,
  inputCommand,
  namedSignal,
  notificationFrame,
  rawFrame,
  result,
  runAck,
  signal,
} from "./frames.js";
import { LOADED_CODEC } from "./codec.js";

/** The A.8 invocation id of docs/protocol.md Appendix A, used when a case does not set one. */
export const DEFAULT_INVOCATION_ID = "0618183eea04e869d049d2c4dc1293fcea54450af56ba4eb";
export const DEFAULT_DEBUG_ID = "inv_195JGzOPHaHs7aEkWoBs19SqN0CtVUiXfO";

/** StartMessage fields, with test-friendly defaults. */
export interface StartOptions {
  /** Defaults to the number of `input`/`command`/`notification` entries of the case. */
  readonly knownEntries: number;
  /** Raw id bytes, or their hex. */
  readonly id: Uint8Array | string;
  readonly debugId: string;
  readonly key: string;
  /** Eager state; string values are UTF-8 encoded. */
  readonly state: Readonly<Record<string, string | Uint8Array>>;
  readonly partialState: boolean;
  readonly retryCount: number;
  readonly durationMs: number;
  readonly seed: bigint;
  /** V7 fields, left out when unset. */
  readonly scope: string;
  readonly limitKey: string;
  readonly idempotencyKey: string;
}

/** A decoded output frame, with the message of its type. */
export interface OutputFrame {
  readonly type: number;
  readonly flags: number;
  /** The decoded message; compare it with `decoded(type, init)`. */
  readonly message: Message;
}

/** What a case produced. */
export interface JournalResult<T> {
  readonly vm: JournalVm;
  /** What the handler callback returned. */
  readonly value: T | undefined;
  /** The engine's sticky error when the callback threw it (other throws propagate). */
  readonly thrown: unknown;
  readonly bytes: Uint8Array;
  readonly frames: readonly OutputFrame[];
  readonly isClosed: boolean;
  /** `VmOutput.close()` was called. */
  readonly isOutputClosed: boolean;
  /** The ErrorMessage, if one was written. */
  readonly error: pb.ErrorMessage | undefined;
  readonly errorMessage: string | undefined;
}

/** Talks to the vm after the initial request body, like a runtime in bidi mode. */
export interface Runtime {
  /** Feeds more frames (or raw bytes). */
  send(...frames: ReadonlyArray<Frame | Uint8Array>): void;
  /** Closes the request stream. */
  closeInput(): void;
  /** Output decoded so far. */
  output(): readonly OutputFrame[];
}

type Handler<T> = (vm: JournalVm, runtime: Runtime) => T;
type Chunker = (bytes: Uint8Array, isInitial: boolean) => Uint8Array[];

/**
 * Starts a case; the version defaults to 6. Cases default to explicit cancellation, so that a
 * suspension lists exactly what the case awaits (as the Appendix A captures do); cancellation
 * cases pass `explicitCancellation: false`, the engine's own default.
 */
export function journalCase(options: Partial<VmOptions> = {}): JournalCase {
  return new JournalCase({ version: 6, explicitCancellation: true, ...options });
}

export class JournalCase {
  readonly #options: VmOptions;
  readonly #steps: Array<Uint8Array | Partial<StartOptions>> = [];
  #entries = 0;
  #isInputClosed = false;
  #isExhaustive = false;

  constructor(options: VmOptions) {
    this.#options = options;
  }

  /** Appends a StartMessage (encoded at run time, so `knownEntries` can default to the count). */
  start(options: Partial<StartOptions> = {}): this {
    this.#steps.push(options);
    return this;
  }

  /** Appends a journal entry: the InputCommand. */
  input(frame: Frame): this {
    return this.#entry(frame);
  }

  /** Appends a replayed command. */
  command(frame: Frame): this {
    return this.#entry(frame);
  }

  /** Appends a notification (replayed, or live when past `knownEntries`). */
  notification(frame: Frame): this {
    return this.#entry(frame);
  }

  /** Appends a frame that does not count as a journal entry (acks, custom or bogus frames). */
  frame(frame: Frame): this {
    this.#steps.push(encodeFrame(frame.type, frame.payload, frame.flags));
    return this;
  }

  /** Appends raw bytes (hex allowed), e.g. a truncated frame. */
  bytes(bytes: Uint8Array | string): this {
    this.#steps.push(typeof bytes === "string" ? hex(bytes) : bytes);
    return this;
  }

  /** Closes the request stream after the body (request/response mode). */
  closeInput(): this {
    this.#isInputClosed = true;
    return this;
  }

  /** Splits the request at every byte offset instead of a sample (framing and reader tests). */
  exhaustiveSplits(): this {
    this.#isExhaustive = true;
    return this;
  }

  /** The request body this case feeds. */
  requestBytes(): Uint8Array {
    return concat(this.#steps.map((s) => (s instanceof Uint8Array ? s : this.#encodeStart(s))));
  }

  /** Runs the case under every chunking; throws if any chunking changes the output. */
  run<T = undefined>(handler?: Handler<T>): JournalResult<T> {
    const request = this.requestBytes();
    const variants: Array<[string, Chunker]> = [
      ["whole body", (b) => [b]],
      ["1-byte chunks", (b) => chunks(b, 1)],
      ["2-byte chunks", (b) => chunks(b, 2)],
    ];
    for (const at of this.#isExhaustive ? range(1, request.length) : this.#sampledSplits()) {
      variants.push([
        `split at byte ${at}`,
        (b, isInitial) => (isInitial ? [b.subarray(0, at), b.subarray(at)] : [b]),
      ]);
    }
    // One call site for every variant: stack traces in ErrorMessages must not differ.
    const [reference, ...others] = variants.map(([, chunker]) =>
      this.#runWith(request, chunker, handler),
    );
    others.forEach((other, i) => {
      const diff = differs(reference!, other);
      if (diff !== undefined)
        throw new Error(`Chunking (${variants[i + 1]![0]}) changed the ${diff}`);
    });
    return reference!;
  }

  /**
   * Where to split: both sides of every frame boundary and the middle of every header (where a
   * decoder can go wrong), plus a few offsets from a generator seeded by the request's length.
   */
  #sampledSplits(): number[] {
    const length = this.requestBytes().length;
    const offsets = new Set<number>();
    let boundary = 0;
    for (const step of this.#steps) {
      const size = step instanceof Uint8Array ? step.length : this.#encodeStart(step).length;
      for (const at of [boundary - 1, boundary + 1, boundary + 4, boundary + size - 1]) {
        offsets.add(at);
      }
      boundary += size;
    }
    let seed = length;
    for (let i = 0; i < 6; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      offsets.add(1 + (seed % Math.max(1, length - 1)));
    }
    return [...offsets].filter((at) => at >= 1 && at < length).sort((a, b) => a - b);
  }

  #entry(frame: Frame): this {
    this.#entries++;
    return this.frame(frame);
  }

  #encodeStart(o: Partial<StartOptions>): Uint8Array {
    const id = o.id ?? DEFAULT_INVOCATION_ID;
    const msg = create(pb.StartMessageSchema, {
      id: typeof id === "string" ? hex(id) : id,
      debugId: o.debugId ?? DEFAULT_DEBUG_ID,
      knownEntries: o.knownEntries ?? this.#entries,
      stateMap: Object.entries(o.state ?? {}).map(([key, value]) => ({
        key: new TextEncoder().encode(key),
        value: typeof value === "string" ? new TextEncoder().encode(value) : value,
      })),
      partialState: o.partialState ?? false,
      key: o.key ?? "",
      retryCountSinceLastStoredEntry: o.retryCount ?? 0,
      durationSinceLastStoredEntry: BigInt(o.durationMs ?? 0),
      randomSeed: o.seed ?? 0n,
      ...(o.scope !== undefined ? { scope: o.scope } : {}),
      ...(o.limitKey !== undefined ? { limitKey: o.limitKey } : {}),
      ...(o.idempotencyKey !== undefined ? { idempotencyKey: o.idempotencyKey } : {}),
    });
    return encodeFrame(MessageType.Start, toBinary(pb.StartMessageSchema, msg));
  }

  #runWith<T>(request: Uint8Array, chunker: Chunker, handler?: Handler<T>): JournalResult<T> {
    const written: Uint8Array[] = [];
    let isOutputClosed = false;
    const vm = new JournalVm(
      {
        write(bytes) {
          if (isOutputClosed) throw new Error(`write after close: ${toHex(bytes)}`);
          written.push(bytes.slice());
        },
        close() {
          isOutputClosed = true;
        },
      },
      { codec: LOADED_CODEC, ...this.#options },
    );
    const feed = (bytes: Uint8Array, isInitial: boolean) => {
      for (const chunk of chunker(bytes, isInitial)) vm.notifyInput(chunk);
    };
    feed(request, true);
    if (this.#isInputClosed) vm.notifyInputClosed();
    const runtime: Runtime = {
      send: (...frames) =>
        feed(concat(frames.map((f) => (f instanceof Uint8Array ? f : encodeOutFrame(f)))), false),
      closeInput: () => vm.notifyInputClosed(),
      output: () => decodeOutput(concat(written)),
    };
    let value: T | undefined;
    let thrown: unknown;
    try {
      value = handler?.(vm, runtime);
    } catch (e) {
      if (e === undefined || e !== vm.error) throw e;
      thrown = e;
    }
    const bytes = concat(written);
    const frames = decodeOutput(bytes);
    const errorFrame = frames.find((f) => f.type === MessageType.Error);
    const error = errorFrame?.message as pb.ErrorMessage | undefined;
    return {
      vm,
      value,
      thrown,
      bytes,
      frames,
      isClosed: vm.isClosed,
      isOutputClosed,
      error,
      errorMessage: error?.message,
    };
  }
}

function encodeOutFrame(frame: Frame): Uint8Array {
  return encodeFrame(frame.type, frame.payload, frame.flags);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function chunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Decodes a response body into frames with their messages (commands, control, notifications). */
export function decodeOutput(bytes: Uint8Array): OutputFrame[] {
  const decoder = new FrameDecoder();
  const frames = decoder.push(bytes);
  if (!decoder.isIdle) throw new Error(`output ends inside a frame: ${toHex(bytes)}`);
  return frames.map(({ type, flags, payload }) => {
    const schema =
      schemaOf(type) ?? (isNotificationType(type) ? pb.NotificationTemplateSchema : undefined);
    if (schema === undefined) throw new Error(`output holds unknown type 0x${type.toString(16)}`);
    return { type, flags, message: fromBinary(schema, payload) };
  });
}

function differs<T>(a: JournalResult<T>, b: JournalResult<T>): string | undefined {
  if (!equalBytes(a.bytes, b.bytes))
    return `output:\n${describeFrames(a.frames)}\nvs\n${describeFrames(b.frames)}`;
  if (a.isClosed !== b.isClosed) return "closed state";
  if (a.isOutputClosed !== b.isOutputClosed) return "output close";
  if (String(a.thrown) !== String(b.thrown))
    return `thrown error: ${String(a.thrown)} vs ${String(b.thrown)}`;
  if (a.vm.phase !== b.vm.phase) return `phase: ${a.vm.phase} vs ${b.vm.phase}`;
  const [x, y] = [stableString(a.value), stableString(b.value)];
  return x === y ? undefined : `handler result: ${x} vs ${y}`;
}

function describeFrames(frames: readonly OutputFrame[]): string {
  return frames.map((f) => `  ${messageTypeName(f.type)} ${stableString(f.message)}`).join("\n");
}

function stableString(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === "bigint" ? `${v}n` : v instanceof Uint8Array ? toHex(v) : v,
    ) ?? "undefined"
  );
}
