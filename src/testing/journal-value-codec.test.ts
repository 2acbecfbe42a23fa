// SPDX-License-Identifier: MIT
// `TestEnvironment.start({ journalValueCodecProvider })`: the in-memory runtime stores what the
// handlers journal encoded, and the test's own reads and writes go through the same codec.
import { describe, expect, it } from "vitest";
import {
  type Context,
  type JournalValueCodec,
  type ObjectContext,
  object,
  service,
} from "../index.js";
import { TestEnvironment } from "./index.js";
import { EnvironmentCodec } from "./value-codec.js";

const PREFIX = 0xee;

/** Prefixes a nonce byte (a new one per encode) after a marker; decoding checks the marker. */
function nonceCodec(): JournalValueCodec & { encodes: number } {
  const codec = {
    encodes: 0,
    encode(buf: Uint8Array): Uint8Array {
      const out = new Uint8Array(buf.length + 2);
      out[0] = PREFIX;
      out[1] = ++codec.encodes;
      out.set(buf, 2);
      return out;
    },
    decode(buf: Uint8Array): Promise<Uint8Array> {
      if (buf[0] !== PREFIX) return Promise.reject(new Error("not encoded"));
      return Promise.resolve(buf.subarray(2));
    },
  };
  return codec;
}

const greeter = service({
  name: "Greeter",
  handlers: { greet: async (_ctx: Context, name: string) => Promise.resolve(`Hello ${name}`) },
});
const payments = service({
  name: "Payments",
  handlers: {
    charge: async (_ctx: Context, _amount: number): Promise<boolean> => Promise.resolve(true),
  },
});

const account = object({
  name: "Account",
  handlers: {
    open: async (ctx: ObjectContext, owner: string) => {
      ctx.set("owner", owner);
      const greeting = await ctx.serviceClient(greeter).greet(owner);
      const charged = await ctx.serviceClient(payments).charge(10);
      const stamp = await ctx.run("stamp", () => `stamped ${owner}`);
      const approval = ctx.awakeable<string>();
      ctx.set("awakeable", approval.id);
      const approved = await approval.promise;
      return { owner: await ctx.get<string>("owner"), greeting, charged, stamp, approved };
    },
  },
});

describe("TestEnvironment with a journal value codec", () => {
  it("runs handlers with encoded values and decodes what the test reads", async () => {
    const codec = nonceCodec();
    let calls = 0;
    const env = await TestEnvironment.start({
      services: [greeter, account],
      journalValueCodecProvider: () => {
        calls++;
        return Promise.resolve(codec);
      },
      // Every step replays a journal encoded under other nonces.
      replayEveryStep: true,
    });
    const charge = env.mock(payments).handler("charge", (amount: number) => amount < 100);
    const handle = env.objectSendClient(account, "a1").open("Ada");
    await env.idle();
    // Synchronous reads see the values the handler journaled (encoded, in the store).
    expect(env.state(account, "a1").get("owner")).toBe("Ada");
    expect(env.state(account, "a1").all()).toEqual({
      owner: "Ada",
      awakeable: env.awakeableId(handle),
    });
    env.resolveAwakeable(env.awakeableId(handle), "yes");
    await expect(env.result(handle)).resolves.toEqual({
      owner: "Ada",
      greeting: "Hello Ada",
      charged: true,
      stamp: "stamped Ada",
      approved: "yes",
    });
    expect(charge.calls[0]?.input).toBe(10);
    expect(calls).toBe(1);
    expect(codec.encodes).toBeGreaterThan(5);
    expect(env.output(handle)).toMatchObject({ ready: true, value: { owner: "Ada" } });
  });

  it("reads synchronously what the test seeded, and refuses bytes encoded elsewhere", async () => {
    const holder = object({
      name: "Holder",
      handlers: { noop: async (_ctx: ObjectContext) => Promise.resolve() },
    });
    const env = await TestEnvironment.start({
      services: [holder],
      journalValueCodecProvider: () => Promise.resolve(nonceCodec()),
    });
    const state = env.state(holder, "h");
    state.set("seeded", { n: 1 });
    expect(state.get("seeded")).toEqual({ n: 1 });
    // Bytes the codec encoded outside the environment would need its (asynchronous) decode.
    const raw = nonceCodec();
    const environmentCodec = new EnvironmentCodec(raw);
    const inside = environmentCodec.encode(new Uint8Array([0x31]));
    expect(environmentCodec.decodeNow(inside, "read")).toEqual(new Uint8Array([0x31]));
    expect(() => environmentCodec.decodeNow(raw.encode(new Uint8Array([0x32])), "read")).toThrow(
      /not encoded in this environment/,
    );
  });

  it("encodes state the test seeds, so handlers read it back", async () => {
    const reader = object({
      name: "Reader",
      handlers: { read: async (ctx: ObjectContext) => ctx.get<string>("owner") },
    });
    const env = await TestEnvironment.start({
      services: [reader],
      journalValueCodecProvider: () => Promise.resolve(nonceCodec()),
    });
    env.state(reader, "r").set("owner", "Grace");
    await expect(env.objectClient(reader, "r").read()).resolves.toBe("Grace");
  });
});
