// SPDX-License-Identifier: MIT
// What the endpoint answers to good and bad invocation requests, end to end through `app.request()`
// with the real runner: hand-built request frames in, decoded response frames out.
import { type MessageInitShape, create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { Context } from "../context/types.js";
import { toServiceEntry } from "../definitions/registry.js";
import { handlers, service } from "../definitions/service.js";
import { RetryableError, TerminalError } from "../errors.js";
import { encodeFrame, FrameDecoder } from "../journal/framing.js";
import * as pb from "../journal/gen/protocol_pb.js";
import { CommandType, MessageType } from "../journal/message-types.js";
import { serde } from "../serde/index.js";
import { type AttemptFrame, decodeFrames } from "./__fixtures__/invocation-frames.js";
import { createEndpointApp } from "./app.js";
import { FetchEndpoint } from "./fetch-endpoint.js";
import { createLogger } from "./logger.js";
import { SERVER_HEADER } from "./version.js";

const ct = (v: number) => `application/vnd.restate.invocation.v${v}`;
const utf8 = (s: string) => new TextEncoder().encode(s);

/** Warnings of the runner ("failed, the runtime will retry") are expected here; keep them quiet. */
const warnings: unknown[][] = [];
const logger = createLogger({
  level: "WARN",
  sink: { debug() {}, info() {}, warn: (...args) => warnings.push(args), error() {} },
});

let boomCount = 0;
const bad = service({
  name: "Bad",
  handlers: {
    greet: async (_ctx: Context, name: string) => `Hello ${name}!`,
    validated: handlers.handler(
      { input: serde.schema(z.object({ name: z.string(), age: z.number().int() })) },
      async (_ctx: Context, person: { name: string; age: number }) =>
        `${person.name}/${person.age}`,
    ),
    boom: async () => {
      boomCount++;
      throw new Error("plain boom");
    },
    later: async () => {
      throw new RetryableError("rate limited", { retryAfter: { seconds: 1, milliseconds: 500 } });
    },
    teapot: async () => {
      throw new TerminalError("I am a teapot", { errorCode: 418, metadata: { pot: "tea" } });
    },
  },
});

const app = new FetchEndpoint().setLogger(logger).bind(bad).app();
/** The same service with a small message size limit (an option of the app, not the builder). */
const small = createEndpointApp([toServiceEntry(bad)], { logger, maxMessageSize: 1024 });

const INVOCATION_ID = Uint8Array.from({ length: 24 }, (_, i) => i + 1);

function startFrame(init: MessageInitShape<typeof pb.StartMessageSchema> = {}): Uint8Array {
  const msg = create(pb.StartMessageSchema, {
    id: INVOCATION_ID,
    debugId: "inv_1testtesttesttesttesttesttestte",
    knownEntries: 1,
    partialState: true,
    randomSeed: 42n,
    ...init,
  });
  return encodeFrame(MessageType.Start, toBinary(pb.StartMessageSchema, msg));
}

function inputFrame(content: Uint8Array | string): Uint8Array {
  const value = typeof content === "string" ? utf8(content) : content;
  const msg = create(pb.InputCommandSchema, { value: { content: value } });
  return encodeFrame(CommandType.Input, toBinary(pb.InputCommandSchema, msg));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

type App = typeof app;

/** POSTs an invocation; checks the head every response must carry. */
async function post(
  path: string,
  body: Uint8Array,
  contentType: string | null = ct(6),
  target: App = app,
): Promise<Response> {
  const headers: Record<string, string> = { "x-restate-invocation-id": "inv_1test" };
  if (contentType !== null) headers["content-type"] = contentType;
  const res = await target.request(path, { method: "POST", headers, body });
  expect(res.headers.get("x-restate-server")).toBe(SERVER_HEADER);
  expect(SERVER_HEADER).toMatch(/^restate-hono\/\d+\.\d+\.\d+/);
  return res;
}

/** Invokes a handler with a well-formed journal (Start + Input) and decodes the answer. */
async function invoke(handler: string, input: string | Uint8Array, version = 6) {
  const res = await post(
    `/invoke/Bad/${handler}`,
    concat(startFrame(), inputFrame(input)),
    ct(version),
  );
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe(ct(version));
  return decodeFrames(new Uint8Array(await res.arrayBuffer()));
}

/** The single ErrorMessage a failed attempt must consist of. */
function onlyError(frames: AttemptFrame[]): pb.ErrorMessage {
  expect(frames.map((f) => f.type)).toEqual(["error"]);
  const [first] = frames;
  if (first?.type !== "error") throw new Error("unreachable");
  return first.message;
}

/** Output + End of a completed attempt; returns the output command. */
function outputThenEnd(frames: AttemptFrame[]): pb.OutputCommand {
  expect(frames.map((f) => f.type)).toEqual(["output", "end"]);
  const [first] = frames;
  if (first?.type !== "output") throw new Error("unreachable");
  return first.message;
}

async function errorOf(res: Response): Promise<pb.ErrorMessage> {
  expect(res.status).toBe(200);
  return onlyError(decodeFrames(new Uint8Array(await res.arrayBuffer())));
}

/** The text of an output's success value. */
function valueText(output: pb.OutputCommand): string {
  if (output.result.case !== "value")
    throw new Error(`expected a value, got ${output.result.case}`);
  return new TextDecoder().decode(output.result.value.content);
}

/** The failure of an output. */
function failureOf(output: pb.OutputCommand): pb.Failure {
  if (output.result.case !== "failure")
    throw new Error(`expected a failure, got ${output.result.case}`);
  return output.result.value;
}

/**
 * POSTs a body that stays open after `first` was sent, and returns the first response frame
 * without waiting for the request to end. Then ends the request.
 */
async function firstFrameOfOpenRequest(target: App, first: Uint8Array): Promise<AttemptFrame> {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      c.enqueue(first);
    },
  });
  // `duplex` is required by Node's fetch for a streaming body; lib.dom's RequestInit lacks it.
  const init = { method: "POST", headers: { "content-type": ct(6) }, body, duplex: "half" };
  const res = await target.request("http://endpoint/invoke/Bad/greet", init as RequestInit);
  expect(res.status).toBe(200);
  expect(res.headers.get("x-restate-server")).toBe(SERVER_HEADER);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new FrameDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new Error("response ended without a frame");
      const [frame] = decoder.push(value);
      if (frame !== undefined) {
        return decodeFrames(encodeFrame(frame.type, frame.payload))[0]!;
      }
    }
  } finally {
    controller?.close();
    await reader.cancel();
  }
}

