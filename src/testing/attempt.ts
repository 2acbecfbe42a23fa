// SPDX-License-Identifier: MIT
// One attempt of an invocation, driven exactly like the HTTP endpoint drives it: the journal goes
// into `startInvocation` as request bytes, the frames it writes come back out. Nothing here knows
// what the frames mean beyond the three terminators.
import { fromBinary } from "@bufbuild/protobuf";
import * as pb from "../journal/gen/protocol_pb.js";
import { type Frame, FrameDecoder } from "../journal/framing.js";
import { MessageType } from "../journal/message-types.js";
import { leafKey } from "./journal-store.js";
import {
  type InvocationInput,
  type InvocationParams,
  startInvocation,
} from "../context/invocation.js";
import type { AttemptFailure, Invocation } from "./invocation.js";

/** How an attempt ended. */
export type AttemptEnd =
  | { readonly kind: "end" }
  | { readonly kind: "suspension"; readonly awaiting: readonly string[] }
  | { readonly kind: "error"; readonly error: pb.ErrorMessage }
  /** Stopped by the runtime (kill, injected crash, injected run failure). */
  | { readonly kind: "aborted"; readonly reason: string }
  /** The SDK closed its output without a terminator. */
  | { readonly kind: "closed" };

/** The runtime side of an attempt. */
export interface AttemptHost<O = Invocation> {
  /** A command or run proposal the attempt wrote, in order. */
  frame(attempt: Attempt<O>, frame: Frame): void;
  /** The attempt is over; called exactly once, after every frame. */
  ended(attempt: Attempt<O>, end: AttemptEnd): void;
}

/** A running attempt of invocation `O`: its input (to push notifications) and its output. */
export class Attempt<O = Invocation> {
  readonly invocation: O;
  readonly #host: AttemptHost<O>;
  readonly #decoder = new FrameDecoder();
  readonly #queue: Frame[] = [];
  #input: InvocationInput | undefined;
  #terminator: AttemptEnd | undefined;
  #isOutputEnded = false;
  #isDrainScheduled = false;
  #isInputOpen = true;
  #isDone = false;

  constructor(host: AttemptHost<O>, invocation: O) {
    this.#host = host;
    this.invocation = invocation;
  }

  /** Feeds the StartMessage and journal; request/response mode closes the input right after. */
  start(
    params: InvocationParams,
    request: readonly Uint8Array[],
    mode: "bidi" | "request-response",
  ): void {
    this.#input = startInvocation(params, {
      write: (chunk) => {
        for (const frame of this.#decoder.push(chunk)) this.#queue.push(frame);
        this.#scheduleDrain();
      },
      end: () => {
        this.#isOutputEnded = true;
        this.#scheduleDrain();
      },
    });
    for (const chunk of request) this.#input.push(chunk);
    if (mode === "request-response") this.endInput();
  }

  /** True while notifications can still be pushed to the attempt. */
  get isInputOpen(): boolean {
    return this.#isInputOpen && !this.#isDone;
  }

  get isDone(): boolean {
    return this.#isDone;
  }

  /** Pushes a frame (bidi mode); ignored once the input is closed. */
  push(frame: Uint8Array): void {
    if (this.isInputOpen) this.#input?.push(frame);
  }

  /** Closes the request stream: the attempt suspends as soon as it is blocked. */
  endInput(): void {
    if (!this.#isInputOpen) return;
    this.#isInputOpen = false;
    if (!this.#isDone) this.#input?.end();
  }

  /** Kills the attempt: nothing it writes from now on is stored. */
  abort(reason: string): void {
    if (this.#isDone) return;
    this.#isDone = true;
    this.#queue.length = 0;
    this.#input?.abort(new Error(reason));
    queueMicrotask(() => this.#host.ended(this, { kind: "aborted", reason }));
  }

  #scheduleDrain(): void {
    if (this.#isDrainScheduled) return;
    this.#isDrainScheduled = true;
    // Frames are handled in a microtask, never inside the engine's own write call.
    queueMicrotask(this.#drain);
  }

  readonly #drain = (): void => {
    this.#isDrainScheduled = false;
    while (this.#queue.length > 0 && !this.#isDone) {
      const frame = this.#queue.shift()!;
      const end = terminator(frame);
      if (end !== undefined) this.#terminator ??= end;
      else if (this.#terminator === undefined) this.#host.frame(this, frame);
    }
    if (this.#isOutputEnded && !this.#isDone) {
      this.#isDone = true;
      this.#host.ended(this, this.#terminator ?? { kind: "closed" });
    }
  };
}

function terminator(frame: Frame): AttemptEnd | undefined {
  switch (frame.type) {
    case MessageType.End:
      return { kind: "end" };
    case MessageType.Error:
      return { kind: "error", error: fromBinary(pb.ErrorMessageSchema, frame.payload) };
    case MessageType.Suspension:
      return { kind: "suspension", awaiting: suspendedOn(frame.payload) };
    default:
      return undefined;
  }
}

/** The leaf keys of a SuspensionMessage: the flat V5/V6 lists, or every leaf of a V7 future. */
function suspendedOn(payload: Uint8Array): string[] {
  const msg = fromBinary(pb.SuspensionMessageSchema, payload);
  const keys: string[] = [];
  const collect = (f: {
    waitingCompletions: number[];
    waitingSignals: number[];
    waitingNamedSignals: string[];
  }) => {
    for (const id of f.waitingCompletions) keys.push(leafKey({ kind: "completion", id }));
    for (const id of f.waitingSignals) keys.push(leafKey({ kind: "signal", id }));
    for (const id of f.waitingNamedSignals) keys.push(leafKey({ kind: "named", id }));
  };
  collect(msg);
  const walk = (future: pb.Future | undefined): void => {
    if (future === undefined) return;
    collect(future);
    future.nestedFutures.forEach(walk);
  };
  walk(msg.awaitingOn);
  return keys;
}

/** The failure an attempt's ErrorMessage reports (`attempt` and `at` are the runtime's to add). */
export function failureOfError(error: pb.ErrorMessage): Omit<AttemptFailure, "attempt" | "at"> {
  return {
    code: error.code,
    message: error.message,
    ...(error.stacktrace ? { stacktrace: error.stacktrace } : {}),
    relatedCommand: {
      ...(error.relatedCommandIndex !== undefined ? { index: error.relatedCommandIndex } : {}),
      ...(error.relatedCommandType !== undefined ? { type: error.relatedCommandType } : {}),
      ...(error.relatedCommandName !== undefined ? { name: error.relatedCommandName } : {}),
    },
    ...(error.nextRetryDelay !== undefined ? { nextRetryDelay: Number(error.nextRetryDelay) } : {}),
  };
}
