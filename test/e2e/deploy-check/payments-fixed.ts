// SPDX-License-Identifier: MIT
// The fix for the payments bug: same steps, no failure. Journals of stuck payments replay.
import { type Context, service } from "../../../src/index.js";

export { orders, reminders } from "./v1.js";

export const payments = service({
  name: "DcPayments",
  handlers: {
    pay: async (ctx: Context, amount: number) => {
      const account = await ctx.run("lookup", () => "acct-1");
      return await ctx.run("transfer", () => `${account} paid ${amount}`);
    },
  },
});