describe("a well-formed request", () => {
  it("runs the handler: Output with its result, then End (V6, request/response)", async () => {
    const output = outputThenEnd(await invoke("greet", '"Till"'));
    expect(valueText(output)).toBe('"Hello Till!"');
  });

  it("runs the handler on V5 too", async () => {
    expect(valueText(outputThenEnd(await invoke("greet", '"V5"', 5)))).toBe('"Hello V5!"');
  });
});

describe("a malformed request body", () => {
  it("answers a non-protobuf StartMessage with ErrorMessage 571, and keeps serving", async () => {
    const garbage = encodeFrame(MessageType.Start, Uint8Array.of(0xff, 0xff, 0xff, 0xff));
    const error = await errorOf(
      await post("/invoke/Bad/greet", concat(garbage, inputFrame('"x"'))),
    );
    expect(error.code).toBe(571);
    expect(error.message).toMatch(/^Malformed StartMessage: /);
    // The same app answers the next, valid, request normally.
    expect(valueText(outputThenEnd(await invoke("greet", '"again"')))).toBe('"Hello again!"');
  });

  it("answers plain text (no frame header at all) with an ErrorMessage, without buffering", async () => {
    // Bytes 4-7 of the text, read as a length, are far above the limit: rejected at the header.
    const error = await errorOf(await post("/invoke/Bad/greet", utf8("hello, I am not a frame")));
    expect(error.code).toBe(571);
    expect(error.message).toMatch(/^Frame of \d+ bytes exceeds the maximum message size of/);
  });

  it("answers a first frame that is not a StartMessage with ErrorMessage 571", async () => {
    const error = await errorOf(await post("/invoke/Bad/greet", inputFrame('"x"')));
    expect(error.code).toBe(571);
    expect(error.message).toBe("Unexpected InputCommand while waiting for StartMessage");
  });

  it("names truncation when the body ends in the middle of a frame", async () => {
    const input = inputFrame('"cut short"');
    const body = concat(startFrame(), input.subarray(0, 12));
    const error = await errorOf(await post("/invoke/Bad/greet", body));
    expect(error.code).toBe(571);
    expect(error.message).toBe("Input closed in the middle of a frame (12 bytes buffered)");
  });

  it("names the missing entries when the body ends before the journal is complete", async () => {
    const error = await errorOf(await post("/invoke/Bad/greet", startFrame({ knownEntries: 2 })));
    expect(error.code).toBe(571);
    expect(error.message).toBe("Input closed after 0 of 2 journal entries");
  });

  it("answers an unknown message type id with ErrorMessage 500 naming it", async () => {
    const body = concat(
      startFrame({ knownEntries: 2 }),
      inputFrame('"x"'),
      encodeFrame(0x0099, new Uint8Array(0)),
    );
    const error = await errorOf(await post("/invoke/Bad/greet", body));
    expect(error.code).toBe(500);
    expect(error.message).toBe("Unknown message type 0x0099: cannot decode it");
  });

  it("rejects a declared length over the configured maximum before the payload arrives", async () => {
    // Only the header is sent and the request stays open: the answer cannot wait for the payload.
    const header = encodeFrame(MessageType.Start, new Uint8Array(0));
    new DataView(header.buffer).setUint32(4, 2048);
    const frame = await firstFrameOfOpenRequest(small, header);
    expect(frame.type).toBe("error");
    if (frame.type !== "error") return;
    expect(frame.message.code).toBe(571);
    expect(frame.message.message).toBe(
      "Frame of 2048 bytes exceeds the maximum message size of 1024 bytes",
    );
  });

  it("rejects a 0xFFFFFFFF length against the 32 MiB default before allocating", async () => {
    const header = encodeFrame(MessageType.Start, new Uint8Array(0));
    new DataView(header.buffer).setUint32(4, 0xffff_ffff);
    const frame = await firstFrameOfOpenRequest(app, header);
    expect(frame.type).toBe("error");
    if (frame.type !== "error") return;
    expect(frame.message.code).toBe(571);
    expect(frame.message.message).toBe(
      `Frame of ${0xffff_ffff} bytes exceeds the maximum message size of ${32 * 1024 * 1024} bytes`,
    );
  });
});

