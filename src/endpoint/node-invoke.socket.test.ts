// SPDX-License-Identifier: MIT
// The Node fast path for invocations, over real loopback sockets: bidi over HTTP/2 (the response
// starts before the request ends; completions arriving mid-invocation are consumed) and
// request/response over HTTP/1.1.
import http from "node:http";
import http2 from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as pb from "../journal/gen/protocol_pb.js";
import { FrameDecoder, encodeFrame, type Frame } from "../journal/framing.js";
import { endpoint, type RestateEndpoint } from "./endpoint.js";
import { service } from "../definitions/service.js";
import type { Context } from "../context/types.js";

const CONTENT_TYPE = "application/vnd.restate.invocation.v6";
const utf8 = new TextEncoder();

const napper = service({
  name: "Napper",
  handlers: {
    nap: async (ctx: Context, name: string) => {
      await ctx.sleep(1000, "nap");
      return `rested ${name}`;
    },
  },
});

function start(): Uint8Array {
  const msg = create(pb.StartMessageSchema, {
    id: new Uint8Array(24).fill(3),
    debugId: "inv_1fast",
    knownEntries: 1,
    partialState: true,
  });
  return encodeFrame(0x0000, toBinary(pb.StartMessageSchema, msg));
}

function input(value: string): Uint8Array {
  const msg = create(pb.InputCommandSchema, { value: { content: utf8.encode(value) } });
  return encodeFrame(0x0400, toBinary(pb.InputCommandSchema, msg));
}

function sleepCompletion(id: number): Uint8Array {
  const msg = create(pb.NotificationTemplateSchema, {
    id: { case: "completionId", value: id },
    result: { case: "void", value: {} },
  });
  return encodeFrame(0x800c, toBinary(pb.NotificationTemplateSchema, msg));
}

describe("Node fast path for invocations", () => {
  let ep: RestateEndpoint;
  let port: number;
  beforeAll(async () => {
    ep = endpoint().bind(napper);
    port = await ep.listen(0);
  });
  afterAll(async () => {
    await ep.close(100);
  });

  it("streams over HTTP/2: head before the request ends, completion consumed mid-stream", async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      const req = session.request({
        ":method": "POST",
        ":path": "/invoke/Napper/nap",
        "content-type": CONTENT_TYPE,
      });
      const decoder = new FrameDecoder();
      const frames: Frame[] = [];
      let onFrame: () => void = () => {};
      req.on("data", (chunk: Buffer) => {
        frames.push(...decoder.push(new Uint8Array(chunk)));
        onFrame();
      });
      const nextFrame = (count: number) =>
        new Promise<void>((resolve) => {
          onFrame = () => {
            if (frames.length >= count) resolve();
          };
          onFrame();
        });
      const headers = new Promise<http2.IncomingHttpHeaders>((resolve) =>
        req.once("response", resolve),
      );
      req.write(start());
      req.write(input('"Till"'));
      const head = await headers;
      expect(head[":status"]).toBe(200);
      expect(head["content-type"]).toBe(CONTENT_TYPE);
      expect(head["x-restate-server"]).toMatch(/^restate-hono\//);
      await nextFrame(1);
      expect(frames[0]?.type).toBe(0x040c);
      const sleep = fromBinary(pb.SleepCommandSchema, frames[0]!.payload);
      req.write(sleepCompletion(sleep.resultCompletionId));
      await nextFrame(3);
      const output = fromBinary(pb.OutputCommandSchema, frames[1]!.payload);
      expect(output.result.case).toBe("value");
      expect(new TextDecoder().decode((output.result.value as pb.Value).content)).toBe(
        '"rested Till"',
      );
      expect(frames.map((f) => f.type)).toEqual([0x040c, 0x0401, 0x0003]);
      const ended = new Promise<void>((resolve) => req.on("end", resolve));
      req.end();
      await ended;
    } finally {
      session.close();
    }
  });

  it("answers HTTP/1.1 in request/response mode: suspends on the sleep", async () => {
    const body = Buffer.concat([start(), input('"Ada"')]);
    const response = await new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const req = http.request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/prefix/invoke/Napper/nap",
          headers: { "content-type": CONTENT_TYPE },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(response.status).toBe(200);
    const frames = new FrameDecoder().push(new Uint8Array(response.body));
    expect(frames.map((f) => f.type)).toEqual([0x040c, 0x0001]);
    const suspension = fromBinary(pb.SuspensionMessageSchema, frames[1]!.payload);
    expect(suspension.waitingCompletions).toEqual([1]);
    expect(suspension.waitingSignals).toEqual([1]);
  });

  it("leaves errors to the Hono app (unknown handler, wrong content type)", async () => {
    const unknown = await fetch(`http://127.0.0.1:${port}/invoke/Napper/nope`, {
      method: "POST",
      headers: { "content-type": CONTENT_TYPE },
      body: start(),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Handler "nope" not found');
    const wrongType = await fetch(`http://127.0.0.1:${port}/invoke/Napper/nap`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(wrongType.status).toBe(415);
  });
});
