// SPDX-License-Identifier: MIT
// Engine failures. Every failure the engine reports goes through one of these constructors so the
// codes and wording stay consistent (docs/protocol.md §8.1).

/** Error codes the engine reports to the runtime. */
export const ErrorCode = {
  Internal: 500,
  UnsupportedMediaType: 415,
  JournalMismatch: 570,
  ProtocolViolation: 571,
  UnsupportedFeature: 573,
} as const;

/** The command an error relates to, reported back to the runtime. */
export interface RelatedCommand {
  readonly index: number;
  readonly type: number;
  readonly name?: string;
}

/**
 * What the runtime does after the ErrorMessage: retry (the only meaning before V7), pause the
 * invocation, or fail it (docs/protocol.md §8.3).
 */
export type ErrorBehavior = "retry" | "pause" | "fail";

/** The options of a {@link ProtocolError}. */
export interface ProtocolErrorOptions {
  readonly relatedCommand?: RelatedCommand;
  readonly nextRetryDelayMs?: number;
  /** The stacktrace the ErrorMessage carries instead of this error's own; `""` for none. */
  readonly stack?: string;
  /** Defaults to `"retry"`; anything else needs V7. */
  readonly behavior?: ErrorBehavior;
}

/** An engine failure: it ends the attempt with an ErrorMessage (the runtime retries by default). */
export class ProtocolError extends Error {
  readonly code: number;
  readonly relatedCommand: RelatedCommand | undefined;
  readonly nextRetryDelayMs: number | undefined;
  readonly behavior: ErrorBehavior;

  constructor(code: number, message: string, options: ProtocolErrorOptions = {}) {
    super(message);
    this.name = "ProtocolError";
    this.code = code;
    this.relatedCommand = options.relatedCommand;
    this.nextRetryDelayMs = options.nextRetryDelayMs;
    this.behavior = options.behavior ?? "retry";
    if (options.stack !== undefined) this.stack = options.stack;
  }
}

/** The same failure, with another behavior (what a handler's options ask for a mismatch). */
export function withBehavior(error: ProtocolError, behavior: ErrorBehavior): ProtocolError {
  if (error.behavior === behavior) return error;
  return new ProtocolError(error.code, error.message, {
    ...definedOptions({
      relatedCommand: error.relatedCommand,
      nextRetryDelayMs: error.nextRetryDelayMs,
      stack: error.stack,
    }),
    behavior,
  });
}

/** Thrown by engine operations once the attempt is over; user code must not catch it for good. */
export class ClosedError extends Error {
  readonly reason: "ended" | "suspended" | "failed";

  constructor(reason: "ended" | "suspended" | "failed") {
    super(`The invocation attempt is ${reason}; no further operations are possible.`);
    this.reason = reason;
    this.name = "ClosedError";
  }
}

/**
 * A failure found in what the runtime sent, not in what the handler did. It carries no
 * stacktrace: its stack would show only the engine reading its input (and the deployment's file
 * paths), and the official SDK's core sends none for these either. Handler-made failures
 * (mismatches, unsupported calls) keep theirs: it names the handler's line.
 */
function inputError(code: number, message: string): ProtocolError {
  return new ProtocolError(code, message, { stack: "" });
}

/** A protocol violation (571): the runtime sent something the protocol does not allow here. */
function violation(message: string): ProtocolError {
  return inputError(ErrorCode.ProtocolViolation, message);
}

/** A journal mismatch (570) at `related`: the handler no longer replays its journal. */
function mismatch(related: RelatedCommand, detail: string): ProtocolError {
  return new ProtocolError(
    ErrorCode.JournalMismatch,
    `Journal mismatch at command #${related.index}: ${detail}`,
    { relatedCommand: related },
  );
}

/** The options with only the fields that are set (`exactOptionalPropertyTypes`). */
function definedOptions(options: {
  readonly [K in keyof ProtocolErrorOptions]?: ProtocolErrorOptions[K] | undefined;
}): ProtocolErrorOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/** The catalogue of protocol errors. */
export const protocolErrors = {
  unexpectedMessage: (what: string, phase: string) =>
    violation(`Unexpected ${what} while ${phase}`),
  malformedMessage: (what: string, cause: unknown) =>
    violation(`Malformed ${what}: ${cause instanceof Error ? cause.message : String(cause)}`),
  unknownMessageType: (type: number) =>
    inputError(
      ErrorCode.Internal,
      `Unknown message type 0x${type.toString(16).padStart(4, "0")}: cannot decode it`,
    ),
  knownEntriesZero: () => violation("StartMessage.known_entries must be >= 1"),
  inputClosedEarly: (received: number, expected: number) =>
    violation(`Input closed after ${received} of ${expected} journal entries`),
  truncatedFrame: (buffered: number) =>
    violation(`Input closed in the middle of a frame (${buffered} bytes buffered)`),
  frameTooLarge: (declared: number, max: number) =>
    violation(`Frame of ${declared} bytes exceeds the maximum message size of ${max} bytes`),
  firstEntryNotInput: (actual: string) =>
    violation(`The journal must start with an InputCommand, found ${actual}`),
  unexpectedAck: (completionId: number) =>
    violation(
      `ProposeRunCompletionAck for completion ${completionId}, which this attempt did not propose`,
    ),
  unsupportedFeature: (feature: string, version: number, related?: RelatedCommand) =>
    new ProtocolError(
      ErrorCode.UnsupportedFeature,
      `${feature} is not supported by service protocol V${version}`,
      definedOptions({ relatedCommand: related }),
    ),
  emptyCallField: (field: string, related?: RelatedCommand) =>
    new ProtocolError(
      ErrorCode.Internal,
      `The ${field} of a call must not be empty: leave it out instead`,
      definedOptions({ relatedCommand: related }),
    ),
  /** The protocol codec failed to load (a packaging fault): retryable, a later load may work. */
  codecUnavailable: (cause: Error) =>
    new ProtocolError(
      ErrorCode.Internal,
      `The protocol codec (protobuf-es, loaded on first need) failed to load: ${cause.message}. ` +
        "Check that the deployment includes restate-hono's journal/protocol-codec module and " +
        "@bufbuild/protobuf; the runtime retries the invocation, which loads it again.",
    ),
  journalMismatch: (related: RelatedCommand, expected: string, actual: string) =>
    mismatch(
      related,
      "the handler's code no longer produces the journaled command.\n" +
        `  journaled: ${expected}\n  handler:   ${actual}`,
    ),
  repeatedCompletionId: (related: RelatedCommand, id: number, firstIndex: number) =>
    mismatch(
      related,
      `completion id ${id} is already taken by command #${firstIndex}; a handler allocates ` +
        "every completion id once, so no handler can replay this journal",
    ),
  awaitNeverSettled: (related: RelatedCommand, awaited: string, next: string) =>
    mismatch(
      related,
      `the handler waits on ${awaited}, which the journal never settles, yet the journal goes ` +
        `on with ${next}. The code probably added an await since the journal was written.`,
    ),
} as const;
