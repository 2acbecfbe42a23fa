// SPDX-License-Identifier: MIT
/**
 * `restate-hono/opentelemetry`: OpenTelemetry traces for Restate handlers, as a hook provider.
 * Needs `@opentelemetry/api` (an optional peer dependency; the main entry never loads it).
 *
 * @example
 * import { openTelemetryHook } from "restate-hono/opentelemetry";
 * const greeter = service({ name: "Greeter", handlers, options: { hooks: [openTelemetryHook()] } });
 * @module
 */
import {
  type Context as OtelContext,
  type Span,
  type Tracer,
  SpanKind,
  SpanStatusCode,
  context,
  trace,
} from "@opentelemetry/api";
import type { HookContext, HooksProvider, OutgoingCall } from "../context/hooks.js";
import { isSuspendedError } from "../context/attempt-hooks.js";
import { isTerminalError } from "../errors.js";
import { formatTraceparent, parentContext } from "./trace-context.js";

export { parseTraceparent, formatTraceparent } from "./trace-context.js";

/**
 * Options of {@link openTelemetryHook}; every field has a default.
 *
 * @example
 * openTelemetryHook({ tracer: trace.getTracer("checkout") });
 */
export interface OpenTelemetryHookOptions {
  /** Default: `trace.getTracer("restate-hono")` from the global tracer provider. */
  readonly tracer: Tracer;
  /** Write the active span's `traceparent` into new outgoing calls and sends. Default true. */
  readonly propagateToCalls: boolean;
}

/** Span attribute names. */
export const ATTRIBUTES = Object.freeze({
  invocationId: "restate.invocation.id",
  invocationTarget: "restate.invocation.target",
  attempt: "restate.invocation.attempt",
  replaying: "restate.invocation.replaying",
  outcome: "restate.outcome",
  runName: "restate.run.name",
  runRetryCount: "restate.run.retry_count",
} as const);

/**
 * How an attempt or a run ended: `success`; `failure` (terminal, not retried); `retry` (the
 * runtime tries again); `suspended` (the attempt waits for a timer, a call or a signal).
 */
export type Outcome = "success" | "failure" | "retry" | "suspended";

function outcomeOf(e: unknown): Outcome {
  if (isSuspendedError(e)) return "suspended";
  return isTerminalError(e) ? "failure" : "retry";
}

/** Ends `span` with the outcome of `body`, and passes the outcome on. */
async function traced(span: Span, active: OtelContext, body: () => Promise<void>): Promise<void> {
  try {
    await context.with(active, body);
    span.setAttribute(ATTRIBUTES.outcome, "success");
  } catch (e) {
    const outcome = outcomeOf(e);
    span.setAttribute(ATTRIBUTES.outcome, outcome);
    if (outcome !== "suspended") {
      const error = e instanceof Error ? e : new Error(String(e));
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    }
    throw e;
  } finally {
    span.end();
  }
}

function targetOf(ctx: HookContext): string {
  return ctx.key === undefined
    ? `${ctx.service}/${ctx.handler}`
    : `${ctx.service}/${ctx.key}/${ctx.handler}`;
}

/**
 * A hook provider that traces each attempt and each executed `ctx.run`. The attempt span is a
 * child of the span the Restate server sends with the attempt (W3C `traceparent` in the attempt
 * headers), so the SDK's spans sit inside the server's trace of the invocation; run spans are its
 * children. Runs replayed from the journal get no span. New outgoing calls and sends carry the
 * active span's `traceparent` header.
 *
 * @example
 * endpoint().bind(service({ name: "Greeter", handlers, options: { hooks: [openTelemetryHook()] } }));
 * @see https://opentelemetry.io/docs/languages/js/
 */
export function openTelemetryHook(options: Partial<OpenTelemetryHookOptions> = {}): HooksProvider {
  const tracer = options.tracer ?? trace.getTracer("restate-hono");
  const propagate = options.propagateToCalls ?? true;
  return (ctx) => {
    const parent = parentContext(ctx.request.attemptHeaders);
    const attributes = {
      [ATTRIBUTES.invocationId]: ctx.request.id,
      [ATTRIBUTES.invocationTarget]: targetOf(ctx),
      [ATTRIBUTES.attempt]: ctx.retryCount + 1,
    };
    let attemptSpan: Span | undefined;
    let attemptContext = parent;
    return {
      interceptor: {
        handler(next) {
          attemptSpan = tracer.startSpan(
            `${ctx.service}/${ctx.handler}`,
            {
              kind: SpanKind.SERVER,
              attributes: { ...attributes, [ATTRIBUTES.replaying]: ctx.isReplaying },
            },
            parent,
          );
          attemptContext = trace.setSpan(parent, attemptSpan);
          return traced(attemptSpan, attemptContext, next);
        },
        run(name, next, info) {
          const span = tracer.startSpan(
            name === "" ? "run" : name,
            {
              kind: SpanKind.INTERNAL,
              attributes: {
                [ATTRIBUTES.invocationId]: ctx.request.id,
                [ATTRIBUTES.runName]: name,
                [ATTRIBUTES.runRetryCount]: info.retryCount,
              },
            },
            attemptContext,
          );
          return traced(span, trace.setSpan(attemptContext, span), next);
        },
        call(request: OutgoingCall, next) {
          if (propagate && !request.isReplaying) {
            const active = trace.getSpan(context.active()) ?? attemptSpan;
            if (active !== undefined) {
              request.headers["traceparent"] = formatTraceparent(active.spanContext());
            }
          }
          next();
        },
      },
    };
  };
}