describe("a request the endpoint cannot route", () => {
  it.each([
    ["application/json", /got content-type "application\/json"/],
    [null, /got no content-type/],
    [ct(4), /invocation\.v4/],
    [ct(8), /invocation\.v8/],
  ])("answers content type %s with 415 and a clear body", async (type, got) => {
    const res = await post("/invoke/Bad/greet", concat(startFrame(), inputFrame('"x"')), type);
    expect(res.status).toBe(415);
    const text = await res.text();
    expect(text).toMatch(/^Unsupported invocation protocol: /);
    expect(text).toMatch(got);
    expect(text).toContain(`accepts ${ct(5)} and ${ct(6)}`);
  });

  it("answers an unknown service or handler with 404 naming it", async () => {
    const body = concat(startFrame(), inputFrame('"x"'));
    const noService = await post("/invoke/Nobody/greet", body);
    expect(noService.status).toBe(404);
    expect(await noService.text()).toBe('Service "Nobody" not found on this endpoint');
    const noHandler = await post("/invoke/Bad/shout", body);
    expect(noHandler.status).toBe(404);
    expect(await noHandler.text()).toBe('Handler "shout" not found in service "Bad"');
  });
});

describe("bad input to the handler", () => {
  it("ends invalid JSON with a terminal Output failure 400, not a retry", async () => {
    const failure = failureOf(outputThenEnd(await invoke("greet", "{not json")));
    expect(failure.code).toBe(400);
    expect(failure.message).toMatch(/^Invalid JSON: /);
  });

  it("ends input failing a zod schema with Output failure 400 naming the field", async () => {
    const failure = failureOf(
      outputThenEnd(await invoke("validated", '{"name":"Till","age":"old"}')),
    );
    expect(failure.code).toBe(400);
    expect(failure.message).toMatch(/^Invalid input: at "age": /);
    expect(failure.message).not.toContain('"name"');
  });

  it("passes input that satisfies the zod schema", async () => {
    const output = outputThenEnd(await invoke("validated", '{"name":"Till","age":42}'));
    expect(valueText(output)).toBe('"Till/42"');
  });
});

