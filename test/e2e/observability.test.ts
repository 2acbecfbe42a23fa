// SPDX-License-Identifier: MIT
// Hooks, logger transports and OpenTelemetry against the real restate-server, with the server's
// tracing exported to a receiver of ours: it sends a W3C trace context with every attempt, and
// the spans it exports and the SDK's must form one tree.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import {
  type Context,
  type LogMetadata,
  LogSource,
  endpoint,
  isSuspendedError,
  service,
} from "../../src/index.js";
import { ATTRIBUTES, openTelemetryHook, parseTraceparent } from "../../src/opentelemetry/index.js";
import { type RestateServer, startRestateServer, waitFor } from "../../dev/restate-server.js";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "./otlp-receiver.js";

const exporter = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(exporter)],
}).getTracer("e2e");

const logs: Array<{ meta: LogMetadata; text: string }> = [];
const events: string[] = [];
/** The `traceparent` the server sent with each attempt, per invocation id. */
const serverParents = new Map<string, string[]>();

const callee = service({
  name: "ObsCallee",
  handlers: {
    headers: async (ctx: Context) => Object.fromEntries(ctx.request().headers),
  },
  options: { hooks: [openTelemetryHook({ tracer })] },
});

let flaky = 1;
const traced = service({
  name: "ObsTraced",
  handlers: {
    go: async (ctx: Context, name: string) => {
      ctx.console.info(`hello ${name}`);
      const first = await ctx.run("first", () => {
        if (flaky-- > 0) throw new Error("once more");
        return 1;
      });
      await ctx.sleep({ milliseconds: 1500 });
      const headers = await ctx.serviceClient(callee).headers();
      ctx.console.info("after the call");
      return { first, tenant: headers["x-tenant"], traceparent: headers["traceparent"] };
    },
  },
  options: {
    hooks: [
      (hook) => ({
        interceptor: {
          async handler(next) {
            const header = hook.request.attemptHeaders.get("traceparent");
            const list = serverParents.get(hook.request.id) ?? [];
            list.push(typeof header === "string" ? header : "");
            serverParents.set(hook.request.id, list);
            try {
              await next();
              events.push("attempt ok");
            } catch (e) {
              events.push(isSuspendedError(e) ? "attempt suspended" : "attempt failed");
              throw e;
            }
          },
          call(request, next) {
            request.headers["x-tenant"] ??= "acme";
            next();
          },
        },
      }),
      openTelemetryHook({ tracer }),
    ],
  },
});

let server: RestateServer;
let receiver: OtlpReceiver;
let stopEndpoint: () => Promise<void>;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  server = await startRestateServer({
    inactivityTimeout: "500ms",
    // The batch span processor's export delay (default 5 s), so the spans arrive soon.
    env: { RESTATE_TRACING_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: "100" },
  });
  const ep = endpoint()
    .bind(traced)
    .bind(callee)
    .setLogger((meta: LogMetadata, message?: unknown, ...rest: unknown[]) => {
      logs.push({ meta, text: [message, ...rest].map(String).join(" ") });
    });
  const port = await ep.listen(0, "127.0.0.1");
  stopEndpoint = () => ep.close(1000);
  await server.register(`http://127.0.0.1:${port}`, { http11: false });
}, 60_000);

afterAll(async () => {
  await stopEndpoint?.();
  await server?.stop();
  await receiver?.close();
});

