// SPDX-License-Identifier: MIT
// The endpoint's journal value codec in the context: every value the handler journals is encoded
// after serialization, every value it reads is decoded before deserialization.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CommandType, MessageType } from "../journal/message-types.js";
import {
  completion,
  concat,
  decodeOutput,
  frame,
  inputCommand,
  journalCase,
  namedSignal,
  result,
  signal,
  utf8,
} from "../journal/testing/journal-case.js";
import { json } from "../serde/json.js";
import { encodeFrame } from "../journal/framing.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";
import { object } from "../definitions/service.js";
import { toServiceEntry } from "../definitions/registry.js";
import type { ErrorMessage, OutputCommand } from "../journal/gen/protocol_pb.js";
import type { HooksProvider } from "./hooks.js";
import type { ObjectContext } from "./types.js";
import { startInvocation } from "./invocation.js";
import { RestatePromise } from "./combinators.js";
import { harness, memoryLogger } from "./__fixtures__/harness.js";

const PREFIX = [0x65, 0x6e, 0x63]; // "enc"
const KEY = 0x5a;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/**
 * An "encrypting" codec: "enc", a nonce byte, then every byte XORed. The nonce changes on every
 * encode when `isDeterministic` is false, as a real encryption's would.
 */
function xorCodec(isDeterministic = true): JournalValueCodec & { encodes: number } {
  let nonce = 0;
  const codec = {
    encodes: 0,
    encode(buf: Uint8Array): Uint8Array {
      codec.encodes++;
      const out = new Uint8Array(buf.length + 4);
      out.set(PREFIX);
      out[3] = isDeterministic ? 0 : ++nonce;
      buf.forEach((b, i) => (out[i + 4] = b ^ KEY));
      return out;
    },
    decode(buf: Uint8Array): Promise<Uint8Array> {
      if (!PREFIX.every((b, i) => buf[i] === b)) {
        return Promise.reject(new Error("not encoded by this codec"));
      }
      return Promise.resolve(buf.subarray(4).map((b) => b ^ KEY));
    },
  };
  return codec;
}

/** The deterministic encoding of a JSON value, as the runtime would have stored it. */
const enc = (value: unknown) => xorCodec().encode(json.serialize(value));
/** What an encoded payload holds, as JSON. */
const dec = (bytes: Uint8Array): unknown => json.deserialize(bytes.subarray(4).map((b) => b ^ KEY));

