// SPDX-License-Identifier: MIT
// The protobuf codec installed up front, for tests that drive the engine and read its output
// synchronously (production attempts load the codec on first need: src/journal/codec.ts).
import { ProtocolCodecSlot } from "../codec.js";
import { protocolCodec } from "../protocol-codec.js";

/** A codec slot with the codec installed. */
export const LOADED_CODEC: ProtocolCodecSlot = new ProtocolCodecSlot();
LOADED_CODEC.install(protocolCodec);
