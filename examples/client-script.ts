// SPDX-License-Identifier: MIT
// A script outside Restate driving the examples through the typed ingress client:
//   npm start                       (in one terminal; note the ingress URL it prints)
//   npx tsx examples/client-script.ts http://127.0.0.1:<ingress port>
import { connect, isHttpCallError } from "restate-hono/clients";
import type { greeter, signup } from "./greeter.js";
import type { booking } from "./booking/booking.js";

/** Runs a tour of the examples through the ingress at `url`; returns what it printed. */
export async function tour(url: string, log: (line: string) => void = console.log): Promise<void> {
  const ingress = connect({ url });

  const hello = await ingress.serviceClient<typeof greeter>({ name: "Greeter" }).greet("Script");
  log(`Greeter/greet -> ${hello}`);

  // A workflow: submit once, read its secret, click the link, attach to the result.
  const email = `script-${Date.now()}@example.com`;
  const flow = ingress.workflowClient<typeof signup>({ name: "Signup" }, email);
  const submitted = await flow.workflowSubmit(email);
  log(`Signup/${email}/run/send -> ${submitted.status} ${submitted.invocationId}`);
  let secret: string | null = null;
  for (let i = 0; i < 50 && secret === null; i++) {
    secret = await flow.secret();
    if (secret === null) await new Promise((r) => setTimeout(r, 100));
  }
  await flow.click(secret ?? "");
  log(`Signup attach -> ${await flow.workflowAttach()}`);

  // A booking declined by the payment provider: the saga releases its reservations.
  const trip = `trip-${Date.now()}`;
  const run = ingress.workflowClient<typeof booking>({ name: "Booking" }, trip);
  await run.workflowSubmit({ flight: `F-${trip}`, hotel: `H-${trip}` });
  for (let i = 0; i < 50; i++) {
    if ((await run.status()).status === "awaiting-payment") break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await run.pay({ approved: false, reason: "card expired" });
  try {
    await run.workflowAttach();
  } catch (e) {
    if (!isHttpCallError(e)) throw e;
    log(
      `Booking attach -> ${e.status} ${e.message}; released ${(await run.status()).released.join(", ")}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2];
  if (url === undefined) {
    console.error("usage: tsx examples/client-script.ts <ingress url>");
    process.exit(2);
  }
  await tour(url);
}
