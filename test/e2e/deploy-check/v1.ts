// SPDX-License-Identifier: MIT
// Version 1 of the services the deploy-check e2e test releases new versions of.
import { type Context, type ObjectContext, object, service } from "../../../src/index.js";

/** Awakeable ids of open orders, by object key (the endpoint runs in the test's process). */
export const published = new Map<string, string>();

/** Reserves, charges, then waits for a confirmation (an awakeable). */
export const orders = object({
  name: "DcOrders",
  handlers: {
    place: async (ctx: ObjectContext, item: string) => {
      const count = (await ctx.get<number>("count")) ?? 0;
      await ctx.run("reserve", () => `reserved ${item}`);
      await ctx.run("charge", () => `charged ${item}`);
      const confirmation = ctx.awakeable<string>();
      await ctx.run("publish", () => {
        published.set(ctx.key, confirmation.id);
      });
      const answer = await confirmation.promise;
      ctx.set("count", count + 1);
      return `${item}: ${answer}`;
    },
  },
});

/** Reminders are sent with a delay. */
export const reminders = service({
  name: "DcReminders",
  handlers: {
    remind: async (_ctx: Context, text: string) => `reminded: ${text}`,
  },
});

/** Looks an account up, then fails on large amounts: a bug that keeps the invocation retrying. */
export const payments = service({
  name: "DcPayments",
  handlers: {
    pay: async (ctx: Context, amount: number) => {
      const account = await ctx.run("lookup", () => "acct-1");
      if (amount > 100) throw new Error(`bug: cannot pay ${amount}`);
      return await ctx.run("transfer", () => `${account} paid ${amount}`);
    },
  },
});
