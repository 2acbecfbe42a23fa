// SPDX-License-Identifier: MIT
// The Lambda transport's compression rules, with gzip standing in for zstd: Node 20 has no zstd,
// and gzip's sync functions take the same `maxOutputLength` and fail the same way. The real zstd
// runs in test/e2e/lambda-zstd.test.ts, under a Node 22 binary.
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { service } from "../definitions/service.js";
import { echoRunner } from "./__fixtures__/echo-runner.js";
import { silent } from "./__fixtures__/silent-logger.js";
import { endpointCore, withRunner } from "./endpoint-builder.js";
import {
  CompressedBodyError,
  acceptsZstd,
  decodeRequestBody,
  encodeResponseBody,
  type LambdaCompression,
} from "./lambda-compression.js";
import { fromBase64 } from "./lambda-event.js";
import { LambdaEndpoint, createLambdaHandler } from "./lambda-handler.js";
import { ZstdLimitError, runtimeZstdCodec, zstdFromZlib } from "./zstd.js";

const CT = "application/vnd.restate.invocation.v6";
const V4 = "application/vnd.restate.endpointmanifest.v4+json";
const V3 = "application/vnd.restate.endpointmanifest.v3+json";
const standIn = zstdFromZlib({ zstdCompressSync: gzipSync, zstdDecompressSync: gunzipSync });
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array) => new TextDecoder().decode(data);

function compression(overrides: Partial<LambdaCompression> = {}): LambdaCompression {
  return { zstd: () => standIn, maxRequestBytes: 1000, responseThreshold: 100, ...overrides };
}
const NO_ZSTD = compression({ zstd: () => undefined });

describe("decodeRequestBody", () => {
  it("passes an identity or unlabelled body through", () => {
    const body = bytes("frames");
    expect(decodeRequestBody(body, undefined, NO_ZSTD)).toBe(body);
    expect(decodeRequestBody(body, " Identity ", NO_ZSTD)).toBe(body);
  });

  it("decompresses `content-encoding: zstd` (any case, trimmed)", () => {
    const decoded = decodeRequestBody(standIn.compress(bytes("frames")), " ZSTD", compression());
    expect(decoded).toBeInstanceOf(Uint8Array);
    expect(text(decoded as Uint8Array)).toBe("frames");
  });

  it("fails naming the cause where the runtime has no zstd", () => {
    expect(() => decodeRequestBody(standIn.compress(bytes("x")), "zstd", NO_ZSTD)).toThrow(
      new CompressedBodyError(
        "The request body is zstd-compressed, but this runtime's node:zlib has no zstd " +
          "(Node.js 22.15 or later has it). Deploy the function on a runtime with zstd, or " +
          "register the deployment again so that restate-server stops compressing.",
      ),
    );
  });

  it("refuses other encodings with 415", () => {
    expect(decodeRequestBody(bytes("x"), "gzip", compression())).toMatchObject({
      status: 415,
      body: 'Unsupported content-encoding "gzip"',
    });
  });

  it("stops a body that decompresses beyond the cap (a zstd bomb)", () => {
    const bomb = standIn.compress(new Uint8Array(10_000_000));
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => decodeRequestBody(bomb, "zstd", compression({ maxRequestBytes: 4096 }))).toThrow(
      new CompressedBodyError(
        "The zstd-compressed request body is too large: " +
          "zstd data decompresses to more than 4096 bytes",
      ),
    );
    // Exactly at the cap is fine.
    const full = decodeRequestBody(standIn.compress(new Uint8Array(4096)), "zstd", {
      ...compression(),
      maxRequestBytes: 4096,
    });
    expect(full).toHaveLength(4096);
  });

  it("fails on data that is not compressed, keeping zlib's error as the cause", () => {
    let thrown: unknown;
    try {
      decodeRequestBody(bytes("plain"), "zstd", compression());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CompressedBodyError);
    expect((thrown as Error).message).toMatch(/^The request body is not valid zstd data: /);
    expect((thrown as Error).cause).toBeInstanceOf(Error);
  });
});

describe("acceptsZstd", () => {
  it.each([
    ["zstd", true],
    ["gzip, ZSTD", true],
    ["br;q=1, zstd;q=0.5", true],
    ["zstd;q=0", false],
    ["zstd; q=0.0", false],
    ["gzip", false],
    ["zstdx", false],
    ["", false],
  ])("%j → %s", (value, expected) => {
    expect(acceptsZstd(value)).toBe(expected);
  });

  it("is false without the header", () => {
    expect(acceptsZstd(undefined)).toBe(false);
  });
});

