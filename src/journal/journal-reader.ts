// SPDX-License-Identifier: MIT
// The input side of an attempt (PROTOCOL.md §4.1): frames from the runtime, the StartMessage, the
// journal to replay, and every notification, live or journaled. The VM consumes what it collects.
import { fromBinary } from "@bufbuild/protobuf";
import * as pb from "./gen/protocol_pb.js";
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
import { type StartFields, decodeStart } from "./hot-codec.js";

/** How far the input has got: the StartMessage, then the journal, then live input. */
export type ReaderPhase = "WaitingStart" | "WaitingReplay" | "Ready";

/** Reads one attempt's input; reports the first protocol error and then reads nothing more. */
export class JournalReader {
  readonly notifications = new NotificationTable();
  /** The journaled commands, in order (InputCommand first). */
  readonly commands: Frame[] = [];
  phase: ReaderPhase = "WaitingStart";
  start: StartFields | undefined;
  isInputClosed = false;
  private readonly decoder: FrameDecoder;
  private remainingEntries = 0;
  /** V7 run acks: the proposed result for a completion id (undefined: not proposed, or < V7). */
  private readonly takeProposal: (completionId: number) => NotificationResult | undefined;
  private readonly acceptsAcks: boolean;

  constructor(options: {
    readonly maxMessageSize: number | undefined;
    readonly acceptsAcks: boolean;
    readonly takeProposal: (completionId: number) => NotificationResult | undefined;
  }) {
    this.decoder = new FrameDecoder(
      options.maxMessageSize !== undefined ? { maxMessageSize: options.maxMessageSize } : {},
    );
    this.acceptsAcks = options.acceptsAcks;
    this.takeProposal = options.takeProposal;
  }

  /** Reads bytes (any chunking); returns the first protocol error they contain. */
  push(chunk: Uint8Array): ProtocolError | undefined {
    let frames: Frame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      return e instanceof FrameTooLargeError
        ? protocolErrors.frameTooLarge(e.declaredLength, e.maxMessageSize)
        : protocolErrors.malformedMessage("frame", e);
    }
    for (const frame of frames) {
      try {
        this.onFrame(frame);
      } catch (e) {
        return e instanceof ProtocolError
          ? e
          : protocolErrors.malformedMessage(messageTypeName(frame.type), e);
      }
    }
    return undefined;
  }

  /** The runtime closed its stream: an error when that cut a frame, the start or the journal. */
  close(): ProtocolError | undefined {
    this.isInputClosed = true;
    if (!this.decoder.isIdle) return protocolErrors.truncatedFrame(this.decoder.bufferedBytes);
    if (this.phase === "WaitingStart") return protocolErrors.inputClosedEarly(0, 1);
    if (this.phase === "WaitingReplay") {
      const expected = this.start?.knownEntries ?? 0;
      return protocolErrors.inputClosedEarly(expected - this.remainingEntries, expected);
    }
    return undefined;
  }

  private onFrame(frame: Frame): void {
    const { type } = frame;
    if (this.phase === "WaitingStart") {
      if (type !== MessageType.Start)
        throw protocolErrors.unexpectedMessage(messageTypeName(type), "waiting for StartMessage");
      this.onStart(decodeStart(frame.payload));
      return;
    }
    // Unknown ids cannot be decoded, whatever the phase (PROTOCOL.md §3: code 500).
    if (!isKnownMessageType(type)) throw protocolErrors.unknownMessageType(type);
    if (this.phase === "WaitingReplay") {
      if (isCommandType(type)) this.commands.push(frame);
      else if (isNotificationType(type)) this.addNotification(frame);
      else throw protocolErrors.unexpectedMessage(messageTypeName(type), "receiving the journal");
      if (--this.remainingEntries === 0) this.onJournalComplete();
      return;
    }
    if (isNotificationType(type)) {
      this.addNotification(frame);
    } else if (type === MessageType.ProposeRunCompletionAck && this.acceptsAcks) {
      const { completionId } = fromBinary(pb.ProposeRunCompletionAckMessageSchema, frame.payload);
      const proposed = this.takeProposal(completionId);
      if (proposed === undefined) throw protocolErrors.unexpectedAck(completionId);
      this.notifications.add({ kind: "completion", id: completionId }, proposed);
    } else if (type < 0xfc00) {
      // Custom entries (0xFC00 and up) are opaque to the runtime and to us; anything else is not.
      throw protocolErrors.unexpectedMessage(messageTypeName(type), "executing");
    }
  }

  private addNotification(frame: Frame): void {
    const { leaf, result } = decodeNotification(frame.type, frame.payload);
    this.notifications.add(leaf, result);
  }

  private onStart(start: StartFields): void {
    if (start.knownEntries === 0) throw protocolErrors.knownEntriesZero();
    this.start = start;
    this.remainingEntries = start.knownEntries;
    this.phase = "WaitingReplay";
  }

  private onJournalComplete(): void {
    const first = this.commands[0];
    if (first?.type !== CommandType.Input) {
      throw protocolErrors.firstEntryNotInput(
        first === undefined ? "no command" : messageTypeName(first.type),
      );
    }
    this.phase = "Ready";
  }
}
