// SPDX-License-Identifier: MIT
// A "fix" that renames the first step: the stuck payments' journals would not replay on it.
import { type Context, service } from "../../../src/index.js";

export { orders, reminders } from "./v1.js";

export const payments = service({
  name: "DcPayments",
  handlers: {
    pay: async (ctx: Context, amount: number) => {
      const account = await ctx.run("find-account", () => "acct-1"); // deploy-check: bad fix
      return await ctx.run("transfer", () => `${account} paid ${amount}`);
    },
  },
});
