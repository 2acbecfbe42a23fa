// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { CommandType } from "../journal/message-types.js";
import { json } from "../serde/json.js";
import type { Serde } from "../serde/serde.js";
import { StateAccess } from "./state-access.js";
import { harness } from "./__fixtures__/harness.js";

type Harness = ReturnType<typeof harness>;
const commands = (h: Harness) => h.output().map((f) => f.type);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** State over a started attempt whose (complete, empty) eager state the runtime sent. */
function started(defaultSerde: Serde<unknown> = json) {
  const h = harness();
  return { h, state: new StateAccess(h.vm, h.ctx, defaultSerde) };
}

describe("StateAccess", () => {
  it("reads an unset key as null and journals the eager read", async () => {
    const { h, state } = started();
    await expect(state.get<number>("count")).resolves.toBeNull();
    expect(commands(h)).toEqual([CommandType.GetEagerState]);
  });

  it("writes JSON by default and reads back what it wrote", async () => {
    const { h, state } = started();
    state.set("cart", { items: 2 });
    await expect(state.get("cart")).resolves.toEqual({ items: 2 });
    const set = h.output()[0]!.message as unknown as {
      key: Uint8Array;
      value: { content: Uint8Array };
    };
    expect(text(set.key)).toBe("cart");
    expect(text(set.value.content)).toBe('{"items":2}');
  });

  it("uses the default serde (the service's `serde` option) when given none", async () => {
    const reversed: Serde<unknown> = {
      contentType: "text/plain",
      serialize: (v) => new TextEncoder().encode(String(v).split("").reverse().join("")),
      deserialize: (b) => text(b).split("").reverse().join(""),
    };
    const { h, state } = started(reversed);
    state.set("word", "abc");
    await expect(state.get("word")).resolves.toBe("abc");
    const set = h.output()[0]!.message as unknown as { value: { content: Uint8Array } };
    expect(text(set.value.content)).toBe("cba");
  });

  it("uses the serde it is given both ways", async () => {
    const { state } = started();
    const upper = {
      contentType: "text/plain",
      serialize: (v: string) => new TextEncoder().encode(v.toUpperCase()),
      deserialize: (b: Uint8Array) => `<${text(b)}>`,
    };
    state.set("name", "till", upper);
    await expect(state.get("name", upper)).resolves.toBe("<TILL>");
  });

  it("lists the keys, and forgets cleared ones", async () => {
    const { h, state } = started();
    state.set("a", 1);
    state.set("b", 2);
    state.clear("a");
    await expect(state.stateKeys()).resolves.toEqual(["b"]);
    state.clearAll();
    await expect(state.stateKeys()).resolves.toEqual([]);
    await expect(state.get("b")).resolves.toBeNull();
    expect(commands(h)).toEqual([
      CommandType.SetState,
      CommandType.SetState,
      CommandType.ClearState,
      CommandType.GetEagerStateKeys,
      CommandType.ClearAllState,
      CommandType.GetEagerStateKeys,
      CommandType.GetEagerState,
    ]);
  });
});
