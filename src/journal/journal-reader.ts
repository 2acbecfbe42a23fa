// SPDX-License-Identifier: MIT
// The input side of an attempt (docs/protocol.md §4.1): frames from the runtime, the StartMessage, the
// journal to replay, and every notification, live or journaled. The VM consumes what it collects.
import type { DescMessage, Message } from "@bufbuild/protobuf";
import type { ProtocolCodec, ProtocolCodecSlot } from "./codec.js";
import { FrameDecoder, FrameTooLargeError, type Frame } from "./framing.js";
import { ProtocolError, protocolErrors } from "./errors.js";
import { type NotificationResult, NotificationTable } from "./futures.js";
import {
  CommandType,
  MessageType,
  isCommandType,
  isKnownMessageType,
  isNotificationType,
  messageTypeName,
} from "./message-types.js";
import { decodeNotification } from "./notification.js";
import { type StartFields, decodeRunCommand, decodeStart } from "./hot-codec.js";
import { type JournaledCommand, entryName } from "./replay.js";

/**
 * How far the input has got: the StartMessage, then the journal, then live input. A journal with
 * commands to replay waits for the protobuf codec when it is not loaded yet (`WaitingCodec`).
 */
export type ReaderPhase = "WaitingStart" | "WaitingReplay" | "WaitingCodec" | "Ready";

/** Reads one attempt's input; reports the first protocol error and then reads nothing more. */
export class JournalReader {
  readonly notifications = new NotificationTable();
  phase: ReaderPhase = "WaitingStart";
  start: StartFields | undefined;
  isInputClosed = false;
  readonly #decoder: FrameDecoder;
  #remainingEntries = 0;
  /** The journaled frames while they arrive, then the commands still to replay, in order. */
  #frames: Frame[] = [];
  #commands: Array<JournaledCommand | undefined> = [];
  #replayHead = 0;
  /** V7 run acks: the proposed result for a completion id (undefined: not proposed, or < V7). */
  readonly #takeProposal: (completionId: number) => NotificationResult | undefined;
  readonly #acceptsAcks: boolean;
  readonly #codec: ProtocolCodecSlot;

