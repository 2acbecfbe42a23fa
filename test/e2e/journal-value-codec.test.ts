// SPDX-License-Identifier: MIT
// The journal value codec side by side: the same services with the same "encrypting" codec run on
// the official SDK and on restate-hono behind one real restate-server. What the server stores
// (state, the handler's input and output) must be the encoded bytes, byte for byte the same for
// both SDKs, the ingress answers the same, and an attempt retried after the codec changed its
// encoding replays the journal. The polyfill must be the first import (Node 20).
import "../../bench/polyfill.js";
import type http2 from "node:http2";
import * as official from "@restatedev/restate-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ours from "../../src/node.js";
import type { JournalValueCodec } from "../../src/index.js";
import { waitFor } from "../../dev/restate-server.js";
import { type ServerEnv, sqlId, registerHttp2Handler, startServerEnv } from "./support.js";

const PREFIX = [0x45, 0x4e, 0x43]; // "ENC"
const XOR = 0x5a;
const FLAKY = 13;
/** A nonce the codec writes but refuses to decode: a value journaled under a key since lost. */
const LOST_KEY = 0xff;

/** One SDK's services behind their own HTTP/2 server, and what its handlers and codec saw. */
interface Side {
  readonly prefix: string;
  /** The nonce byte the codec writes; a handler bumps it to change the encoding. */
  nonce: number;
  providerCalls: number;
  readonly events: string[];
}

/**
 * An "encrypting" codec: "ENC", the side's current nonce, then every byte XORed. Decoding checks
 * the prefix and ignores the nonce, so a value encoded under another nonce still decodes.
 */
function codecOf(side: Side): JournalValueCodec {
  return {
    encode(buf) {
      const out = new Uint8Array(buf.length + 4);
      out.set(PREFIX);
      out[3] = side.nonce;
      buf.forEach((b, i) => (out[i + 4] = b ^ XOR));
      return out;
    },
    decode(buf) {
      if (!PREFIX.every((b, i) => buf[i] === b)) {
        return Promise.reject(new Error("missing the ENC prefix"));
      }
      if (buf[3] === LOST_KEY) return Promise.reject(new Error("encoded with a lost key"));
      return Promise.resolve(buf.subarray(4).map((b) => b ^ XOR));
    },
  };
}

const encodeJson = (value: unknown, nonce = 0) =>
  codecOf({ prefix: "", nonce, providerCalls: 0, events: [] }).encode(
    new TextEncoder().encode(JSON.stringify(value)),
  );
const decodeJson = (bytes: Uint8Array): unknown =>
  JSON.parse(new TextDecoder().decode(bytes.subarray(4).map((b) => b ^ XOR)));

/** The context operations the handlers use (both SDKs' contexts have them). */
interface VaultContext {
  get<T>(name: string): PromiseLike<T | null>;
  set<T>(name: string, value: T): void;
  run<T>(name: string, action: () => Promise<T>): PromiseLike<T>;
  genericCall(call: {
    service: string;
    method: string;
    parameter: Uint8Array;
  }): PromiseLike<Uint8Array>;
}

interface Definition {
  readonly name: string;
}

