// SPDX-License-Identifier: MIT
// Failures that are not the handler's to catch: as with the official SDK they end the attempt with
// an ErrorMessage (the runtime retries), naming the command they concern where the official does,
// and whatever awaited them never settles. The side-by-side proof against the official SDK behind
// a real server is test/e2e/compat-side-by-side.test.ts.
import { describe, expect, it } from "vitest";
import { TerminalError } from "../errors.js";
import { CommandType, MessageType } from "../journal/message-types.js";
import { completion, result, signal } from "../journal/testing/frames.js";
import type { Serde } from "../serde/serde.js";
import { json } from "../serde/json.js";
import { harness } from "./__fixtures__/harness.js";
import { flush, observe } from "./__fixtures__/settling.js";

type Harness = ReturnType<typeof harness>;

interface ErrorMessage {
  code: number;
  message: string;
  relatedCommandIndex?: number;
  relatedCommandType?: number;
  relatedCommandName?: string;
}

/** The ErrorMessage the attempt ended with, if it did. */
const endedWith = (h: Harness) =>
  h.output().find((f) => f.type === MessageType.Error)?.message as ErrorMessage | undefined;

const related = (e: ErrorMessage | undefined) => [
  e?.relatedCommandIndex,
  e?.relatedCommandType,
  e?.relatedCommandName,
];

const unreadable: Serde<unknown> = {
  contentType: "application/json",
  serialize: (v) => json.serialize(v),
  deserialize: () => {
    throw new Error("cannot read");
  },
};

const unwritable: Serde<unknown> = {
  contentType: "application/json",
  serialize: () => {
    throw new Error("cannot write");
  },
  deserialize: (b) => json.deserialize(b),
};

describe("a .map() mapper that throws", () => {
  it("ends the attempt on a non-terminal error, naming no command; the await never settles", async () => {
    const h = harness();
    const seen = observe(
      h.ctx.sleep(10).map(() => {
        throw new Error("mapper boom");
      }),
    );
    h.send(completion(CommandType.Sleep, 1, result.void()));
    await flush();
    expect(seen.settled).toBe(false);
    expect(h.vm.isClosed).toBe(true);
    const error = endedWith(h);
    expect(error).toMatchObject({ code: 500, message: "mapper boom" });
    expect(related(error)).toEqual([undefined, undefined, undefined]);
  });

  it("ends the attempt also when mapping a terminal failure throws a plain error", async () => {
    const h = harness();
    const seen = observe(
      h.ctx.sleep(10).map(() => {
        throw new Error("on failure");
      }),
    );
    h.send(completion(CommandType.Sleep, 1, result.failure(409, "cancelled")));
    await flush();
    expect(seen.settled).toBe(false);
    expect(endedWith(h)).toMatchObject({ code: 500, message: "on failure" });
  });

  it("rejects the await with a terminal error the mapper throws; the attempt goes on", async () => {
    const h = harness();
    const seen = observe(
      h.ctx.sleep(10).map(() => {
        throw new TerminalError("refused", { errorCode: 422 });
      }),
    );
    h.send(completion(CommandType.Sleep, 1, result.void()));
    await flush();
    expect(seen.error).toMatchObject({ code: 422, message: "refused" });
    expect(endedWith(h)).toBeUndefined();
  });
});

describe("ctx.sleep and orTimeout with a duration the runtime cannot take", () => {
  it.each([
    ["-1", -1, "Invalid negative sleep duration: -1ms."],
    ["{ milliseconds: -1 }", { milliseconds: -1 }, "Invalid negative sleep duration: -1ms."],
    ["{ seconds: 1, milliseconds: -1500 }", { seconds: 1, milliseconds: -1500 }, "-500ms."],
    ["NaN", Number.NaN, "The number NaN cannot be converted to a BigInt"],
    ["Infinity", Number.POSITIVE_INFINITY, "The number Infinity cannot be converted"],
    ["undefined", undefined, "Duration is undefined."],
  ])("%s ends the attempt, naming the next command, instead of throwing", async (_n, d, text) => {
    const h = harness();
    void h.ctx.set("before", 1);
    let sleep: PromiseLike<void> | undefined;
    expect(() => (sleep = h.ctx.sleep(d as number))).not.toThrow();
    const seen = observe(sleep!);
    await flush();
    expect(seen.settled).toBe(false);
    const error = endedWith(h);
    expect(error?.message).toContain(text);
    expect(related(error)).toEqual([2, CommandType.Sleep, undefined]);
    expect(h.output().map((f) => f.type)).toEqual([CommandType.SetState, MessageType.Error]);
  });

  it("cuts fractions off rather than rounding, and sleeps 0", () => {
    const h = harness({ now: 1_000 });
    void h.ctx.sleep(1.7);
    void h.ctx.sleep({ seconds: 0 });
    const wakeUps = h
      .output()
      .map((f) => (f.message as unknown as { wakeUpTime: bigint }).wakeUpTime);
    expect(wakeUps).toEqual([1_001n, 1_000n]);
  });

  it("orTimeout with a negative duration ends the attempt, naming the sleep it would write", async () => {
    const h = harness();
    const seen = observe(h.ctx.sleep(10).orTimeout(-5));
    await flush();
    expect(seen.settled).toBe(false);
    expect(related(endedWith(h))).toEqual([2, CommandType.Sleep, undefined]);
  });
});