describe("errors thrown by the handler", () => {
  it("fails the attempt on a plain Error: ErrorMessage 500 (retried) with message and stack", async () => {
    const before = boomCount;
    const error = onlyError(await invoke("boom", ""));
    expect(boomCount).toBe(before + 1);
    expect(error.code).toBe(500);
    expect(error.message).toBe("plain boom");
    expect(error.stacktrace).toContain("plain boom");
    expect(error.stacktrace).toContain("bad-input.test.ts");
    // A handler error relates to no command (none failed; the handler did).
    expect(error.relatedCommandIndex).toBeUndefined();
    expect(error.relatedCommandType).toBeUndefined();
    expect(error.nextRetryDelay).toBeUndefined();
  });

  it("sends next_retry_delay for a RetryableError with retryAfter", async () => {
    const error = onlyError(await invoke("later", ""));
    expect(error.code).toBe(500);
    expect(error.message).toBe("rate limited");
    expect(error.nextRetryDelay).toBe(1500n);
  });

  it("ends a TerminalError with an Output failure carrying its metadata on V6", async () => {
    const failure = failureOf(outputThenEnd(await invoke("teapot", "")));
    expect(failure.code).toBe(418);
    expect(failure.message).toBe("I am a teapot");
    expect(failure.metadata.map(({ key, value }) => [key, value])).toEqual([["pot", "tea"]]);
  });

  it("refuses a TerminalError's metadata on V5, which has no field for it (573)", async () => {
    const error = onlyError(await invoke("teapot", "", 5));
    expect(error.code).toBe(573);
    expect(error.message).toBe("Failure metadata is not supported by service protocol V5");
    expect(error.relatedCommandType).toBe(CommandType.Output);
  });
});

describe("protocolVersions(min, max)", () => {
  const v5only = new FetchEndpoint().setLogger(logger).bind(bad).protocolVersions(5, 5).app();

  it("advertises the range at discovery", async () => {
    const res = await v5only.request("/discover", {
      headers: { accept: "application/vnd.restate.endpointmanifest.v4+json" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ minProtocolVersion: 5, maxProtocolVersion: 5 });
    const full = await app.request("/discover", {
      headers: { accept: "application/vnd.restate.endpointmanifest.v4+json" },
    });
    expect(await full.json()).toMatchObject({ minProtocolVersion: 5, maxProtocolVersion: 7 });
  });

  it("answers a version outside the range with 415 listing the accepted ones", async () => {
    const body = concat(startFrame(), inputFrame('"x"'));
    const v6 = await post("/invoke/Bad/greet", body, ct(6), v5only);
    expect(v6.status).toBe(415);
    expect(await v6.text()).toBe(
      `Unsupported invocation protocol: got content-type "${ct(6)}"; this endpoint accepts ${ct(5)}.`,
    );
    const v5 = await post("/invoke/Bad/greet", body, ct(5), v5only);
    expect(v5.status).toBe(200);
    const frames = decodeFrames(new Uint8Array(await v5.arrayBuffer()));
    expect(valueText(outputThenEnd(frames))).toBe('"Hello x!"');
  });

  it("accepts V7 by default, as the official SDK; protocolVersions(5, 6) refuses it", async () => {
    const body = concat(startFrame(), inputFrame('"x"'));
    const res = await post("/invoke/Bad/greet", body, ct(7));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(ct(7));
    const frames = decodeFrames(new Uint8Array(await res.arrayBuffer()));
    expect(valueText(outputThenEnd(frames))).toBe('"Hello x!"');
    const v6 = new FetchEndpoint().setLogger(logger).bind(bad).protocolVersions(5, 6).app();
    expect((await post("/invoke/Bad/greet", body, ct(7), v6)).status).toBe(415);
    const manifest = await v6.request("/discover", {
      headers: { accept: "application/vnd.restate.endpointmanifest.v4+json" },
    });
    expect(await manifest.json()).toMatchObject({ minProtocolVersion: 5, maxProtocolVersion: 6 });
  });

  it.each([
    [4, 6],
    [5, 8],
    [6, 5],
    [5.5, 6],
  ])("rejects protocolVersions(%d, %d) with a RangeError", (min, max) => {
    expect(() => new FetchEndpoint().protocolVersions(min, max)).toThrow(
      new RangeError(
        `protocolVersions(${min}, ${max}): expected integers with 5 <= min <= max <= 7`,
      ),
    );
  });
});
