// SPDX-License-Identifier: MIT
// `npm start`: a local Restate server (from node_modules), the example endpoint, registered, with
// ready-to-paste curl commands. Runs until Ctrl-C, then stops everything it started.
import { endpoint } from "restate-hono";
import { startRestateServer } from "../dev/restate-server.js";
import { greeter, signup, visits } from "./greeter.js";

const examples = [greeter, visits, signup];

async function main(): Promise<void> {
  console.log("Starting a local Restate server…");
  const server = await startRestateServer({ logFilter: "warn" });
  const ep = endpoint();
  for (const definition of examples) ep.bind(definition);
  const port = await ep.listen(Number(process.env["PORT"] ?? 0));
  const endpointUrl = `http://127.0.0.1:${port}`;
  await server.register(endpointUrl);

  const ingress = server.ingressUrl;
  const json = "-H 'content-type: application/json'";
  console.log(`
restate-hono example is running.
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