describe("values the serde cannot read or write", () => {
  it("a command's result that cannot be read names that command (no name)", async () => {
    const h = harness();
    void h.ctx.set("a", 1);
    const seen = observe(h.ctx.run("named", async () => 1, { serde: unreadable }));
    void h.ctx.sleep(1);
    await flush();
    h.send(completion(CommandType.Run, 1, result.value("1")));
    await flush();
    expect(seen.settled).toBe(false);
    const error = endedWith(h);
    expect(error).toMatchObject({ code: 500, message: "cannot read" });
    expect(related(error)).toEqual([2, CommandType.Run, undefined]);
  });

  it("a state value that cannot be read names the get", async () => {
    const h = harness({ start: { partialState: true } });
    const seen = observe(h.ctx.get("k", unreadable));
    h.send(completion(CommandType.GetLazyState, 1, result.value("1")));
    await flush();
    expect(seen.settled).toBe(false);
    expect(related(endedWith(h))).toEqual([1, CommandType.GetLazyState, undefined]);
  });

  it("an awakeable's value that cannot be read names no command (a signal)", async () => {
    const h = harness();
    const a = h.ctx.awakeable(unreadable);
    const seen = observe(a.promise);
    h.send(signal(17, result.value("1")));
    await flush();
    expect(seen.settled).toBe(false);
    const error = endedWith(h);
    expect(error).toMatchObject({ code: 500, message: "cannot read" });
    expect(related(error)).toEqual([undefined, undefined, undefined]);
  });

  it.each([
    ["ctx.set", (h: Harness) => h.ctx.set("k", 1, unwritable), CommandType.SetState],
    [
      "ctx.resolveAwakeable",
      (h: Harness) => h.ctx.resolveAwakeable("sign_1abc", 1, unwritable),
      CommandType.CompleteAwakeable,
    ],
    [
      "a call's parameter",
      (h: Harness) =>
        h.ctx.genericCall({ service: "S", method: "m", parameter: 1, inputSerde: unwritable }),
      CommandType.Call,
    ],
    [
      "a send's parameter",
      (h: Harness) =>
        h.ctx.genericSend({ service: "S", method: "m", parameter: 1, inputSerde: unwritable }),
      CommandType.OneWayCall,
    ],
    [
      "a workflow promise's value",
      (h: Harness) => h.ctx.promise("p", unwritable).resolve(1),
      CommandType.CompletePromise,
    ],
    [
      "a signal's value",
      (h: Harness) => h.ctx.invocation("inv_1abc").signal("s", unwritable).resolve(1),
      CommandType.SendSignal,
    ],
  ] as const)("%s: ends the attempt naming the next command, not thrown", (_n, act, type) => {
    const h = harness();
    void h.ctx.set("before", 1);
    expect(() => act(h)).not.toThrow();
    const error = endedWith(h);
    expect(error).toMatchObject({ code: 500, message: "cannot write" });
    expect(related(error)).toEqual([2, type, undefined]);
  });

  it("a run's value that cannot be written ends the attempt naming no command", async () => {
    const h = harness();
    const seen = observe(h.ctx.run("named", async () => 1, { serde: unwritable }));
    await flush();
    expect(seen.settled).toBe(false);
    const error = endedWith(h);
    expect(error).toMatchObject({ code: 500, message: "cannot write" });
    expect(related(error)).toEqual([undefined, undefined, undefined]);
  });
});

describe("a send's delay", () => {
  it.each([
    ["0", 0],
    ["-1", -1],
    ["NaN", Number.NaN],
    ["{ milliseconds: -1 }", { milliseconds: -1 }],
  ])("%s sends at once", (_n, delay) => {
    const h = harness();
    h.ctx.genericSend({ service: "S", method: "m", parameter: new Uint8Array(), delay });
    const send = h.output()[0]!.message as unknown as { invokeTime: bigint };
    expect(send.invokeTime).toBe(0n);
    expect(endedWith(h)).toBeUndefined();
  });

  it("an infinite delay ends the attempt naming no command", () => {
    const h = harness();
    const delay = Number.POSITIVE_INFINITY;
    h.ctx.genericSend({ service: "S", method: "m", parameter: new Uint8Array(), delay });
    expect(related(endedWith(h))).toEqual([undefined, undefined, undefined]);
  });
});
