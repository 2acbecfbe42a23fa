// SPDX-License-Identifier: MIT
// The environment's journal value codec where the test runtime itself reads or writes journaled
// values (ingress inputs and outputs, mocks, values the test resolves), as the Restate server sees
// them: encoded. Every value encoded in the environment (by a handler or by the test) is remembered
// next to its encoding, so the test's synchronous reads (`env.output()`, `env.state().get`, a
// workflow promise's `peek()`) need no asynchronous decode.
import type { JournalValueCodec } from "../serde/journal-value-codec.js";

/** The bytes as a string, one character per byte: a map key for their content. */
function keyOf(bytes: Uint8Array): string {
  let key = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    key += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return key;
}

/** Encodes and decodes journaled values; as is when the environment has no codec. */
export class EnvironmentCodec {
  /** The provider's codec, remembering what it encodes; undefined without one. */
  readonly codec: JournalValueCodec | undefined;
  /** What every attempt awaits before it starts (one promise for the whole environment). */
  readonly ready: Promise<JournalValueCodec> | undefined;
  /** Each encoding made in this environment → the bytes it encoded. */
  readonly #encoded = new Map<string, Uint8Array>();

  constructor(codec: JournalValueCodec | undefined) {
    this.codec =
      codec === undefined
        ? undefined
        : {
            encode: (bytes) => {
              const encoded = codec.encode(bytes);
              this.#encoded.set(keyOf(encoded), bytes.slice());
              return encoded;
            },
            decode: (bytes) => codec.decode(bytes),
          };
    this.ready = this.codec === undefined ? undefined : Promise.resolve(this.codec);
  }

  encode(bytes: Uint8Array): Uint8Array {
    return this.codec === undefined ? bytes : this.codec.encode(bytes);
  }

  decode(bytes: Uint8Array): Promise<Uint8Array> {
    return this.codec === undefined ? Promise.resolve(bytes) : this.codec.decode(bytes);
  }

  /**
   * The bytes for a synchronous read from the test (`env.output`, `env.state().get`, a workflow
   * promise's `peek`): with a codec, what was encoded into `bytes` in this environment.
   *
   * @throws TypeError with a codec, for bytes not encoded in this environment (its `decode` is
   * asynchronous, so a synchronous read cannot use it).
   */
  decodeNow(bytes: Uint8Array, what: string): Uint8Array {
    if (this.codec === undefined) return bytes;
    const plain = this.#encoded.get(keyOf(bytes));
    if (plain !== undefined) return plain;
    throw new TypeError(
      `${what} cannot read a value that was not encoded in this environment (the journal value ` +
        "codec's decode is asynchronous): read it through a handler or the ingress clients instead",
    );
  }
}
