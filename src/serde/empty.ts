// SPDX-License-Identifier: MIT
import { TerminalError } from "../errors.js";
import type { Serde } from "./serde.js";

/**
 * The serde of "no value": it writes no bytes and refuses any it is given.
 *
 * It has no `contentType`, which tells Restate the handler takes or returns no body.
 *
 * @example
 * ```ts
 * const ping = service({
 *   name: "ping",
 *   handlers: { ping: handlers.handler({ input: serde.empty }, async () => {}) },
 * });
 * ```
 * @throws {TerminalError} code 400 from `deserialize` when the input is not empty.
 */
export const empty: Serde<void> = Object.freeze({
  serialize: (): Uint8Array => new Uint8Array(0),
  deserialize: (data: Uint8Array): void => {
    if (data.length > 0) throw new TerminalError("expected no input", { errorCode: 400 });
  },
});
