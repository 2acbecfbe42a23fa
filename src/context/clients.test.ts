// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { CommandType } from "../journal/message-types.js";
import type { Context } from "./types.js";
import { Opts, SendOpts } from "./call-options.js";
import * as rpc from "./rpc.js";
import { serde } from "../serde/index.js";
import { iface } from "../definitions/descriptors.js";
import { harness } from "./__fixtures__/harness.js";

interface Message {
  readonly idempotencyKey?: string;
  readonly parameter?: Uint8Array;
  readonly invokeTime?: bigint;
  readonly headers?: ReadonlyArray<{ key: string; value: string }>;
  readonly key?: string;
  readonly name?: string;
}

/** The commands a harness wrote, decoded. */
function commandsOf(h: ReturnType<typeof harness>) {
  return h.output().map((f) => ({ type: f.type, message: f.message as unknown as Message }));
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

// Stand-ins typed as the services they call (the service-stub pattern).
type Svc = {
  noInput: (ctx: Context) => Promise<string>;
  echo: (ctx: Context, s: string) => Promise<string>;
};
const svc = { name: "Svc" } as { name: "Svc"; handlers?: Svc };

describe("typed clients", () => {
  it("take rpc.opts in place of a missing input (the idempotency key is kept)", () => {
    const h = harness({ now: 1000 });
    void h.ctx
      .serviceClient(svc)
      .noInput(rpc.opts({ idempotencyKey: "idem-1", headers: { a: "b" } }));
    const [call] = commandsOf(h);
    expect(call!.type).toBe(CommandType.Call);
    expect(call!.message.idempotencyKey).toBe("idem-1");
    expect(call!.message.headers).toEqual([expect.objectContaining({ key: "a", value: "b" })]);
    expect(call!.message.parameter?.length ?? 0).toBe(0);
  });

  it("take rpc.sendOpts in place of a missing input (the delay is kept)", () => {
    const h = harness({ now: 1000 });
    h.ctx.objectSendClient(svc, "k1").noInput(rpc.sendOpts({ delay: { seconds: 10 } }));
    const [send] = commandsOf(h);
    expect(send!.type).toBe(CommandType.OneWayCall);
    expect(send!.message.invokeTime).toBe(11_000n);
    expect(send!.message.key).toBe("k1");
    expect(send!.message.parameter?.length ?? 0).toBe(0);
  });

  it("send an input followed by options, as Opts or as a plain object", () => {
    const h = harness({ now: 0 });
    void h.ctx.serviceClient(svc).echo("hi", Opts.from({ idempotencyKey: "a" }));
    void h.ctx.serviceClient(svc).echo("ho", { idempotencyKey: "b", name: "named" });
    h.ctx.serviceSendClient(svc).echo("later", SendOpts.from({ delay: 5 }));
    const [first, second, third] = commandsOf(h);
    expect(text(first!.message.parameter)).toBe('"hi"');
    expect(first!.message.idempotencyKey).toBe("a");
    expect(text(second!.message.parameter)).toBe('"ho"');
    expect(second!.message.name).toBe("named");
    expect(third!.message.invokeTime).toBe(5n);
  });

  it("a no-input handler also accepts (undefined, options)", () => {
    const h = harness();
    void h.ctx.serviceClient(svc).noInput(undefined, rpc.opts({ idempotencyKey: "u" }));
    expect(commandsOf(h)[0]!.message.idempotencyKey).toBe("u");
  });

  it("an object that is not an Opts stays the input", () => {
    const h = harness();
    type Obj = { put: (ctx: Context, v: { idempotencyKey: string }) => Promise<void> };
    const ref = { name: "Obj" } as { name: "Obj"; handlers?: Obj };
    void h.ctx.objectClient(ref, "k").put({ idempotencyKey: "is-input" });
    const [call] = commandsOf(h);
    expect(text(call!.message.parameter)).toBe('{"idempotencyKey":"is-input"}');
    expect(call!.message.idempotencyKey).toBeUndefined();
  });

  it("refuse a non-object in the options position and extra arguments", () => {
    const h = harness();
    const client = h.ctx.serviceClient(svc) as unknown as Record<
      string,
      (...a: unknown[]) => unknown
    >;
    expect(() => client.echo!("x", "not options")).toThrow(TypeError);
    expect(() => client.echo!("x", {}, {})).toThrow(TypeError);
  });

  it("use the serdes of an iface description", () => {
    const h = harness();
    const api = iface.service("Bytes", {
      raw: iface.serdes({ input: serde.binary, output: serde.binary }),
    });
    void h.ctx.client(api).raw(new Uint8Array([1, 2, 3]));
    expect([...(commandsOf(h)[0]!.message.parameter ?? [])]).toEqual([1, 2, 3]);
  });
});
