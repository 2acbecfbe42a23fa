// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { CommandType } from "../journal/message-types.js";
import { harness } from "./__fixtures__/harness.js";

type Harness = ReturnType<typeof harness>;
const commands = (h: Harness) => h.output().map((f) => f.type);
const message = <T>(h: Harness, index: number) => h.output()[index]!.message as unknown as T;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("InvocationContext", () => {
  it("journals a sleep that wakes at the context's now plus the duration", () => {
    const h = harness({ now: 5_000 });
    void h.ctx.sleep({ seconds: 2 }, "nap");
    expect(commands(h)).toEqual([CommandType.Sleep]);
    const sleep = message<{ wakeUpTime: bigint; name: string }>(h, 0);
    expect(sleep.wakeUpTime).toBe(7_000n);
    expect(sleep.name).toBe("nap");
  });

  it("takes ctx.date.now() through an unnamed journaled run, as the official SDK", () => {
    const h = harness({ now: 1_234 });
    void h.ctx.date.now();
    expect(commands(h)).toEqual([CommandType.Run]);
    expect(message<{ name: string }>(h, 0).name).toBe("");
  });

  it("refuses ctx.run without an action before journaling anything", () => {
    const h = harness();
    expect(() => h.ctx.run("nothing", undefined as never)).toThrow(/missing the action/);
    expect(commands(h)).toEqual([]);
  });

  it("completes an awakeable with the default serde, and rejects one with a failure", () => {
    const h = harness();
    h.ctx.resolveAwakeable("sign_1abc", { ok: true });
    h.ctx.rejectAwakeable("sign_1def", "no");
    expect(commands(h)).toEqual([CommandType.CompleteAwakeable, CommandType.CompleteAwakeable]);
    const resolved = message<{ awakeableId: string; result: { case: string; value: unknown } }>(
      h,
      0,
    );
    expect(resolved.awakeableId).toBe("sign_1abc");
    expect(resolved.result.case).toBe("value");
    expect(text((resolved.result.value as { content: Uint8Array }).content)).toBe('{"ok":true}');
    const rejected = message<{ result: { case: string; value: { message: string } } }>(h, 1);
    expect(rejected.result.case).toBe("failure");
    expect(rejected.result.value.message).toBe("no");
  });

  it("resolves an awakeable without a value as the official SDK: JSON null, or empty bytes with a serde", () => {
    const h = harness();
    const never = {
      contentType: "application/x-never",
      serialize: (): Uint8Array => {
        throw new Error("not asked");
      },
      deserialize: () => undefined,
    };
    h.ctx.resolveAwakeable("sign_1abc");
    h.ctx.resolveAwakeable("sign_1def", undefined, never);
    const contents = [0, 1].map((i) =>
      text(message<{ result: { value: { content: Uint8Array } } }>(h, i).result.value.content),
    );
    expect(contents).toEqual(["null", ""]);
    expect(commands(h)).toEqual([CommandType.CompleteAwakeable, CommandType.CompleteAwakeable]);
  });

  it("hands out awakeables with distinct ids", () => {
    const h = harness();
    const a = h.ctx.awakeable();
    const b = h.ctx.awakeable();
    expect(a.id).not.toBe(b.id);
    expect(a.id.startsWith("sign_")).toBe(true);
  });

  it("journals clear and clearAll as their own commands", () => {
    const h = harness();
    h.ctx.clear("cart");
    h.ctx.clearAll();
    expect(commands(h)).toEqual([CommandType.ClearState, CommandType.ClearAllState]);
  });

  it("gives the object key and the same request object on every call", () => {
    const h = harness({ key: "Mary" });
    expect(h.ctx.key).toBe("Mary");
    expect(h.ctx.request()).toBe(h.ctx.request());
  });

  it("draws the same random numbers for the same invocation", () => {
    const first = harness().ctx.rand;
    const again = harness().ctx.rand;
    const draws = (r: typeof first) => [r.random(), r.random(), r.uuidv4()];
    expect(draws(first)).toEqual(draws(again));
  });
});