/** Lets closures and codec decodes settle (no timers involved). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

type Message = Record<string, unknown>;
const commandsOf = (h: ReturnType<typeof harness>, type: number) =>
  h
    .output()
    .filter((f) => f.type === type)
    .map((f) => f.message as unknown as Message);

describe("journal value codec: values the handler journals", () => {
  it("encodes state, call and send parameters, awakeable, signal and promise completions", () => {
    const h = harness({ valueCodec: xorCodec() });
    h.ctx.set("greeting", { hello: "world" });
    void h.ctx.genericCall({ service: "S", method: "m", parameter: "call", inputSerde: json });
    h.ctx.genericSend({ service: "S", method: "m", parameter: "send", inputSerde: json });
    h.ctx.resolveAwakeable("sign_1abc", "awakened");
    h.ctx.invocation("inv_1abc").signal("sig").resolve("signalled");
    void h.ctx.promise("p").resolve("promised");

    const set = commandsOf(h, CommandType.SetState)[0]!;
    expect(dec((set["value"] as { content: Uint8Array }).content)).toEqual({ hello: "world" });
    expect(dec(commandsOf(h, CommandType.Call)[0]!["parameter"] as Uint8Array)).toBe("call");
    expect(dec(commandsOf(h, CommandType.OneWayCall)[0]!["parameter"] as Uint8Array)).toBe("send");
    const payload = (m: Message, field: string) =>
      (m[field] as { value: { content: Uint8Array } }).value.content;
    expect(dec(payload(commandsOf(h, CommandType.CompleteAwakeable)[0]!, "result"))).toBe(
      "awakened",
    );
    expect(dec(payload(commandsOf(h, CommandType.SendSignal)[0]!, "result"))).toBe("signalled");
    expect(dec(payload(commandsOf(h, CommandType.CompletePromise)[0]!, "completion"))).toBe(
      "promised",
    );
  });

  it("leaves the bytes as serialized without a codec", () => {
    const h = harness();
    h.ctx.set("greeting", "hi");
    const set = commandsOf(h, CommandType.SetState)[0]!;
    expect(text((set["value"] as { content: Uint8Array }).content)).toBe('"hi"');
  });

  it("encodes a run's result before proposing it, and decodes the completion", async () => {
    const h = harness({ valueCodec: xorCodec() });
    const run = h.ctx.run("r", () => ({ n: 42 }));
    await flush();
    const proposal = h.output().find((f) => f.type === MessageType.ProposeRunCompletion)!
      .message as unknown as { result: { value: Uint8Array } };
    expect(dec(proposal.result.value)).toEqual({ n: 42 });
    h.send(completion(CommandType.Run, 1, result.value(proposal.result.value)));
    await expect(run).resolves.toEqual({ n: 42 });
  });
});

describe("journal value codec: values the handler reads", () => {
  it("decodes eager and lazy state, call, attach and output results, awakeables, signals and promises", async () => {
    const h = harness({
      valueCodec: xorCodec(),
      start: { state: { eager: enc("from the start") }, partialState: true },
    });
    const reads = [
      h.ctx.get("eager"),
      h.ctx.get("lazy"),
      h.ctx.genericCall({
        service: "S",
        method: "m",
        parameter: "x",
        outputSerde: json,
        inputSerde: json,
      }),
      h.ctx.attach("inv_1abc"),
      h.ctx.output("inv_1abc"),
      h.ctx.awakeable().promise,
      h.ctx.signal("sig"),
      h.ctx.promise("p").get(),
      h.ctx.promise("q").peek(),
    ];
    const idOf = (type: number) => commandsOf(h, type)[0]!["resultCompletionId"] as number;
    h.send(
      completion(
        CommandType.GetLazyState,
        idOf(CommandType.GetLazyState),
        result.value(enc("lazy")),
      ),
      completion(CommandType.Call, idOf(CommandType.Call), result.value(enc("called"))),
      completion(
        CommandType.AttachInvocation,
        idOf(CommandType.AttachInvocation),
        result.value(enc("attached")),
      ),
      completion(
        CommandType.GetInvocationOutput,
        idOf(CommandType.GetInvocationOutput),
        result.value(enc("output")),
      ),
      signal(17, result.value(enc("awakened"))),
      namedSignal("sig", result.value(enc("signalled"))),
      completion(
        CommandType.GetPromise,
        idOf(CommandType.GetPromise),
        result.value(enc("promised")),
      ),
      completion(
        CommandType.PeekPromise,
        idOf(CommandType.PeekPromise),
        result.value(enc("peeked")),
      ),
    );
    await expect(Promise.all(reads)).resolves.toEqual([
      "from the start",
      "lazy",
      "called",
      "attached",
      { ready: true, value: "output" },
      "awakened",
      "signalled",
      "promised",
      "peeked",
    ]);
  });

  it("keeps absent values absent (no decode) and combinators, map and orTimeout see decoded values", async () => {
    const h = harness({ valueCodec: xorCodec(), start: { partialState: true } });
    const missing = h.ctx.get("missing");
    const a = h.ctx.awakeable<string>();
    const b = h.ctx.awakeable<string>();
    const all = RestatePromise.all([a.promise, b.promise]);
    const settled = RestatePromise.allSettled([a.promise, b.promise]);
    const race = RestatePromise.race([a.promise, b.promise]);
    const mapped = a.promise.map((v) => `${v}!`);
    const timed = b.promise.orTimeout(1000);
    h.send(
      completion(CommandType.GetLazyState, 1, result.void()),
      signal(17, result.value(enc("a"))),
      signal(18, result.value(enc("b"))),
    );
    await expect(missing).resolves.toBeNull();
    await expect(all).resolves.toEqual(["a", "b"]);
    await expect(settled).resolves.toEqual([
      { status: "fulfilled", value: "a" },
      { status: "fulfilled", value: "b" },
    ]);
    await expect(race).resolves.toBe("a");
    await expect(mapped).resolves.toBe("a!");
    await expect(timed).resolves.toBe("b");
  });

  it("ends the attempt (retryable) when the codec cannot decode a value; the await never settles", async () => {
    const h = harness({ valueCodec: xorCodec() });
    const a = h.ctx.awakeable();
    const settled = vi.fn();
    a.promise.then(settled, settled);
    h.send(signal(17, result.value(json.serialize("plain"))));
    await flush();
    expect(settled).not.toHaveBeenCalled();
    expect(h.vm.isClosed).toBe(true);
    const error = h.output().find((f) => f.type === MessageType.Error)?.message as ErrorMessage;
    expect(error).toMatchObject({ code: 500, message: "not encoded by this codec" });
  });

  it.each([
    ["with a codec", { valueCodec: xorCodec() }, enc("x")],
    ["without a codec", {}, json.serialize("x")],
  ] as const)(
    "ends the attempt the same way when the serde cannot read a value, %s",
    async (_name, options, payload) => {
      const h = harness(options);
      const a = h.ctx.awakeable({
        serialize: (v: unknown) => json.serialize(v),
        deserialize: () => {
          throw new Error("not a number");
        },
      });
      const settled = vi.fn();
      a.promise.then(settled, settled);
      h.send(signal(17, result.value(payload)));
      await flush();
      expect(settled).not.toHaveBeenCalled();
      const error = h.output().find((f) => f.type === MessageType.Error)?.message as ErrorMessage;
      expect(error).toMatchObject({ code: 500, message: "not a number" });
    },
  );
});

// ---- the attempt: input, output, payload checks on replay ----

const add = async (ctx: ObjectContext, n: number) => {
  const current = (await ctx.get<number>("count")) ?? 0;
  ctx.set("count", current + n);
  const doubled = await ctx.run("double", () => (current + n) * 2);
  return { count: current + n, doubled };
};

function entry(hooks?: HooksProvider[]) {
  const definition = object({
    name: "Counter",
    handlers: { add },
    ...(hooks !== undefined ? { options: { hooks } } : {}),
  });
  return toServiceEntry(definition).handlers.get("add")!;
}

/** One attempt of Counter/add with the codec, its input given as request bytes. */
function attempt(codec: JournalValueCodec, request: Uint8Array, hooks?: HooksProvider[]) {
  const written: Uint8Array[] = [];
  const input = startInvocation(
    {
      handler: entry(hooks),
      protocolVersion: 6,
      attemptHeaders: new Map(),
      logger: memoryLogger(),
      journalValueCodec: Promise.resolve(codec),
    },
    { write: (chunk) => void written.push(chunk.slice()), end: () => undefined },
  );
  input.push(request);
  return { input, frames: () => decodeOutput(concat(written)) };
}

