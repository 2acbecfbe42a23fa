// SPDX-License-Identifier: MIT
// Failures the test runtime reports to the test (they are not Restate terminal errors).
import type { AttemptFailure } from "./invocation.js";
import { messageTypeName } from "../journal/message-types.js";

/**
 * The handler no longer produces the journal it produced before (journal mismatch, code 570):
 * replaying it took a different path. The message is the engine's, showing the journaled command
 * and the one the handler produced side by side.
 *
 * @example
 * await expect(env.serviceClient(svc).flaky()).rejects.toThrow(NonDeterminismError);
 */
export class NonDeterminismError extends Error {
  override name = "NonDeterminismError";
  readonly code = 570;
  readonly invocationId: string;
  /** Index of the mismatching command (InputCommand = 0). */
  readonly commandIndex: number | undefined;
  /** Type of the journaled command at that index, e.g. `RunCommand`. */
  readonly commandType: string | undefined;
  /** Name of the journaled command at that index, if it has one. */
  readonly commandName: string | undefined;

  constructor(invocationId: string, failure: AttemptFailure) {
    super(`Invocation ${invocationId}: ${failure.message}`);
    this.invocationId = invocationId;
    const related = failure.relatedCommand;
    this.commandIndex = related?.index;
    this.commandType = related?.type !== undefined ? messageTypeName(related.type) : undefined;
    this.commandName = related?.name;
  }
}

/**
 * The invocation exhausted its retry policy and was paused (the server's default after 70
 * attempts); `failures` holds every failed attempt. `env.resume(id)` tries again.
 *
 * @example
 * await expect(env.result(handle)).rejects.toBeInstanceOf(InvocationPausedError);
 */
export class InvocationPausedError extends Error {
  override name = "InvocationPausedError";
  readonly invocationId: string;
  readonly failures: readonly AttemptFailure[];

  constructor(invocationId: string, failures: readonly AttemptFailure[]) {
    const last = failures[failures.length - 1];
    super(
      `Invocation ${invocationId} was paused after ${failures.length} failed attempts; ` +
        `last failure: [${last?.code ?? 500}] ${last?.message ?? "unknown"}`,
    );
    this.invocationId = invocationId;
    this.failures = failures;
  }
}
