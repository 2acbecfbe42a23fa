// SPDX-License-Identifier: MIT
// The types around one JournalVm: its options, its output, what it reports.
import type { ProtocolCodecSlot } from "./codec.js";
import type { ErrorBehavior } from "./errors.js";

/** Where the machine writes its frames. */
export interface VmOutput {
  write(bytes: Uint8Array): void;
  close(): void;
}

/** Negotiated protocol version. */
export type ProtocolVersion = 5 | 6 | 7;

/** Options of one attempt. */
export interface VmOptions {
  readonly version: ProtocolVersion;
  readonly maxMessageSize?: number;
  /** Compare payload bytes on replay (off for non-deterministic serdes). */
  readonly checkPayloads?: boolean;
  /** The handler observes the cancel signal itself: awaits are not cancelled implicitly. */
  readonly explicitCancellation?: boolean;
  /** What the runtime does after a journal mismatch (570): V7 only; default retry. */
  readonly onJournalMismatch?: ErrorBehavior;
  /** Where the protobuf codec comes from (default: the process's slot). */
  readonly codec?: ProtocolCodecSlot;
}

/** What the StartMessage told us. */
export interface StartInfo {
  readonly id: Uint8Array;
  readonly debugId: string;
  readonly key: string;
  readonly knownEntries: number;
  readonly retryCount: number;
  readonly durationMs: number;
  readonly randomSeed: bigint;
  /** V7: the scope the invocation was started in (none before V7). */
  readonly scope: string | undefined;
  /** V7: the concurrency limit key it was started with. */
  readonly limitKey: string | undefined;
  /** V7: its idempotency key (runtime 1.7.12 does not send it yet). */
  readonly idempotencyKey: string | undefined;
}

/** The lifecycle phases (docs/protocol.md §4.1). */
export type Phase = "WaitingStart" | "WaitingReplay" | "Replaying" | "Processing" | "Closed";
