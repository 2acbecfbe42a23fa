// SPDX-License-Identifier: MIT
// What a definition tells its callers: the kind and each handler's effective serdes, under the
// names the official definitions use (`_kind`, `_handlers`).
import { describe, expect, it } from "vitest";
import { binary } from "../serde/binary.js";
import { json } from "../serde/json.js";
import type { Serde } from "../serde/serde.js";
import * as handlers from "./handlers.js";
import { object, service } from "./service.js";
import { definitionRecord } from "./service.js";

const text: Serde<string> = {
  contentType: "text/plain",
  serialize: (value) => new TextEncoder().encode(value),
  deserialize: (data) => new TextDecoder().decode(data),
};

describe("definitions: handler descriptors for callers", () => {
  it("record each handler's own input/output, else its serde, else the service's", () => {
    const def = definitionRecord(
      service({
        name: "Svc",
        handlers: {
          plain: async () => "",
          own: handlers.handler({ serde: binary }, async () => new Uint8Array()),
          split: handlers.handler({ input: json, serde: binary }, async () => new Uint8Array()),
        },
        options: { serde: text },
      }),
    );
    expect(def._kind).toBe("service");
    expect(def._handlers.plain).toEqual({ _inputSerde: text, _outputSerde: text, _shared: false });
    expect(def._handlers.own).toEqual({
      _inputSerde: binary,
      _outputSerde: binary,
      _shared: false,
    });
    expect(def._handlers.split).toEqual({
      _inputSerde: json,
      _outputSerde: binary,
      _shared: false,
    });
  });

  it("leave the serdes out when none is declared, and mark shared handlers", () => {
    const def = definitionRecord(
      object({
        name: "Obj",
        handlers: { get: handlers.object.shared(async () => 1), set: async () => undefined },
      }),
    );
    expect(def._kind).toBe("object");
    expect(def._handlers).toEqual({ get: { _shared: true }, set: { _shared: false } });
  });
});
