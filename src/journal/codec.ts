// SPDX-License-Identifier: MIT
// Where the engine finds the protobuf codec (protocol-codec.ts), which is loaded on first need
// rather than at start-up: evaluating protobuf-es and the generated descriptors is most of the
// package's import time, and an invocation that only reads its input and writes its output never
// needs them (hot-codec.ts covers those messages). The engine does no I/O and holds no promises,
// so it cannot load the codec itself: the layer that runs attempts registers a loader, and the
// engine asks for the codec with a callback that runs once it is installed, and another that runs
// if the load fails, so that the attempt fails at once instead of waiting for the runtime's
// inactivity timeout.
import type { protocolCodec } from "./protocol-codec.js";

/** protobuf-es with the protocol's schemas: everything the engine encodes and decodes with. */
export type ProtocolCodec = typeof protocolCodec;

/** Something waiting for the codec: what runs once it is installed, and what runs if it fails. */
interface Waiter {
  readonly then: (codec: ProtocolCodec) => void;
  readonly onUnavailable: (cause: Error) => void;
}

/** Holds the codec once it is installed, and what waits for it until then. */
export class ProtocolCodecSlot {
  #installed: ProtocolCodec | undefined;
  #waiting: Waiter[] = [];
  #loader: (() => void) | undefined;

  /** The codec, when it is installed. */
  get loaded(): ProtocolCodec | undefined {
    return this.#installed;
  }

  /**
   * The codec, for code that only runs once it is installed (replaying a decoded journal).
   *
   * @throws when it is not installed: a bug in the engine, not in the input.
   */
  require(): ProtocolCodec {
    if (this.#installed === undefined) throw new Error("The protocol codec is not loaded");
    return this.#installed;
  }

  /** Installs the codec and runs, in the order they asked, the callbacks that waited for it. */
  install(codec: ProtocolCodec): void {
    this.#installed = codec;
    const waiters = this.#waiting;
    this.#waiting = [];
    for (const waiter of waiters) waiter.then(codec);
  }

  /**
   * A load failed: everything waiting hears it now, in the order it asked. The codec stays
   * uninstalled, so the next need asks the loader again.
   */
  failLoad(cause: Error): void {
    const waiters = this.#waiting;
    this.#waiting = [];
    for (const waiter of waiters) waiter.onUnavailable(cause);
  }

  /**
   * Runs `then` with the codec: right away when it is installed, else once it is (and asks the
   * loader to load it). Runs `onUnavailable` instead if that load fails.
   */
  with(then: (codec: ProtocolCodec) => void, onUnavailable: (cause: Error) => void): void {
    if (this.#installed !== undefined) {
      then(this.#installed);
      return;
    }
    this.#waiting.push({ then, onUnavailable });
    this.#loader?.();
  }

  /**
   * Registers how the codec gets loaded. It is called on every need while the codec is not
   * installed, so it must start one load at most; and right away when something already waits.
   * The loader ends each load with {@link install} or {@link failLoad}.
   */
  setLoader(load: () => void): void {
    this.#loader = load;
    if (this.#waiting.length > 0) load();
  }
}

/** The process's slot, which every attempt uses unless its options name another. */
export const protocolCodecSlot = new ProtocolCodecSlot();
