// SPDX-License-Identifier: MIT
// Loads the engine's protobuf codec (src/journal/codec.ts) on first need, with a dynamic import,
// so that starting the endpoint and answering an invocation that only reads its input and writes
// its output never evaluate protobuf-es and the generated descriptors.
//
// A failed import (the module is missing from a bundle, or a dependency of it is) is a packaging
// fault. It must not leave attempts waiting for a codec that never comes until the runtime's
// inactivity timeout: everything waiting fails at once with a retryable error that says why, the
// failure is logged once, and the next attempt that needs the codec imports it again.
import { type ProtocolCodec, type ProtocolCodecSlot, protocolCodecSlot } from "../journal/codec.js";
import { ensureError } from "../errors.js";

/** Imports the codec module. */
export type ImportProtocolCodec = () => Promise<ProtocolCodec>;

/**
 * Makes `slot` load its codec with `importCodec` on first need, one load at a time. A failed load
 * is reported once to `report`, fails everything waiting for it, and is tried again on the next
 * need. Returns the function that loads (or waits for the load under way).
 *
 * @internal
 * @example
 * const load = installProtocolCodecLoader(slot, async () => protocolCodec, console.error);
 */
export function installProtocolCodecLoader(
  slot: ProtocolCodecSlot,
  importCodec: ImportProtocolCodec,
  report: (cause: Error) => void,
): () => Promise<void> {
  let loading: Promise<void> | undefined;
  const load = (): Promise<void> => {
    loading ??= importCodec().then(
      (codec) => slot.install(codec),
      (error: unknown) => {
        loading = undefined;
        const cause = ensureError(error);
        report(cause);
        slot.failLoad(cause);
        throw cause;
      },
    );
    return loading;
  };
  slot.setLoader(() => {
    // The failure has reached everything that waited, and the report.
    load().catch(() => undefined);
  });
  return load;
}

const loadIntoProcessSlot = installProtocolCodecLoader(
  protocolCodecSlot,
  async () => (await import("../journal/protocol-codec.js")).protocolCodec,
  (cause) =>
    console.error(
      "restate-hono: the protocol codec failed to load; the attempts that need it fail and are retried",
      cause,
    ),
);

/**
 * Loads and installs the protocol codec into the process's slot; one load at a time, again after
 * a failed one.
 *
 * @internal
 */
export function loadProtocolCodec(): Promise<void> {
  return loadIntoProcessSlot();
}
