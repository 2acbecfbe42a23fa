// SPDX-License-Identifier: MIT
// The VM's output, kept in order while the protobuf codec loads (codec.ts): a frame that needs the
// codec before it is installed is held, and so is everything written after it, the close too.
// If the codec fails to load, the held frames cannot be written at all: the VM abandons them and
// ends the output with an error frame built without the codec.
import type { ProtocolCodec, ProtocolCodecSlot } from "./codec.js";
import type { VmOutput } from "./vm-types.js";

/** Builds a frame with the protocol codec. */
export type EncodeFrame = (codec: ProtocolCodec) => Uint8Array;

/** Writes frames to a {@link VmOutput}, holding them from the first that needs the codec early. */
export class CodecOutput {
  readonly #output: VmOutput;
  readonly #slot: ProtocolCodecSlot;
  readonly #onUnavailable: (cause: Error) => void;
  /** The frames held until the codec is installed, in order; undefined while nothing is held. */
  #held: Array<Uint8Array | EncodeFrame> | undefined;
  #isCloseHeld = false;
  #isAbandoned = false;

  /** `onUnavailable` runs when the codec that held frames wait for fails to load. */
  constructor(output: VmOutput, slot: ProtocolCodecSlot, onUnavailable: (cause: Error) => void) {
    this.#output = output;
    this.#slot = slot;
    this.#onUnavailable = onUnavailable;
  }

  /** True while frames wait for the codec. */
  get isHolding(): boolean {
    return this.#held !== undefined;
  }

  /** Writes a frame built without the codec. */
  write(frame: Uint8Array): void {
    if (this.#isAbandoned) return;
    if (this.#held !== undefined) this.#held.push(frame);
    else this.#output.write(frame);
  }

  /** Writes the frame `encode` builds with the codec: now, or once the codec is installed. */
  encode(encode: EncodeFrame): void {
    if (this.#isAbandoned) return;
    if (this.#held === undefined) {
      const codec = this.#slot.loaded;
      if (codec !== undefined) {
        this.#output.write(encode(codec));
        return;
      }
      this.#held = [];
      this.#slot.with(
        (loaded) => this.#release(loaded),
        (cause) => this.#onUnavailable(cause),
      );
    }
    this.#held.push(encode);
  }

  /** Closes the output after the frames written so far. */
  close(): void {
    if (this.#isAbandoned) return;
    if (this.#held !== undefined) this.#isCloseHeld = true;
    else this.#output.close();
  }

  /**
   * Drops the held frames, writes `last` (built without the codec) and closes; everything after
   * is ignored.
   */
  abandon(last: Uint8Array): void {
    if (this.#isAbandoned) return;
    this.#isAbandoned = true;
    this.#held = undefined;
    this.#output.write(last);
    this.#output.close();
  }

  #release(codec: ProtocolCodec): void {
    if (this.#isAbandoned) return;
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const frame of held)
      this.#output.write(typeof frame === "function" ? frame(codec) : frame);
    if (this.#isCloseHeld) this.#output.close();
  }
}
