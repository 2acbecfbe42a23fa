// SPDX-License-Identifier: MIT
// Observability in one place: logs to pino as JSON lines, OpenTelemetry spans that continue the
// Restate server's trace, and a custom interceptor that carries a tenant id from the incoming
// request to every call the handler makes.
import { format } from "node:util";
import type { Tracer } from "@opentelemetry/api";
import type { Logger as PinoLogger } from "pino";
import {
  type Context,
  type HooksProvider,
  type LoggerTransport,
  type RestateEndpoint,
  endpoint,
  service,
} from "restate-hono";
import { openTelemetryHook } from "restate-hono/opentelemetry";

/**
 * A logger transport that writes to pino: one JSON line per message, with the invocation's id,
 * target and attempt, and who logged (`USER` for `ctx.console`, `SYSTEM` for the SDK). Messages a
 * handler repeats while replaying its journal are dropped, as `ctx.console` does by default.
 */
export function pinoTransport(log: PinoLogger): LoggerTransport {
  return (meta, message: unknown, ...rest: unknown[]) => {
    if (meta.replaying) return;
    const fields = {
      source: meta.source,
      invocationId: meta.context?.invocationId,
      target: meta.context?.invocationTarget,
      attempt: meta.context?.attempt,
    };
    log[meta.level](fields, format(message, ...rest));
  };
}

/**
 * A custom interceptor: the `x-tenant` header of the incoming request goes on to every call and
 * send the handler makes, so the whole call tree knows its tenant.
 */
export const tenantPropagation: HooksProvider = (ctx) => {
  const tenant = ctx.request.headers.get("x-tenant");
  return {
    interceptor: {
      call(request, next) {
        // The same value on every attempt, so a replayed call journals the same headers.
        if (tenant !== undefined) request.headers["x-tenant"] ??= tenant;
        next();
      },
    },
  };
};

/** The example's services: `Orders.place` reserves stock and charges through `Billing.charge`. */
export function defineShop(tracer: Tracer) {
  const hooks = [tenantPropagation, openTelemetryHook({ tracer })];
  const billing = service({
    name: "Billing",
    handlers: {
      charge: async (ctx: Context, cents: number) => {
        const tenant = ctx.request().headers.get("x-tenant") ?? "unknown";
        ctx.console.info("charging %d cents to %s", cents, tenant);
        return { tenant, charged: cents };
      },
    },
    options: { hooks },
  });
  const orders = service({
    name: "Orders",
    handlers: {
      place: async (ctx: Context, order: { item: string; cents: number }) => {
        ctx.console.info("placing an order for %s", order.item);
        const reservation = await ctx.run("reserve stock", () => `r-${order.item}`);
        const receipt = await ctx.serviceClient(billing).charge(order.cents);
        return { reservation, ...receipt };
      },
    },
    options: { hooks },
  });
  return { orders, billing };
}

/** An endpoint serving the shop, logging through pino and tracing with `tracer`. */
export function shopEndpoint(tracer: Tracer, log: PinoLogger): RestateEndpoint {
  const { orders, billing } = defineShop(tracer);
  return endpoint().bind(orders).bind(billing).setLogger(pinoTransport(log));
}
