// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { TerminalError } from "../errors.js";
import { CommandType } from "../journal/message-types.js";
import { completion, result } from "../journal/testing/journal-case.js";
import { WorkflowPromise } from "./workflow-promise.js";
import { harness } from "./__fixtures__/harness.js";

type Harness = ReturnType<typeof harness>;
const commands = (h: Harness) => h.output().map((f) => f.type);
const messageAt = <M>(h: Harness, i: number) => h.output()[i]?.message as M;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("WorkflowPromise", () => {
  it("journals nothing until it is used", () => {
    const h = harness();
    h.ctx.promise<string>("approval");
    expect(h.output()).toEqual([]);
  });

  it("journals a GetPromise on every get() and every await, as the official SDK", async () => {
    const h = harness();
    const p = new WorkflowPromise<string>(h.ctx, h.vm, "approval", {
      contentType: "text/plain",
      serialize: (v) => new TextEncoder().encode(v),
      deserialize: (b) => `got ${text(b)}`,
    });
    const first = p.get();
    expect(p.get()).not.toBe(first);
    expect(commands(h)).toEqual([CommandType.GetPromise, CommandType.GetPromise]);
    expect(messageAt<{ key: string }>(h, 0).key).toBe("approval");
    h.send(completion(CommandType.GetPromise, 1, result.value("yes")));
    await expect(first).resolves.toBe("got yes");
    const awaited = p.then((v) => v);
    expect(commands(h)).toEqual([
      CommandType.GetPromise,
      CommandType.GetPromise,
      CommandType.GetPromise,
    ]);
    h.send(completion(CommandType.GetPromise, 3, result.value("again")));
    await expect(awaited).resolves.toBe("got again");
  });

  it("peeks: undefined while unresolved, the value once resolved", async () => {
    const h = harness();
    const p = h.ctx.promise<number>("n");
    const before = p.peek();
    const after = p.peek();
    expect(commands(h)).toEqual([CommandType.PeekPromise, CommandType.PeekPromise]);
    h.send(
      completion(CommandType.PeekPromise, 1, result.void()),
      completion(CommandType.PeekPromise, 2, result.value("42")),
    );
    await expect(before).resolves.toBeUndefined();
    await expect(after).resolves.toBe(42);
  });

  it("resolves with the serialized value and rejects with a failure (default code 500)", async () => {
    const h = harness();
    const p = h.ctx.promise<{ ok: boolean }>("p");
    const resolved = p.resolve({ ok: true });
    const rejected = p.reject("nope");
    const [resolve, reject] = [0, 1].map((i) =>
      messageAt<{ key: string; completion: { case: string; value: unknown } }>(h, i),
    );
    expect(resolve!.completion.case).toBe("completionValue");
    expect(text((resolve!.completion.value as { content: Uint8Array }).content)).toBe(
      '{"ok":true}',
    );
    expect(reject!.completion).toMatchObject({
      case: "completionFailure",
      value: { code: 500, message: "nope" },
    });
    h.send(
      completion(CommandType.CompletePromise, 1, result.void()),
      completion(CommandType.CompletePromise, 2, result.failure(409, "already completed")),
    );
    await expect(resolved).resolves.toBeUndefined();
    await expect(rejected).rejects.toThrow(TerminalError);
  });

  it("maps and catches like the promise it gets", async () => {
    const h = harness();
    const p = h.ctx.promise<number>("p");
    const doubled = p.map((v) => (v ?? 0) * 2);
    h.send(completion(CommandType.GetPromise, 1, result.value("21")));
    await expect(doubled).resolves.toBe(42);
  });
});
