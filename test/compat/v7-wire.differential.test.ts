// SPDX-License-Identifier: MIT
// Service protocol V7 on the wire, side by side: the same handlers on both SDKs' fetch handlers,
// given the same request (request/response mode, content type v7), must answer with the same
// frames. This covers what V7 changes (docs/protocol.md §14): the suspension as a future tree,
// REQUESTED_ACK on run proposals, the error behavior (pause) and scope / limit key on calls, sends
// and in the StartMessage. The same cases run on V6 as a control. The polyfill must be the first
// import (Node 20).
import "../../bench/polyfill.js";
import * as official from "@restatedev/restate-sdk/fetch";
import { describe, expect, it } from "vitest";
import * as ours from "../../src/fetch.js";
import {
  type OutputFrame,
  type StartOptions,
  decodeOutput,
  frame,
  inputCommand,
  journalCase,
  toHex,
} from "../../src/journal/testing/journal-case.js";
import { CommandType, messageTypeName } from "../../src/journal/message-types.js";

/** A durable promise, as far as the handlers use it. */
type WirePromise<T> = PromiseLike<T>;

/** The context operations the handlers use (method syntax: bivariant, so both SDKs fit). */
interface WireContext {
  sleep(millis: number): WirePromise<void>;
  run<T>(name: string, action: () => Promise<T>): WirePromise<T>;
  awakeable(): { readonly promise: WirePromise<unknown> };
  genericCall(call: {
    service: string;
    method: string;
    parameter: Uint8Array;
    scope?: string;
    limitKey?: string;
    idempotencyKey?: string;
  }): WirePromise<Uint8Array>;
  genericSend(call: {
    service: string;
    method: string;
    parameter: Uint8Array;
    scope?: string;
    limitKey?: string;
  }): unknown;
  request(): { readonly scope?: string; readonly limitKey?: string };
}

/** The part of an SDK module namespace the handlers use. */
interface WireSdk {
  service(init: { name: string; handlers: object; options?: object }): { readonly name: string };
  createEndpointHandler(options: {
    services: ReadonlyArray<{ readonly name: string }>;
  }): (request: Request) => Promise<Response> | Response;
  readonly RestatePromise: {
    race(promises: readonly WirePromise<unknown>[]): WirePromise<unknown>;
    all(promises: readonly WirePromise<unknown>[]): WirePromise<unknown>;
    any(promises: readonly WirePromise<unknown>[]): WirePromise<unknown>;
    allSettled(promises: readonly WirePromise<unknown>[]): WirePromise<unknown>;
  };
  readonly PauseError: (new (message: string) => Error) & { from(cause: unknown): Error };
}

const bytes = (text: string) => new TextEncoder().encode(text);

function handlers(sdk: WireSdk): Record<string, (ctx: WireContext) => Promise<unknown>> {
  const { RestatePromise: P } = sdk;
  return {
    sleep: async (ctx) => ctx.sleep(60_000),
    race: async (ctx) => P.race([ctx.sleep(60_000), ctx.awakeable().promise]),
    all: async (ctx) => P.all([ctx.sleep(1_000), ctx.awakeable().promise]),
    any: async (ctx) => P.any([ctx.sleep(1_000), ctx.sleep(2_000)]),
    allSettled: async (ctx) =>
      P.allSettled([ctx.sleep(1_000), P.race([ctx.sleep(2_000), ctx.awakeable().promise])]),
    run: async (ctx) => ctx.run("r", async () => "ran"),
    runThenSleep: async (ctx) => {
      await ctx.run("r", async () => "ran");
      return ctx.sleep(1_000);
    },
    pause: async (ctx) =>
      ctx.run("charge", async () => {
        throw new sdk.PauseError("card expired");
      }),
    pauseFrom: async (ctx) =>
      ctx.run("charge", async () => {
        throw sdk.PauseError.from(new Error("card expired"));
      }),
    scopedCall: async (ctx) =>
      ctx.genericCall({
        service: "Other",
        method: "h",
        parameter: bytes('"x"'),
        scope: "tenant-1",
        limitKey: "user-7",
        idempotencyKey: "k1",
      }),
    scopedSend: async (ctx) => {
      ctx.genericSend({
        service: "Other",
        method: "h",
        parameter: bytes('"x"'),
        scope: "tenant-1",
        limitKey: "user-7",
      });
      return "sent";
    },
    whoami: async (ctx) => {
      const { scope, limitKey } = ctx.request();
      return { scope: scope ?? null, limitKey: limitKey ?? null };
    },
  };
}

