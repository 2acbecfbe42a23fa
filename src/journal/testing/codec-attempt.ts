// SPDX-License-Identifier: MIT
// Engine tests of how an attempt waits for, uses or fails without the lazily loaded protobuf
// codec: an empty slot that counts load requests, and one attempt over a given slot.
import { ProtocolCodecSlot } from "../codec.js";
import { JournalVm } from "../vm.js";
import { concat, decodeOutput } from "./journal-case.js";

/** A slot without the codec, counting how often the engine asks for it to be loaded. */
export function emptySlot(): { slot: ProtocolCodecSlot; loads: () => number } {
  const slot = new ProtocolCodecSlot();
  let loads = 0;
  slot.setLoader(() => loads++);
  return { slot, loads: () => loads };
}

/** One attempt over `slot`, fed `request` in one chunk, with its output and closes recorded. */
export function codecAttempt(slot: ProtocolCodecSlot, request: Uint8Array) {
  const written: Uint8Array[] = [];
  let closes = 0;
  const vm = new JournalVm(
    { write: (bytes) => void written.push(bytes.slice()), close: () => void closes++ },
    // As in journalCase: a suspension then lists exactly what the test awaits.
    { version: 6, explicitCancellation: true, codec: slot },
  );
  vm.notifyInput(request);
  return {
    vm,
    bytes: () => concat(written),
    frames: () => decodeOutput(concat(written)),
    closes: () => closes,
  };
}
