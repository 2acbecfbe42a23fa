// SPDX-License-Identifier: MIT
// A booking saga. The `Booking` workflow reserves a flight seat and a hotel room (calls to the
// `Reservations` virtual object, one object per seat or room), then waits for the payment. If the
// payment is declined, or the booking is cancelled (`CancelledError`), it releases what it
// reserved in reverse order and fails with the original error. Restate makes each step durable:
// a crash in the middle resumes the saga where it stopped, and undoes run exactly once.
import {
  type ObjectContext,
  type ObjectSharedContext,
  type WorkflowContext,
  type WorkflowSharedContext,
  TerminalError,
  handlers,
  isCancelledError,
  isTerminalError,
  object,
  workflow,
} from "restate-hono";

/** Who holds a seat or room: booking id → hold state. */
type Holds = Record<string, "held" | "confirmed">;

/** One seat or room, keyed by its id. Every handler is idempotent per booking id. */
export const reservations = object({
  name: "Reservations",
  handlers: {
    reserve: async (ctx: ObjectContext, bookingId: string) => {
      const holds = (await ctx.get<Holds>("holds")) ?? {};
      const others = Object.keys(holds).filter((id) => id !== bookingId);
      if (others.length > 0) throw new TerminalError(`${ctx.key} is taken`, { errorCode: 409 });
      ctx.set("holds", { ...holds, [bookingId]: holds[bookingId] ?? "held" });
    },
    confirm: async (ctx: ObjectContext, bookingId: string) => {
      const holds = (await ctx.get<Holds>("holds")) ?? {};
      if (holds[bookingId] === undefined) {
        throw new TerminalError(`${ctx.key} is not held by ${bookingId}`, { errorCode: 409 });
      }
      ctx.set("holds", { ...holds, [bookingId]: "confirmed" });
    },
    release: async (ctx: ObjectContext, bookingId: string) => {
      const holds = (await ctx.get<Holds>("holds")) ?? {};
      if (holds[bookingId] === undefined) return;
      const rest = { ...holds };
      delete rest[bookingId];
      ctx.set("holds", rest);
      ctx.set("released", [...((await ctx.get<string[]>("released")) ?? []), bookingId]);
    },
    status: handlers.object.shared(async (ctx: ObjectSharedContext) => ({
      holds: (await ctx.get<Holds>("holds")) ?? {},
      released: (await ctx.get<string[]>("released")) ?? [],
    })),
  },
});

export interface BookingRequest {
  /** Id of the flight seat (a `Reservations` key). */
  readonly flight: string;
  /** Id of the hotel room (a `Reservations` key). */
  readonly hotel: string;
}

export interface Payment {
  readonly approved: boolean;
  readonly reason?: string;
}

export type BookingStatus = "reserving" | "awaiting-payment" | "confirmed" | "cancelled" | "failed";

/** One booking, keyed by its booking id. */
export const booking = workflow({
  name: "Booking",
  handlers: {
    run: async (ctx: WorkflowContext, req: BookingRequest) => {
      const bookingId = ctx.key;
      const resources = [
        { what: "flight", key: req.flight },
        { what: "hotel", key: req.hotel },
      ];
      const reserved: typeof resources = [];
      try {
        ctx.set<BookingStatus>("status", "reserving");
        for (const resource of resources) {
          // Recorded before the call: if the reply is lost, the undo still releases it.
          reserved.push(resource);
          await ctx.objectClient(reservations, resource.key).reserve(bookingId);
        }
        ctx.set<BookingStatus>("status", "awaiting-payment");
        const payment = await ctx.promise<Payment>("payment");
        if (!payment.approved) {
          throw new TerminalError(`payment declined: ${payment.reason ?? "no reason"}`, {
            errorCode: 402,
          });
        }
        for (const resource of resources) {
          await ctx.objectClient(reservations, resource.key).confirm(bookingId);
        }
        ctx.set<BookingStatus>("status", "confirmed");
        return { bookingId, status: "confirmed" as const };
      } catch (e) {
        // Retryable errors are not the end of the saga: Restate retries the attempt.
        if (!isTerminalError(e)) throw e;
        ctx.set<BookingStatus>("status", isCancelledError(e) ? "cancelled" : "failed");
        const released: string[] = [];
        for (const resource of reserved.reverse()) {
          await ctx.objectClient(reservations, resource.key).release(bookingId);
          released.push(resource.what);
          ctx.set("released", released);
        }
        throw e;
      }
    },
    /** The payment provider's callback. */
    pay: handlers.workflow.shared(async (ctx: WorkflowSharedContext, payment: Payment) =>
      ctx.promise<Payment>("payment").resolve(payment),
    ),
    status: handlers.workflow.shared(async (ctx: WorkflowSharedContext) => ({
      status: await ctx.get<BookingStatus>("status"),
      released: (await ctx.get<string[]>("released")) ?? [],
    })),
  },
});

/** Everything to bind on an endpoint. */
export const BOOKING_SERVICES = [reservations, booking] as const;