const HANDLERS = Object.keys(handlers(ours));

/** The handler's choice after a journal mismatch, each on its own service. */
const MISMATCH_BEHAVIORS = ["retry", "pause", "fail"] as const;

/** Services whose handler sleeps where the journal holds a run: a mismatch on replay. */
function mismatchServices(sdk: WireSdk) {
  return MISMATCH_BEHAVIORS.map((behavior) =>
    sdk.service({
      name: `Mismatch-${behavior}`,
      handlers: { drift: async (ctx: WireContext) => ctx.sleep(1_000) },
      options: { onJournalMismatchErrors: behavior },
    }),
  );
}

function endpointOf(sdk: WireSdk) {
  return sdk.createEndpointHandler({
    services: [sdk.service({ name: "Wire", handlers: handlers(sdk) }), ...mismatchServices(sdk)],
  });
}

const officialHandler = endpointOf(official);
const ourHandler = endpointOf(ours);

/** One frame, comparably: type, flags and message, blanking what depends on the clock or the sources. */
function comparable(frame: OutputFrame): string {
  const message = { ...(frame.message as unknown as Record<string, unknown>) };
  delete message["$typeName"];
  if (frame.type === CommandType.Sleep) message["wakeUpTime"] = "<clock>";
  if ("stacktrace" in message) message["stacktrace"] = "<stack>";
  const text = JSON.stringify(message, (_key, value: unknown) =>
    typeof value === "bigint" ? `${value}n` : value instanceof Uint8Array ? toHex(value) : value,
  );
  return `${messageTypeName(frame.type)} flags=${frame.flags.toString(16)} ${text}`;
}

async function answer(
  handler: (request: Request) => Promise<Response> | Response,
  path: string,
  version: 6 | 7,
  body: Uint8Array,
): Promise<{ status: number; contentType: string | null; frames: string[] }> {
  const res = await handler(
    new Request(`http://endpoint/invoke/${path}`, {
      method: "POST",
      headers: { "content-type": `application/vnd.restate.invocation.v${version}` },
      body,
    }),
  );
  const frames = decodeOutput(new Uint8Array(await res.arrayBuffer())).map(comparable);
  return { status: res.status, contentType: res.headers.get("content-type"), frames };
}

/** V6 cases: a scope needs V7, and each SDK words its refusal (573) its own way. */
const V6_HANDLERS = HANDLERS.filter((name) => !["scopedCall", "scopedSend"].includes(name));

describe.each([
  [7, HANDLERS],
  [6, V6_HANDLERS],
] as const)("service protocol V%d: the same frames as the official SDK", (version, names) => {
  it.each(names)("%s", async (name) => {
    const start: Partial<StartOptions> =
      version === 7 ? { scope: "tenant-1", limitKey: "user-7" } : {};
    const body = journalCase().start(start).input(inputCommand("null")).requestBytes();
    const theirs = await answer(officialHandler, `Wire/${name}`, version, body);
    const mine = await answer(ourHandler, `Wire/${name}`, version, body);
    expect(theirs.status).toBe(200);
    expect(mine).toEqual(theirs);
  });
});

/** What the runtime acts on in a lone ErrorMessage frame. */
function errorOutcome(frames: readonly string[]): unknown {
  const [only] = frames;
  const json = only?.startsWith("ErrorMessage ") ? only.slice(only.indexOf("{")) : "null";
  const error = JSON.parse(json) as Record<string, unknown> | null;
  return error && [error["code"], error["behavior"], error["relatedCommandIndex"]];
}

describe.each([7, 6] as const)("a journal mismatch on V%d: the same ErrorMessage", (version) => {
  it.each(MISMATCH_BEHAVIORS)("onJournalMismatchErrors: %s", async (behavior) => {
    const body = journalCase()
      .start()
      .input(inputCommand("null"))
      .command(frame(CommandType.Run, { resultCompletionId: 1, name: "charge" }))
      .requestBytes();
    const path = `Mismatch-${behavior}/drift`;
    const theirs = await answer(officialHandler, path, version, body);
    const mine = await answer(ourHandler, path, version, body);
    expect(theirs.frames).toHaveLength(1);
    // The message and the related command's type and name are worded from each SDK's own view of
    // the mismatch; the code, the behavior and the index are what the runtime acts on.
    expect(errorOutcome(mine.frames)).toEqual(errorOutcome(theirs.frames));
  });
});
