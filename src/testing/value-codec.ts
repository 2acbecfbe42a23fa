// SPDX-License-Identifier: MIT
// The environment's journal value codec where the test runtime itself reads or writes journaled
// values (ingress inputs and outputs, mocks, values the test resolves), as the Restate server sees
// them: encoded.
import type { JournalValueCodec } from "../serde/journal-value-codec.js";

/** Encodes and decodes journaled values; as is when the environment has no codec. */
export class EnvironmentCodec {
  readonly codec: JournalValueCodec | undefined;
  /** What every attempt awaits before it starts (one promise for the whole environment). */
  readonly ready: Promise<JournalValueCodec> | undefined;

  constructor(codec: JournalValueCodec | undefined) {
    this.codec = codec;
    this.ready = codec === undefined ? undefined : Promise.resolve(codec);
  }

  encode(bytes: Uint8Array): Uint8Array {
    return this.codec === undefined ? bytes : this.codec.encode(bytes);
  }

  decode(bytes: Uint8Array): Promise<Uint8Array> {
    return this.codec === undefined ? Promise.resolve(bytes) : this.codec.decode(bytes);
  }

  /**
   * The bytes for a synchronous read from the test (`env.output`, `env.state().get`, a workflow
   * promise's `peek`).
   *
   * @throws TypeError with a codec: its `decode` is asynchronous.
   */
  decodeNow(bytes: Uint8Array, what: string): Uint8Array {
    if (this.codec === undefined) return bytes;
    throw new TypeError(
      `${what} cannot read values through the journal value codec (its decode is asynchronous): ` +
        "read them through a handler or the ingress clients instead",
    );
  }
}
