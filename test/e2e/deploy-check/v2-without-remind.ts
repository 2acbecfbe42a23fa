// SPDX-License-Identifier: MIT
// Version 2 drops `DcReminders/remind` while delayed reminders still wait to run.
import { type Context, service } from "../../../src/index.js";

export { orders, payments } from "./v1.js";

export const reminders = service({
  name: "DcReminders",
  handlers: {
    snooze: async (_ctx: Context, text: string) => `snoozed: ${text}`,
  },
});
