// SPDX-License-Identifier: MIT
// Spans recorded with an in-memory exporter while the in-memory runtime drives real attempts.
import { describe, expect, it } from "vitest";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { SpanStatusCode } from "@opentelemetry/api";
import { type Context, TerminalError, service } from "../index.js";
import { TestEnvironment } from "../testing/index.js";
import { ATTRIBUTES, openTelemetryHook, parseTraceparent } from "./index.js";

function tracing() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: provider.getTracer("test") };
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe("openTelemetryHook", () => {
  it("records a span per attempt inside the runtime's trace and a span per executed run", async () => {
    const { exporter, tracer } = tracing();
    const echo = service({
      name: "Echo",
      handlers: { headers: async (ctx: Context) => Object.fromEntries(ctx.request().headers) },
    });
    const svc = service({
      name: "Traced",
      handlers: {
        go: async (ctx: Context) => {
          const a = await ctx.run("first", () => 1);
          await ctx.sleep({ seconds: 1 });
          const b = await ctx.run("second", () => 2);
          const headers = await ctx.serviceClient(echo).headers();
          return { sum: a + b, traceparent: headers["traceparent"] };
        },
      },
      options: { hooks: [openTelemetryHook({ tracer })] },
    });
    const env = await TestEnvironment.start({ services: [svc, echo], replayEveryStep: true });
    const send = env.serviceSendClient(svc).go();
    await env.advance({ seconds: 1 });
    const result = (await env.result(send)) as { sum: number; traceparent: string };
    expect(result.sum).toBe(3);

    const spans = exporter.getFinishedSpans();
    const attempts = spans.filter((s) => s.name === "Traced/go");
    const runs = spans.filter((s) => s.attributes[ATTRIBUTES.runName] !== undefined);
    expect(attempts).toHaveLength(env.invocation(send).attempts);
    // Each run executed once: replays add no span.
    expect(runs.map((s) => s.name)).toEqual(["first", "second"]);

    // Every attempt span is a child of that attempt's runtime span, all in one trace.
    const traceIds = new Set(attempts.map((s) => s.spanContext().traceId));
    expect(traceIds.size).toBe(1);
    for (const span of attempts) {
      expect(span.parentSpanContext?.isRemote).toBe(true);
      expect(span.attributes).toMatchObject({
        [ATTRIBUTES.invocationId]: send.invocationId,
        [ATTRIBUTES.invocationTarget]: "Traced/go",
      });
    }
    expect(new Set(attempts.map(parentOf)).size).toBe(attempts.length);
    expect(attempts[0]?.attributes[ATTRIBUTES.replaying]).toBe(false);
    expect(attempts.slice(1).every((s) => s.attributes[ATTRIBUTES.replaying] === true)).toBe(true);
    const outcomes = attempts.map((s) => s.attributes[ATTRIBUTES.outcome]);
    expect(outcomes.at(-1)).toBe("success");
    expect(outcomes).toContain("suspended");

    // Runs are children of the attempt that executed them.
    for (const run of runs) {
      const owner = attempts.find((a) => a.spanContext().spanId === parentOf(run));
      expect(owner).toBeDefined();
      expect(run.attributes).toMatchObject({
        [ATTRIBUTES.outcome]: "success",
        [ATTRIBUTES.runRetryCount]: 0,
      });
    }

    // The call carried the context of the attempt that made it.
    const carried = parseTraceparent(result.traceparent);
    expect(carried?.traceId).toBe([...traceIds][0]);
    expect(attempts.some((a) => a.spanContext().spanId === carried?.spanId)).toBe(true);
  });

  it("marks terminal failures and retried runs as errors", async () => {
    const { exporter, tracer } = tracing();
    let failures = 1;
    const svc = service({
      name: "Failing",
      handlers: {
        go: async (ctx: Context) => {
          await ctx.run("flaky", () => {
            if (failures-- > 0) throw new Error("not yet");
          });
          throw new TerminalError("nope");
        },
      },
      options: { hooks: [openTelemetryHook({ tracer })] },
    });
    const env = await TestEnvironment.start({ services: [svc] });
    const send = env.serviceSendClient(svc).go();
    await env.advance({ minutes: 1 });
    await expect(env.result(send)).rejects.toThrow("nope");

    const spans = exporter.getFinishedSpans();
    const runs = spans.filter((s) => s.name === "flaky");
    expect(runs.map((s) => s.attributes[ATTRIBUTES.outcome])).toEqual(["retry", "success"]);
    expect(runs.map((s) => s.attributes[ATTRIBUTES.runRetryCount])).toEqual([0, 1]);
    expect(runs[0]?.status.code).toBe(SpanStatusCode.ERROR);
    const attempts = spans.filter((s) => s.name === "Failing/go");
    expect(attempts.map((s) => s.attributes[ATTRIBUTES.outcome])).toEqual(["retry", "failure"]);
    expect(attempts[1]?.status).toEqual({ code: SpanStatusCode.ERROR, message: "nope" });
    expect(attempts.map((s) => s.attributes[ATTRIBUTES.attempt])).toEqual([1, 2]);
  });
});

describe("parseTraceparent", () => {
  it("reads valid headers and refuses invalid ones", () => {
    expect(parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).toEqual({
      traceId: "0af7651916cd43dd8448eb211c80319c",
      spanId: "b7ad6b7169203331",
      traceFlags: 1,
      isRemote: true,
    });
    expect(parseTraceparent(undefined)).toBeUndefined();
    expect(parseTraceparent("00-00000000000000000000000000000000-b7ad6b7169203331-01")).toBe(
      undefined,
    );
    expect(parseTraceparent("ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).toBe(
      undefined,
    );
    expect(parseTraceparent("garbage")).toBeUndefined();
  });
});