describe("observability against restate-server", () => {
  it("joins the server's trace, interceptors and transport see each attempt", async () => {
    const clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const response = await fetch(`${server.ingressUrl}/ObsTraced/go`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        traceparent: `00-${clientTrace}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify("Ada"),
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      first: number;
      tenant: string;
      traceparent: string;
    };
    expect(result.first).toBe(1);
    expect(result.tenant).toBe("acme");

    const spans = exporter.getFinishedSpans();
    const attempts = spans.filter((s) => s.name === "ObsTraced/go");
    const invocationId = String(attempts[0]?.attributes[ATTRIBUTES.invocationId]);
    const parents = serverParents.get(invocationId) ?? [];
    // A failed run, a suspension on the sleep, then the attempt that finishes.
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(parents).toHaveLength(attempts.length);
    expect(events.at(-1)).toBe("attempt ok");
    expect(events).toContain("attempt failed");
    expect(events).toContain("attempt suspended");

    // Each SDK attempt span is the child of the span the server sent with that attempt, in the
    // client's trace.
    attempts.forEach((span, i) => {
      const serverSpan = parseTraceparent(parents[i]);
      expect(serverSpan?.traceId).toBe(clientTrace);
      expect(span.spanContext().traceId).toBe(clientTrace);
      expect(span.parentSpanContext?.spanId).toBe(serverSpan?.spanId);
    });
    expect(attempts.map((s) => s.attributes[ATTRIBUTES.outcome])).toEqual([
      "retry",
      ...attempts.slice(1, -1).map(() => "suspended"),
      "success",
    ]);

    // One span per executed run, under the attempt that ran it; none for replays.
    const runs = spans.filter((s) => s.name === "first");
    expect(runs.map((s) => s.attributes[ATTRIBUTES.outcome])).toEqual(["retry", "success"]);
    expect(runs[0]?.parentSpanContext?.spanId).toBe(attempts[0]?.spanContext().spanId);
    expect(runs[1]?.parentSpanContext?.spanId).toBe(attempts[1]?.spanContext().spanId);

    // The call carried the calling attempt's span onward.
    const carried = parseTraceparent(result.traceparent);
    expect(carried?.traceId).toBe(clientTrace);
    expect(attempts.map((s) => s.spanContext().spanId)).toContain(carried?.spanId);

    await expectServerParentage(clientTrace, invocationId, attempts);

    // The transport saw the user's messages with their context, replayed ones flagged.
    const user = logs.filter(
      (l) => l.meta.source === LogSource.USER && l.meta.context?.invocationId === invocationId,
    );
    const hello = user.filter((l) => l.text === "hello Ada");
    expect(hello.length).toBe(attempts.length);
    expect(hello[0]?.meta.replaying).toBe(false);
    expect(hello.slice(1).every((l) => l.meta.replaying)).toBe(true);
    expect(user.filter((l) => l.text === "after the call").map((l) => l.meta.replaying)).toEqual([
      false,
    ]);
    expect(user[0]?.meta.context?.invocationTarget).toBe("ObsTraced/go");
  });
});

/** One span of either side, for walking the combined tree. */
interface TreeSpan {
  readonly side: "server" | "sdk";
  readonly span: Pick<ReceivedSpan, "traceId" | "spanId" | "parentSpanId" | "name">;
}

/** The names of `span`'s ancestors, nearest first, as far as either side exported them. */
function ancestry(span: TreeSpan, all: ReadonlyMap<string, TreeSpan>): string[] {
  const names: string[] = [];
  for (let p = all.get(span.span.parentSpanId); p !== undefined; p = all.get(p.span.parentSpanId)) {
    names.push(`${p.side}:${p.span.name}`);
  }
  return names;
}

/**
 * The spans the server exported and the SDK's form one tree: client → server ingress → invocation
 * start → server attempt → SDK attempt → SDK run, and the callee's SDK attempt under the server's
 * attempt of the callee, in the same trace.
 */
async function expectServerParentage(
  clientTrace: string,
  invocationId: string,
  attempts: readonly ReadableSpan[],
): Promise<void> {
  const serverAttemptsOf = (target: string) =>
    receiver.spans.filter(
      (s) => s.name === `invocation-attempt ${target}` && s.traceId === clientTrace,
    );
  await waitFor(
    async () =>
      receiver.spans.some((s) => s.name === "invocation-end ObsTraced/go") &&
      serverAttemptsOf("ObsTraced/go").length >= attempts.length &&
      serverAttemptsOf("ObsCallee/headers").length > 0,
    { message: "the server's spans of both invocations" },
  );
  const all = new Map<string, TreeSpan>();
  for (const span of receiver.spans) all.set(span.spanId, { side: "server", span });
  for (const span of exporter.getFinishedSpans()) {
    const { traceId, spanId } = span.spanContext();
    const parentSpanId = span.parentSpanContext?.spanId ?? "";
    all.set(spanId, { side: "sdk", span: { traceId, spanId, parentSpanId, name: span.name } });
  }

  const ingress = receiver.spans.find((s) => s.name === "ingress ObsTraced/go");
  expect(ingress?.traceId).toBe(clientTrace);
  expect(ingress?.parentSpanId).toBe("00f067aa0ba902b7");
  const serverAttempts = serverAttemptsOf("ObsTraced/go");
  expect(serverAttempts.every((s) => s.attributes["restate.invocation.id"] === invocationId)).toBe(
    true,
  );
  // Every SDK attempt hangs under its own exported server attempt, and so up to the ingress.
  const parents = attempts.map((a) => a.parentSpanContext?.spanId ?? "");
  expect(new Set(parents).size).toBe(attempts.length);
  for (const parent of parents) {
    expect(serverAttempts.map((s) => s.spanId)).toContain(parent);
  }
  for (const attempt of attempts) {
    const tree = all.get(attempt.spanContext().spanId)!;
    expect(ancestry(tree, all)).toEqual([
      "server:invocation-attempt ObsTraced/go",
      "server:invocation-start ObsTraced/go",
      "server:ingress ObsTraced/go",
    ]);
  }
  for (const run of [...all.values()].filter((s) => s.span.name === "first")) {
    expect(ancestry(run, all).slice(0, 2)).toEqual([
      "sdk:ObsTraced/go",
      "server:invocation-attempt ObsTraced/go",
    ]);
  }

  // The callee's attempt: in the same trace, under the server's attempt of the callee, whose
  // invocation the server starts under its own attempt of the caller (not under the SDK's span
  // that the call's `traceparent` header names: that one only reaches the callee's handler).
  const callee = [...all.values()].filter(
    (s) => s.side === "sdk" && s.span.name === "ObsCallee/headers",
  );
  expect(callee.length).toBeGreaterThan(0);
  for (const attempt of callee) {
    expect(attempt.span.traceId).toBe(clientTrace);
    expect(ancestry(attempt, all)).toEqual([
      "server:invocation-attempt ObsCallee/headers",
      "server:invocation-start ObsCallee/headers",
      "server:invocation-attempt ObsTraced/go",
      "server:invocation-start ObsTraced/go",
      "server:ingress ObsTraced/go",
    ]);
  }
}
