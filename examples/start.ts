// SPDX-License-Identifier: MIT
// `npm start`: a local Restate server (from node_modules), the example endpoint, registered, with
// ready-to-paste curl commands. Runs until Ctrl-C, then stops everything it started.
import { endpoint } from "restate-hono";
import { connect } from "restate-hono/clients";
import { startRestateServer } from "../dev/restate-server.js";
import { greeter, signup, visits } from "./greeter.js";
import { BOOKING_SERVICES } from "./booking/booking.js";

const examples = [greeter, visits, signup, ...BOOKING_SERVICES];

async function main(): Promise<void> {
  console.log("Starting a local Restate server…");
  const server = await startRestateServer({ logFilter: "warn" });
  const ep = endpoint();
  for (const definition of examples) ep.bind(definition);
  const port = await ep.listen(Number(process.env["PORT"] ?? 0));
  const endpointUrl = `http://127.0.0.1:${port}`;
  await server.register(endpointUrl);
  // A first call through the typed ingress client, as a script outside Restate would make it.
  const smoke = await connect({ url: server.ingressUrl }).serviceClient(greeter).greet("npm start");

  const ingress = server.ingressUrl;
  const json = "-H 'content-type: application/json'";
  console.log(`
restate-hono example is running. First call: ${smoke}
  endpoint:        ${endpointUrl}   (HTTP/2, registered with the server)
  Restate ingress: ${ingress}
  Restate admin:   ${server.adminUrl}

Try it:

  # a service calling a virtual object
  curl -s ${ingress}/Greeter/greet ${json} -d '"Till"'

  # a durable timer: survives restarts of this endpoint
  curl -s ${ingress}/Greeter/greetLater ${json} -d '{"name":"Till","seconds":3}'

  # the object's state, read by a shared handler
  curl -s ${ingress}/Visits/Till/count

  # fire and forget, with an idempotency key (repeat it: same invocation id)
  curl -s ${ingress}/Greeter/greet/send ${json} -H 'idempotency-key: hello-1' -d '"Ada"'

  # a workflow waiting for a durable promise
  curl -s ${ingress}/Signup/ada@example.com/run/send ${json} -d '"ada@example.com"'
  SECRET=$(curl -s ${ingress}/Signup/ada@example.com/secret)
  curl -s ${ingress}/Signup/ada@example.com/click ${json} -d "$SECRET"
  curl -s ${ingress}/restate/workflow/Signup/ada@example.com/attach

The booking saga (examples/booking): reserve a flight and a hotel, wait for payment, undo on cancel.

  # send: start a booking; the reply carries its invocation id
  curl -s ${ingress}/Booking/trip-1/run/send ${json} -d '{"flight":"LH400-12A","hotel":"grand-204"}'
  curl -s ${ingress}/Booking/trip-1/status
  curl -s ${ingress}/Reservations/LH400-12A/status

  # idempotent retry: a workflow runs once per id, so a retried send returns the same
  # invocation ("PreviouslyAccepted"); for services and objects use an idempotency-key header
  curl -s ${ingress}/Booking/trip-1/run/send ${json} -d '{"flight":"LH400-12A","hotel":"grand-204"}'
  curl -s ${ingress}/Reservations/LH400-99Z/reserve/send ${json} -H 'idempotency-key: r-1' -d '"walk-in"'
  curl -s ${ingress}/Reservations/LH400-99Z/reserve/send ${json} -H 'idempotency-key: r-1' -d '"walk-in"'

  # attach: wait for the outcome (pay in another terminal to finish it)
  curl -s ${ingress}/Booking/trip-1/pay ${json} -d '{"approved":true}'
  curl -s ${ingress}/restate/workflow/Booking/trip-1/attach

  # cancel: the saga releases the hotel, then the flight, and ends with 409
  ID=$(curl -s ${ingress}/Booking/trip-3/run/send ${json} -d '{"flight":"LH400-20F","hotel":"grand-410"}' | grep -o 'inv_[A-Za-z0-9]*')
  curl -s -X PATCH ${server.adminUrl}/invocations/$ID/cancel
  curl -s ${ingress}/restate/workflow/Booking/trip-3/attach
  curl -s ${ingress}/Booking/trip-3/status

A script using the typed ingress client (restate-hono/clients):

  npx tsx examples/client-script.ts ${ingress}

Press Ctrl-C to stop.`);

  let isStopping = false;
  const stop = async () => {
    if (isStopping) return;
    isStopping = true;
    console.log("\nStopping…");
    await ep.close(1000);
    await server.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