const outputOf = (frames: ReturnType<typeof decodeOutput>) =>
  frames.find((f) => f.type === CommandType.Output)?.message as OutputCommand | undefined;

describe("journal value codec: the attempt", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) await vi.runOnlyPendingTimersAsync();
  }

  it("decodes the input and encodes the output", async () => {
    const codec = xorCodec();
    const a = attempt(
      codec,
      journalCase()
        .start({ key: "k", state: { count: enc(1) } })
        .input(inputCommand(enc(2)))
        .requestBytes(),
    );
    await settle();
    const proposal = a.frames().find((f) => f.type === MessageType.ProposeRunCompletion)!
      .message as unknown as { result: { value: Uint8Array } };
    expect(dec(proposal.result.value)).toBe(6);
    // The state read took completion id 1.
    const done = completion(CommandType.Run, 2, result.value(proposal.result.value));
    a.input.push(encodeFrame(done.type, done.payload, done.flags));
    a.input.end();
    await settle();
    const set = a.frames().find((f) => f.type === CommandType.SetState)!.message as unknown as {
      value: { content: Uint8Array };
    };
    expect(dec(set.value.content)).toBe(3);
    const output = outputOf(a.frames())!.result as {
      case: "value";
      value: { content: Uint8Array };
    };
    expect(dec(output.value.content)).toEqual({ count: 3, doubled: 6 });
    expect(a.frames().at(-1)?.type).toBe(MessageType.End);
  });

  it("runs handler interceptors around the input decode and the output encode", async () => {
    const seen: string[] = [];
    const hooks: HooksProvider[] = [
      () => ({
        interceptor: {
          handler: async (next) => {
            seen.push("before");
            await next();
            seen.push("after");
          },
        },
      }),
    ];
    const a = attempt(
      xorCodec(),
      journalCase().start({ key: "k" }).input(inputCommand("2")).requestBytes(),
      hooks,
    );
    a.input.end();
    await settle();
    expect(seen).toEqual(["before"]);
    expect(outputOf(a.frames())?.result).toMatchObject({ case: "failure", value: { code: 400 } });
  });

  it("fails the invocation with a 400 terminal error when the input does not decode", async () => {
    const a = attempt(
      xorCodec(),
      journalCase().start({ key: "k" }).input(inputCommand("2")).requestBytes(),
    );
    a.input.end();
    await settle();
    const output = outputOf(a.frames());
    expect(output?.result).toMatchObject({
      case: "failure",
      value: {
        code: 400,
        message: "Failed to decode input using journal value codec: not encoded by this codec",
      },
    });
  });

  it("replays a journal written with other encodings of the same values", async () => {
    // A non-deterministic codec encodes differently on every attempt: the journaled SetState
    // and Output bytes differ from what this attempt produces, and replay must accept them.
    const codec = xorCodec(false);
    const journaled = xorCodec(false);
    journaled.encode(new Uint8Array(0)); // shift its nonces away from the attempt's
    const a = attempt(
      codec,
      journalCase()
        .start({ key: "k", state: { count: enc(1) } })
        .input(inputCommand(enc(2)))
        .command(
          frame(CommandType.GetEagerState, {
            key: utf8("count"),
            result: { case: "value", value: { content: enc(1) } },
          }),
        )
        .command(
          frame(CommandType.SetState, {
            key: utf8("count"),
            value: { content: journaled.encode(json.serialize(3)) },
          }),
        )
        .command(frame(CommandType.Run, { name: "double", resultCompletionId: 2 }))
        .notification(
          completion(CommandType.Run, 2, result.value(journaled.encode(json.serialize(6)))),
        )
        .command(
          frame(CommandType.Output, {
            result: {
              case: "value",
              value: { content: journaled.encode(json.serialize({ count: 3, doubled: 6 })) },
            },
          }),
        )
        .requestBytes(),
    );
    a.input.end();
    await settle();
    const types = a.frames().map((f) => f.type);
    expect(types).toEqual([MessageType.End]);
    expect(
      a.frames().find((f) => f.type === MessageType.Error)?.message as ErrorMessage | undefined,
    ).toBeUndefined();
  });
});
