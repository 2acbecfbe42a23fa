// SPDX-License-Identifier: MIT
// A compatible version 2: orders notify after the confirmation (past every journal written so
// far), and reminders gain a handler.
import { type Context, type ObjectContext, object, service } from "../../../src/index.js";

export { payments } from "./v1.js";

export const orders = object({
  name: "DcOrders",
  handlers: {
    place: async (ctx: ObjectContext, item: string) => {
      const count = (await ctx.get<number>("count")) ?? 0;
      await ctx.run("reserve", () => `reserved ${item}`);
      await ctx.run("charge", () => `charged ${item}`);
      const confirmation = ctx.awakeable<string>();
      await ctx.run("publish", () => undefined);
      const answer = await confirmation.promise;
      await ctx.run("notify", () => `notified ${item}`);
      ctx.set("count", count + 1);
      return `${item}: ${answer}`;
    },
  },
});

export const reminders = service({
  name: "DcReminders",
  handlers: {
    remind: async (_ctx: Context, text: string) => `reminded: ${text}`,
    snooze: async (_ctx: Context, text: string) => `snoozed: ${text}`,
  },
});