  constructor(options: {
    readonly maxMessageSize: number | undefined;
    readonly acceptsAcks: boolean;
    readonly codec: ProtocolCodecSlot;
    readonly takeProposal: (completionId: number) => NotificationResult | undefined;
  }) {
    this.#decoder = new FrameDecoder(
      options.maxMessageSize !== undefined ? { maxMessageSize: options.maxMessageSize } : {},
    );
    this.#acceptsAcks = options.acceptsAcks;
    this.#takeProposal = options.takeProposal;
    this.#codec = options.codec;
  }

  /** Reads bytes (any chunking); returns the first protocol error they contain. */
  push(chunk: Uint8Array): ProtocolError | undefined {
    let frames: Frame[];
    try {
      frames = this.#decoder.push(chunk);
    } catch (e) {
      return e instanceof FrameTooLargeError
        ? protocolErrors.frameTooLarge(e.declaredLength, e.maxMessageSize)
        : protocolErrors.malformedMessage("frame", e);
    }
    for (const frame of frames) {
      try {
        this.#onFrame(frame);
      } catch (e) {
        return e instanceof ProtocolError
          ? e
          : protocolErrors.malformedMessage(messageTypeName(frame.type), e);
      }
    }
    return undefined;
  }

  /** True while journaled commands remain to be replayed. */
  get hasCommands(): boolean {
    return this.#replayHead < this.#commands.length;
  }

  /** The next journaled command, left in place. */
  peekCommand(): JournaledCommand | undefined {
    return this.#commands[this.#replayHead];
  }

  /** The next journaled command, consumed: a long journal is not kept once replayed. */
  takeCommand(): JournaledCommand | undefined {
    const command = this.#commands[this.#replayHead];
    if (command !== undefined) this.#commands[this.#replayHead++] = undefined;
    return command;
  }

  /** The runtime closed its stream: an error when that cut a frame, the start or the journal. */
  close(): ProtocolError | undefined {
    this.isInputClosed = true;
    if (!this.#decoder.isIdle) return protocolErrors.truncatedFrame(this.#decoder.bufferedBytes);
    if (this.phase === "WaitingStart") return protocolErrors.inputClosedEarly(0, 1);
    if (this.phase === "WaitingReplay") {
      const expected = this.start?.knownEntries ?? 0;
      return protocolErrors.inputClosedEarly(expected - this.#remainingEntries, expected);
    }
    return undefined;
  }

  #onFrame(frame: Frame): void {
    const { type } = frame;
    if (this.phase === "WaitingStart") {
      if (type !== MessageType.Start)
        throw protocolErrors.unexpectedMessage(messageTypeName(type), "waiting for StartMessage");
      this.#onStart(decodeStart(frame.payload));
      return;
    }
    // Unknown ids cannot be decoded, whatever the phase (docs/protocol.md §3: code 500).
    if (!isKnownMessageType(type)) throw protocolErrors.unknownMessageType(type);
    if (this.phase === "WaitingReplay") {
      if (isCommandType(type)) this.#frames.push(frame);
      else if (isNotificationType(type)) this.#addNotification(frame);
      else throw protocolErrors.unexpectedMessage(messageTypeName(type), "receiving the journal");
      if (--this.#remainingEntries === 0) this.#onJournalArrived();
      return;
    }
    // While the journal waits for the codec, live input is taken as it is once replay is ready.
    if (isNotificationType(type)) {
      this.#addNotification(frame);
    } else if (type === MessageType.ProposeRunCompletionAck && this.#acceptsAcks) {
      // An ack answers a proposal, and proposals are only written once the codec is loaded.
      const { fromBinary, pb } = this.#codec.require();
      const { completionId } = fromBinary(pb.ProposeRunCompletionAckMessageSchema, frame.payload);
      const proposed = this.#takeProposal(completionId);
      if (proposed === undefined) throw protocolErrors.unexpectedAck(completionId);
      this.notifications.add({ kind: "completion", id: completionId }, proposed);
    } else if (type < 0xfc00) {
      // Custom entries (0xFC00 and up) are opaque to the runtime and to us; anything else is not.
      throw protocolErrors.unexpectedMessage(messageTypeName(type), "executing");
    }
  }

  #addNotification(frame: Frame): void {
    const { leaf, result } = decodeNotification(frame.type, frame.payload);
    this.notifications.add(leaf, result);
  }

  #onStart(start: StartFields): void {
    if (start.knownEntries === 0) throw protocolErrors.knownEntriesZero();
    this.start = start;
    this.#remainingEntries = start.knownEntries;
    this.phase = "WaitingReplay";
  }

  /** The journal has arrived: it must start with the InputCommand; the rest is decoded next. */
  #onJournalArrived(): void {
    const first = this.#frames[0];
    if (first?.type !== CommandType.Input) {
      throw protocolErrors.firstEntryNotInput(
        first === undefined ? "no command" : messageTypeName(first.type),
      );
    }
    const codec = this.#codec.loaded;
    if (this.#frames.length === 1 || codec !== undefined) this.#decodeJournal(codec);
    else this.phase = "WaitingCodec";
  }

  /**
   * Decodes a journal that waited for the codec (phase `WaitingCodec`); returns the protocol error
   * it holds, if any.
   */
  decodeWithCodec(): ProtocolError | undefined {
    const codec = this.#codec.loaded;
    if (this.phase !== "WaitingCodec" || codec === undefined) return undefined;
    try {
      this.#decodeJournal(codec);
      return undefined;
    } catch (e) {
      return e instanceof ProtocolError ? e : protocolErrors.malformedMessage("journal", e);
    }
  }

  /**
   * Checks the journal before any handler code runs: every command decodes, and no two commands
   * claim the same completion id (a handler allocates each id once, so such a journal is one no
   * handler can replay: 570, like any mismatch). The codec is only needed past the InputCommand.
   */
  #decodeJournal(codec: ProtocolCodec | undefined): void {
    const frames = this.#frames;
    this.#frames = [];
    const input = frames[0]!;
    const commands: JournaledCommand[] = [
      { type: input.type, payload: input.payload, message: undefined },
    ];
    const owners = new CompletionOwners();
    for (let index = 1; index < frames.length; index++) {
      const { type, payload } = frames[index]!;
      const message = decodeCommand(codec!, type, payload);
      commands.push({ type, payload, message });
      const { resultCompletionId, invocationIdNotificationIdx } = (message ?? {}) as {
        resultCompletionId?: unknown;
        invocationIdNotificationIdx?: unknown;
      };
      owners.claim(invocationIdNotificationIdx, index, type, message);
      owners.claim(resultCompletionId, index, type, message);
    }
    this.#commands = commands;
    this.phase = "Ready";
  }
}

/** Which command allocated each completion id so far (0 is no id: completion ids start at 1). */
class CompletionOwners {
  readonly #owners = new Map<number, number>();

  /** Records `id` (when it is one) as command `index`'s; throws the 570 if it is taken. */
  claim(id: unknown, index: number, type: number, message: Message | undefined): void {
    if (typeof id !== "number" || id <= 0) return;
    const owner = this.#owners.get(id);
    if (owner !== undefined) {
      const name = entryName(message);
      throw protocolErrors.repeatedCompletionId(
        { index, type, ...(name ? { name } : {}) },
        id,
        owner,
      );
    }
    this.#owners.set(id, index);
  }
}

function decodeCommand(
  codec: ProtocolCodec,
  type: number,
  payload: Uint8Array,
): Message | undefined {
  // Most of a long journal is runs: their plain form needs no generic decoder.
  if (type === CommandType.Run) {
    const run = decodeRunCommand(payload);
    if (run !== undefined) return run;
  }
  const schema = (codec.commands as Readonly<Record<number, DescMessage | undefined>>)[type];
  try {
    return schema && codec.fromBinary(schema, payload);
  } catch (e) {
    throw protocolErrors.malformedMessage(messageTypeName(type), e);
  }
}