describe("encodeResponseBody", () => {
  const headers = { "content-type": CT };

  it("compresses an answer longer than the threshold when zstd is accepted", () => {
    const body = new Uint8Array(101).fill(7);
    const encoded = encodeResponseBody(headers, body, "zstd", compression());
    expect(encoded.headers).toEqual({ "content-type": CT, "content-encoding": "zstd" });
    expect(new Uint8Array(standIn.decompress(encoded.body, 1000))).toEqual(body);
  });

  it("leaves it as it is at the threshold, unaccepted, or without zstd", () => {
    const atThreshold = new Uint8Array(100);
    const long = new Uint8Array(101);
    for (const [body, accept, settings] of [
      [atThreshold, "zstd", compression()],
      [long, undefined, compression()],
      [long, "gzip", compression()],
      [long, "zstd", NO_ZSTD],
    ] as const) {
      const encoded = encodeResponseBody(headers, body, accept, settings);
      expect(encoded.headers).toBe(headers);
      expect(encoded.body).toBe(body);
    }
  });
});

describe("zstdFromZlib", () => {
  it("turns zlib's ERR_BUFFER_TOO_LARGE into ZstdLimitError and passes other errors on", () => {
    expect(() => standIn.decompress(standIn.compress(new Uint8Array(65)), 64)).toThrow(
      ZstdLimitError,
    );
    expect(() => standIn.decompress(bytes("not gzip"), 64)).not.toThrow(ZstdLimitError);
    expect(() => standIn.decompress(bytes("not gzip"), 64)).toThrow();
  });
});

describe("the Lambda handler with zstd", () => {
  const greeter = service({
    name: "greeter",
    handlers: { greet: (_ctx, n: string) => Promise.resolve(n) },
  });

  function setup(settings: LambdaCompression) {
    const recording = echoRunner();
    const builder = withRunner(new LambdaEndpoint(), recording.runner)
      .bind(greeter)
      .setLogger(silent);
    return { handler: createLambdaHandler(endpointCore(builder), settings), ...recording };
  }
  const event = (headers: Record<string, string>, body: Uint8Array, path = "/discover") => ({
    path,
    httpMethod: path === "/discover" ? "GET" : "POST",
    headers,
    body: Buffer.from(body).toString("base64"),
    isBase64Encoded: true,
  });
  const manifestOf = (body: string) =>
    JSON.parse(text(fromBase64(body))) as Record<string, unknown>;

  it("advertises lambdaCompression in a v4 manifest only, and only with zstd", async () => {
    const withZstd = setup(compression()).handler;
    const v4 = manifestOf((await withZstd(event({ accept: V4 }, new Uint8Array()))).body);
    expect(v4["lambdaCompression"]).toBe("zstd");
    expect(Object.keys(v4).at(-1)).toBe("lambdaCompression");
    const v3 = manifestOf((await withZstd(event({ accept: V3 }, new Uint8Array()))).body);
    expect(v3).not.toHaveProperty("lambdaCompression");
    const without = setup(NO_ZSTD).handler;
    const plain = manifestOf((await without(event({ accept: V4 }, new Uint8Array()))).body);
    expect(plain).not.toHaveProperty("lambdaCompression");
  });

  it("decompresses an invocation's body and compresses its long answer", async () => {
    const { handler, started } = setup(compression());
    const input = "x".repeat(200);
    const headers = { "content-type": CT, "content-encoding": "zstd", "accept-encoding": "zstd" };
    const path = "/invoke/greeter/greet";
    const result = await handler(event(headers, standIn.compress(bytes(input)), path));
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ "content-type": CT, "content-encoding": "zstd" });
    const answer = text(standIn.decompress(fromBase64(result.body), 10_000));
    expect(answer).toBe(`greeter/greet v6\n${input}|end`);
    expect(started[0]?.attemptHeaders.get("content-encoding")).toBe("zstd");
  });

  it("answers uncompressed when the request does not accept zstd", async () => {
    const { handler } = setup(compression());
    const headers = { "content-type": CT, "content-encoding": "zstd" };
    const body = standIn.compress(bytes("y".repeat(200)));
    const result = await handler(event(headers, body, "/invoke/greeter/greet"));
    expect(result.headers).not.toHaveProperty("content-encoding");
    expect(text(fromBase64(result.body))).toMatch(/^greeter\/greet v6\ny{200}\|end$/);
  });

  it("fails the function, starting no attempt, for a body beyond the cap or without zstd", async () => {
    const headers = { "content-type": CT, "content-encoding": "zstd" };
    const bomb = standIn.compress(new Uint8Array(1_000_000));
    for (const settings of [compression({ maxRequestBytes: 1000 }), NO_ZSTD]) {
      const { handler, started } = setup(settings);
      await expect(handler(event(headers, bomb, "/invoke/greeter/greet"))).rejects.toThrow(
        CompressedBodyError,
      );
      expect(started).toHaveLength(0);
    }
  });

  it("uses the runtime's zstd by default: advertised exactly where node:zlib has it", async () => {
    const handler = new LambdaEndpoint().bind(greeter).setLogger(silent).handler();
    const manifest = manifestOf((await handler(event({ accept: V4 }, new Uint8Array()))).body);
    const zlib: object = await import("node:zlib");
    const hasZstd = runtimeZstdCodec() !== undefined;
    expect(hasZstd).toBe("zstdCompressSync" in zlib);
    expect(manifest["lambdaCompression"]).toBe(hasZstd ? "zstd" : undefined);
  });
});
