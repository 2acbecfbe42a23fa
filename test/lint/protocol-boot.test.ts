// SPDX-License-Identifier: MIT
// src/journal/gen/protocol_boot.ts is generated from protocol_pb.ts (npm run gen): it must say what
// the generator says today, so protocol.proto and the engine's schemas cannot drift apart.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { protocolBootSource } from "../../dev/gen-protocol-boot.js";

describe("src/journal/gen/protocol_boot.ts", () => {
  it("is what dev/gen-protocol-boot.ts writes from the current protocol_pb.ts", () => {
    const file = new URL("../../src/journal/gen/protocol_boot.ts", import.meta.url);
    expect(readFileSync(file, "utf8")).toBe(protocolBootSource());
  });
});
