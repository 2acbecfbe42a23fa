// SPDX-License-Identifier: MIT
// Version 2 charges before it reserves: journals written by version 1 no longer replay.
import { type ObjectContext, object } from "../../../src/index.js";

export { payments, reminders } from "./v1.js";

export const orders = object({
  name: "DcOrders",
  handlers: {
    place: async (ctx: ObjectContext, item: string) => {
      const count = (await ctx.get<number>("count")) ?? 0;
      await ctx.run("charge", () => `charged ${item}`); // deploy-check: parts here
      await ctx.run("reserve", () => `reserved ${item}`);
      const confirmation = ctx.awakeable<string>();
      await ctx.run("publish", () => undefined);
      const answer = await confirmation.promise;
      ctx.set("count", count + 1);
      return `${item}: ${answer}`;
    },
  },
});
