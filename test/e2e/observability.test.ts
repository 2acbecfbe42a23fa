// SPDX-License-Identifier: MIT
// Hooks, logger transports and OpenTelemetry against the real restate-server, with the server's
// tracing on so that it sends a W3C trace context with every attempt.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
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
import { type RestateServer, freePort, startRestateServer } from "../../dev/restate-server.js";

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
let stopEndpoint: () => Promise<void>;

beforeAll(async () => {
  // The OTLP endpoint only has to be configured for the server to trace; nothing listens there.
  const nowhere = await freePort();
  server = await startRestateServer({
    inactivityTimeout: "500ms",
    env: { RESTATE_TRACING_ENDPOINT: `http://127.0.0.1:${nowhere}` },
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
