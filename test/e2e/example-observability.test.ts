// SPDX-License-Identifier: MIT
// The observability example (examples/observability) behind a real restate-server with tracing
// on: in process with an in-memory span exporter, and as `npx tsx main.ts` the way its README
// runs it.
import { type ChildProcess, spawn } from "node:child_process";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../dev/restate-server.js";
import { shopEndpoint } from "../../examples/observability/shop.js";
import { type OtlpReceiver, startOtlpReceiver } from "./otlp-receiver.js";
import { type ServerEnv, startServerEnv } from "./support.js";

const CLIENT_TRACE = "0af7651916cd43dd8448eb211c80319c";
const ORDER = { item: "book", cents: 1250 };
const HEADERS = { "x-tenant": "acme", traceparent: `00-${CLIENT_TRACE}-b7ad6b7169203331-01` };

let env: ServerEnv;
let receiver: OtlpReceiver;

beforeAll(async () => {
  // The server sends a trace context with each attempt only when its tracing is on.
  receiver = await startOtlpReceiver();
  env = await startServerEnv({ env: { RESTATE_TRACING_ENDPOINT: receiver.endpoint } });
}, 60_000);

afterAll(async () => {
  await env?.stop();
  await receiver?.close();
});

interface PinoLine {
  readonly level: number;
  readonly msg: string;
  readonly source?: string;
  readonly target?: string;
  readonly invocationId?: string;
}

describe("examples/observability", () => {
  it("logs JSON lines to pino, traces in the server's trace, propagates the tenant", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split("\n").filter(Boolean));
        done();
      },
    });
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    }).getTracer("shop");
    const ep = shopEndpoint(tracer, pino(sink));
    const port = await ep.listen(0, "127.0.0.1");
    await env.register(`http://127.0.0.1:${port}`, { http11: false, stop: () => ep.close(1000) });

    const reply = await env.ingress("/Orders/place", ORDER, HEADERS);
    expect(reply.json).toEqual({ reservation: "r-book", tenant: "acme", charged: 1250 });

    const logged = lines.map((line) => JSON.parse(line) as PinoLine);
    const placing = logged.find((l) => l.msg === "placing an order for book");
    expect(placing).toMatchObject({ level: 30, source: "USER", target: "Orders/place" });
    expect(placing?.invocationId).toMatch(/^inv_/);
    expect(logged.find((l) => l.msg === "charging 1250 cents to acme")).toMatchObject({
      source: "USER",
      target: "Billing/charge",
    });

    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual([
      "Billing/charge",
      "Orders/place",
      "reserve stock",
    ]);
    expect(spans.every((s) => s.spanContext().traceId === CLIENT_TRACE)).toBe(true);
  });

  it("runs main.ts as its README says", async () => {
    const main = fileURLToPath(new URL("../../examples/observability/main.ts", import.meta.url));
    const tsx = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
    const child: ChildProcess = spawn(tsx, [main], {
      env: { ...process.env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await waitFor(async () => /listening on port \d+/.test(stdout), {
        timeoutMs: 30_000,
        message: "the example to listen",
      });
      const port = /listening on port (\d+)/.exec(stdout)?.[1];
      await env.register(`http://127.0.0.1:${port}`, { http11: false, stop: async () => {} });
      const reply = await env.ingress("/Orders/place", ORDER, HEADERS);
      expect(reply.json).toMatchObject({ tenant: "acme" });
      await waitFor(async () => stdout.includes("charging 1250 cents to acme"), {
        message: "the pino line of Billing/charge",
      });
      const json = stdout.split("\n").filter((line) => line.startsWith('{"'));
      expect(json.map((line) => (JSON.parse(line) as PinoLine).msg)).toContain(
        "placing an order for book",
      );
      // The console exporter prints each span with its name and the client's trace id.
      expect(stdout).toContain("name: 'Orders/place'");
      expect(stdout).toContain(`traceId: '${CLIENT_TRACE}'`);
    } finally {
      // tsx passes the signal on to the node process it started; the endpoint stops on it.
      const exited = new Promise((resolve) => child.once("close", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
  });
});
