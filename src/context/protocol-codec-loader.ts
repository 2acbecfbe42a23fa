// SPDX-License-Identifier: MIT
// Loads the engine's protobuf codec (src/journal/codec.ts) on first need, with a dynamic import,
// so that starting the endpoint and answering an invocation that only reads its input and writes
// its output never evaluate protobuf-es and the generated descriptors.
import { protocolCodecSlot } from "../journal/codec.js";

let loading: Promise<void> | undefined;

/**
 * Loads and installs the protocol codec; one load at a time, again after a failed one.
 *
 * @internal
 */
export function loadProtocolCodec(): Promise<void> {
  loading ??= import("../journal/protocol-codec.js").then(
    ({ protocolCodec }) => protocolCodecSlot.install(protocolCodec),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

protocolCodecSlot.setLoader(() => {
  loadProtocolCodec().catch((error: unknown) => {
    // A packaging fault (the module is missing from a bundle): nothing here can recover from it.
    console.error("restate-hono: the protocol codec failed to load", error);
  });
});