/** The part of an SDK module namespace used here; method syntax keeps parameters bivariant. */
interface CodecSdk {
  service(init: { name: string; handlers: object }): Definition;
  object(init: { name: string; handlers: object }): Definition;
  createEndpointHandler(options: {
    services: Definition[];
    journalValueCodecProvider: () => Promise<JournalValueCodec>;
  }): (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => void;
}

function defineServices(sdk: CodecSdk, side: Side): Definition[] {
  const echo = sdk.service({
    name: `${side.prefix}Echo`,
    handlers: {
      echo: async (_ctx: unknown, text: string) => {
        side.events.push(`echo ${text}`);
        return Promise.resolve(`echo: ${text}`);
      },
    },
  });
  const vault = sdk.object({
    name: `${side.prefix}Vault`,
    handlers: {
      deposit: async (ctx: VaultContext, amount: number) => {
        side.events.push(`deposit ${amount}`);
        const balance = ((await ctx.get<number>("balance")) ?? 0) + amount;
        ctx.set("balance", balance);
        const reply = await ctx.genericCall({
          service: echo.name,
          method: "echo",
          parameter: new TextEncoder().encode(JSON.stringify(`deposited ${amount}`)),
        });
        const echoed = JSON.parse(new TextDecoder().decode(reply)) as string;
        const stamp = await ctx.run("stamp", async () => {
          side.events.push(`stamp ${balance}`);
          if (amount === FLAKY && side.nonce === 0) {
            // The retry encodes everything differently: replay must not compare the bytes.
            side.nonce = 1;
            throw new Error("flaky once");
          }
          return Promise.resolve(`stamped ${balance}`);
        });
        return { balance, echoed, stamp };
      },
      /** Stores a balance the codec will not decode again. */
      plant: async (ctx: VaultContext) => {
        side.nonce = LOST_KEY;
        ctx.set("balance", 1);
        side.nonce = 0;
        return Promise.resolve("planted");
      },
      /** Reads the balance, catching what the read throws. */
      peek: async (ctx: VaultContext) => {
        try {
          return await ctx.get<number>("balance");
        } catch (e) {
          side.events.push(`caught ${e instanceof Error ? e.message : String(e)}`);
          return "caught";
        }
      },
    },
  });
  return [echo, vault];
}

let env: ServerEnv;
const sides: Side[] = [];

async function serve(sdk: CodecSdk, prefix: string): Promise<Side> {
  const side: Side = { prefix, nonce: 0, providerCalls: 0, events: [] };
  await registerHttp2Handler(
    env,
    sdk.createEndpointHandler({
      services: defineServices(sdk, side),
      journalValueCodecProvider: () => {
        side.providerCalls++;
        return Promise.resolve(codecOf(side));
      },
    }),
  );
  return side;
}

beforeAll(async () => {
  env = await startServerEnv();
  sides.push(await serve(official, "Official"), await serve(ours, "Ours"));
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

/** POSTs raw bytes to a handler; the status and the raw answer. */
async function call(path: string, body: Uint8Array) {
  const res = await env.ingressRaw(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: res.status, body: new Uint8Array(await res.arrayBuffer()) };
}

/** The stored bytes of one state entry (the server returns binary columns hex-encoded). */
async function storedState(service: string, key: string, name: string): Promise<Uint8Array> {
  const rows = await env.server.query<{ value: string }>(
    `SELECT value FROM state WHERE service_name = '${sqlId(service)}' ` +
      `AND service_key = '${sqlId(key)}' AND key = '${sqlId(name)}'`,
  );
  const hex = rows[0]?.value;
  if (hex === undefined) throw new Error(`no state ${service}/${key}/${name}`);
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

describe("journal value codec: restate-hono and the official SDK side by side", () => {
  it("stores encoded state, output the same bytes, and answer the same", async () => {
    const results = [];
    for (const side of sides) {
      const first = await call(`/${side.prefix}Vault/alice/deposit`, encodeJson(5));
      const second = await call(`/${side.prefix}Vault/alice/deposit`, encodeJson(7));
      const state = await storedState(`${side.prefix}Vault`, "alice", "balance");
      results.push({ first, second, state });
    }
    const [theirs, mine] = results as [(typeof results)[0], (typeof results)[0]];
    expect(theirs.first.status).toBe(200);
    expect(decodeJson(theirs.second.body)).toEqual({
      balance: 12,
      echoed: "echo: deposited 7",
      stamp: "stamped 12",
    });
    expect(mine).toEqual(theirs);
    // What the server stores is the encoding, not the JSON.
    expect(mine.state).toEqual(encodeJson(12));
    // The provider is called once per endpoint.
    expect(sides.map((s) => s.providerCalls)).toEqual([1, 1]);
  });

  it("fails an input the codec cannot decode with the same 400", async () => {
    const answers = [];
    for (const side of sides) {
      const plain = new TextEncoder().encode("5");
      const { status, body } = await call(`/${side.prefix}Vault/bob/deposit`, plain);
      answers.push({ status, body: JSON.parse(new TextDecoder().decode(body)) as unknown });
    }
    expect(answers[0]).toMatchObject({
      status: 400,
      body: { message: "Failed to decode input using journal value codec: missing the ENC prefix" },
    });
    expect(answers[1]).toEqual(answers[0]);
  });

  it("retries an attempt whose state the codec cannot decode; the handler cannot catch it", async () => {
    const outcomes = [];
    for (const side of sides) {
      side.events.length = 0;
      const planted = await call(`/${side.prefix}Vault/dave/plant`, encodeJson(null));
      const sent = await call(`/${side.prefix}Vault/dave/peek/send`, encodeJson(null));
      const { invocationId } = JSON.parse(new TextDecoder().decode(sent.body)) as {
        invocationId: string;
      };
      const retried = async () =>
        Number((await env.invocation(invocationId))?.["retry_count"] ?? 0) >= 2;
      await waitFor(retried, { message: `${side.prefix} peek retried` });
      const row = (await env.invocation(invocationId))!;
      await env.admin("PATCH", `/invocations/${invocationId}/kill`);
      outcomes.push({
        planted: planted.status,
        status: row["status"] === "running" ? "backing-off" : row["status"],
        code: row["last_failure_error_code"],
        failure: String(row["last_failure"]).includes("encoded with a lost key"),
        events: [...side.events],
      });
    }
    expect(outcomes[0]).toEqual({
      planted: 200,
      status: "backing-off",
      code: "RT0007",
      failure: true,
      events: [],
    });
    expect(outcomes[1]).toEqual(outcomes[0]);
  });

  it("replays a retried attempt whose codec now encodes differently", async () => {
    const outcomes = [];
    for (const side of sides) {
      side.events.length = 0;
      const { status, body } = await call(`/${side.prefix}Vault/carol/deposit`, encodeJson(FLAKY));
      const state = await storedState(`${side.prefix}Vault`, "carol", "balance");
      outcomes.push({ status, body, state, events: [...side.events], nonce: side.nonce });
    }
    const [theirs, mine] = outcomes as [(typeof outcomes)[0], (typeof outcomes)[0]];
    expect(theirs.status).toBe(200);
    expect(decodeJson(theirs.body)).toEqual({
      balance: FLAKY,
      echoed: `echo: deposited ${FLAKY}`,
      stamp: `stamped ${FLAKY}`,
    });
    // The first attempt ran everything; the retry replayed the state and the call and ran only
    // the failed step again, now encoding with nonce 1 (the state kept the first encoding).
    expect(theirs.events).toEqual([
      `deposit ${FLAKY}`,
      `echo deposited ${FLAKY}`,
      `stamp ${FLAKY}`,
      `deposit ${FLAKY}`,
      `stamp ${FLAKY}`,
    ]);
    expect(theirs.state).toEqual(encodeJson(FLAKY, 0));
    expect(theirs.body[3]).toBe(1);
    expect(mine).toEqual(theirs);
  });
});
