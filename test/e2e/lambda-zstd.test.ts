// SPDX-License-Identifier: MIT
// zstd on the Lambda transport, on a real Node 22 (dev/node22.ts; Node 20 has no zstd):
// - side by side with the official SDK's Lambda handler: the same events, as restate-server sends
//   them, get the same manifest field and the same (de)compression; a zstd bomb is stopped;
// - behind a real restate-server, through a bridge that compresses as its Lambda invoker does,
//   around our handler and the official one.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HAS_NODE22_PACKAGE, ensureNode22 } from "../../dev/node22.js";
import type { Exchange } from "./lambda-bridge.js";
import { serverPerFile } from "./support.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A TypeScript script of processes/ under Node 22, and its stdout lines that start with a mark. */
class Node22Script {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<string, (json: unknown) => void>();
  readonly #stderr: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(node22: string, script: string) {
    const file = fileURLToPath(new URL(`processes/${script}`, import.meta.url));
    this.#child = spawn(node22, ["--import", "tsx", file], {
      cwd: ROOT,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.#child.stderr?.on("data", (chunk: Buffer) => this.#stderr.push(chunk.toString()));
    createInterface({ input: this.#child.stdout! }).on("line", (line) => {
      const match = /^(@@\w+@@) (.*)$/.exec(line);
      const resolve = match === null ? undefined : this.#waiting.get(match[1]!);
      if (match !== null && resolve !== undefined) {
        this.#waiting.delete(match[1]!);
        resolve(JSON.parse(match[2]!));
      }
    });
    this.exited = new Promise((resolve) => this.#child.once("exit", resolve));
  }

  /** The JSON after the next line marked `mark`. */
  next<T>(mark: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(mark, resolve as (json: unknown) => void);
      void this.exited.then((code) =>
        reject(new Error(`exited with ${code} before ${mark}:\n${this.#stderr.join("")}`)),
      );
    });
  }

  send(line: string): void {
    this.#child.stdin?.write(`${line}\n`);
  }

  async stop(): Promise<void> {
    this.#child.stdin?.end();
    if (this.#child.exitCode === null) this.#child.kill("SIGTERM");
    await this.exited;
  }
}

type Outcome =
  | { readonly status: number; readonly encoding: string | null; readonly says: unknown }
  | { readonly rejected: string };
interface SideBySide {
  readonly node: string;
  readonly results: Record<string, { ours: Outcome; official: Outcome }>;
  readonly bomb: { size: number; outcome: Outcome; bombGrowth: number };
}

describe.skipIf(!HAS_NODE22_PACKAGE)("Lambda zstd under Node 22", () => {
  let node22 = "";
  beforeAll(async () => {
    node22 = await ensureNode22();
  }, 300_000);

  describe("side by side with the official Lambda handler", () => {
    let report: SideBySide;
    let script: Node22Script | undefined;
    beforeAll(async () => {
      script = new Node22Script(node22, "lambda-zstd-side-by-side.ts");
      report = await script.next<SideBySide>("@@result@@");
    });
    // Also when the report never came (a failure or the hook's timeout).
    afterAll(async () => {
      await script?.stop();
    });

    it("runs on Node 22", () => {
      expect(report.node).toMatch(/^v22\./);
    });

    it.each([
      ["discovery v4", null, { lambdaCompression: "zstd" }],
      ["discovery v3", null, {}],
      ["compressed request, short answer", null, { outputLength: 12 }],
      ["long answer, zstd accepted", "zstd", { outputLength: 3_200_002 }],
      ["long answer, zstd not accepted", null, { outputLength: 3_200_002 }],
    ])("%s: the same answer from both", (name, encoding, says) => {
      const { ours, official } = report.results[name]!;
      expect(ours).toEqual(official);
      expect(ours).toMatchObject({ status: 200, encoding, says });
    });

    it("fails on data that is not zstd, as the official handler does (a function error)", () => {
      const { ours, official } = report.results["content-encoding zstd on data that is not zstd"]!;
      expect(ours).toEqual({
        rejected: expect.stringMatching(/^The request body is not valid zstd data: /) as string,
      });
      expect(official).toEqual({ rejected: expect.any(String) as string });
    });

    it("stops a zstd bomb at the cap, without allocating what it expands to", () => {
      expect(report.bomb).toMatchObject({
        size: 2 ** 30,
        outcome: {
          rejected:
            "The zstd-compressed request body is too large: " +
            "zstd data decompresses to more than 134217728 bytes",
        },
      });
      expect(report.bomb.bombGrowth).toBeLessThan(512 * 1024 * 1024);
    });
  });

  describe("behind restate-server, compressed as its Lambda invoker does", () => {
    const env = serverPerFile();
    let script: Node22Script | undefined;
    let urls: { ours: string; official: string };

    beforeAll(async () => {
      script = new Node22Script(node22, "lambda-zstd-bridge.ts");
      urls = await script.next("@@bridges@@");
      await env().register(urls.ours, { http11: true });
      await env().register(urls.official, { http11: true });
    });
    afterAll(async () => {
      await script?.stop();
    });

    const SIZE = 4_500_000;
    it.each([
      ["ours", "Big"],
      ["official", "BigOfficial"],
    ] as const)("%s: a journal over 4 MiB goes both ways compressed", async (sdk, name) => {
      const reply = await env().ingress(`/${name}/roundTrip`, SIZE, {
        "idempotency-key": randomUUID(),
      });
      expect(reply).toMatchObject({ status: 200, json: SIZE });

      script!.send("dump");
      const exchanges = (await script!.next<Record<string, Exchange[]>>("@@exchanges@@"))[sdk]!;
      const discovery = exchanges.filter((e) => e.path.endsWith("/discover"));
      const invocations = exchanges.filter((e) => e.path === `/invoke/${name}/roundTrip`);
      // Discovery goes uncompressed; every invocation accepts zstd once it is negotiated.
      expect(discovery.length).toBeGreaterThan(0);
      expect(discovery.every((e) => e.acceptEncoding === null)).toBe(true);
      expect(invocations.every((e) => e.acceptEncoding === "zstd")).toBe(true);
      // The answer carrying the run's result was compressed by the handler…
      const compressedAnswers = invocations.filter((e) => e.responseEncoding === "zstd");
      expect(compressedAnswers.length).toBeGreaterThan(0);
      for (const e of compressedAnswers) {
        expect(e.responseBytes).toBeGreaterThan(SIZE);
        expect(e.resultBytes).toBeLessThan(SIZE / 10);
      }
      // …and the replays sending it back were compressed by the "server".
      const compressedRequests = invocations.filter((e) => e.requestEncoding === "zstd");
      expect(compressedRequests.length).toBeGreaterThan(0);
      for (const e of compressedRequests) {
        expect(e.requestBytes).toBeGreaterThanOrEqual(4 * 1024 * 1024);
        expect(e.sentRequestBytes).toBeLessThan(SIZE / 10);
        expect(e.status).toBe(200);
      }
      // Small requests (the first attempt) go as they are.
      expect(invocations[0]).toMatchObject({ requestEncoding: null, status: 200 });
    });
  });
});
