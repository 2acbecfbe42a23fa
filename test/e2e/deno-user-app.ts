// SPDX-License-Identifier: MIT
/**
 * A Deno user's own Hono app serving our endpoint: `hono` and `restate-hono/fetch` imported from
 * the project's node_modules (the packed package, whose `deno` entries bundle a Hono of their own),
 * our `app()` mounted with `app.route` and its `fetch` with `app.mount`, behind the user's
 * middleware. Run by test/e2e/package.test.ts in its installed project.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runtimeEnv } from "../../dev/runtimes.js";
import { stopGroup } from "./readme-commands.js";

/**
 * The user's program: the handler journals a `ctx.run` and reports its extra arguments. Our app is
 * a `hono/tiny` app, never `instanceof` the `Hono` of `hono`'s main entry; one Hono package shows
 * as `instanceof HonoBase`, which every Hono preset extends.
 */
const USER_APP = `import { Hono } from "hono";
import { HonoBase } from "hono/hono-base";
import { endpoint, service } from "restate-hono/fetch";

const greeter = service({
  name: "MountedGreeter",
  handlers: {
    greet: async (ctx, name) => {
      const stamp = await ctx.run("stamp", () => "journaled");
      return \`Hello \${name}, \${stamp}, \${ctx.request().extraArgs.length} extra args\`;
    },
  },
});
const restate = endpoint().bind(greeter);

let seen = 0;
const app = new Hono();
app.use("/restate/*", async (c, next) => {
  seen += 1;
  await next();
  c.res.headers.set("x-user-middleware", String(seen));
});
app.route("/restate", restate.app());
app.mount("/mounted", restate.app().fetch);
app.get("/seen", (c) => c.json({ seen, isUserHono: restate.app() instanceof HonoBase }));

Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: ({ port }) => console.log(\`listening on port \${port}\`) },
  app.fetch,
);
`;

/** The user's app, listening. */
export interface DenoUserApp {
  readonly url: string;
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Writes the user's program into `project` (which has `hono` and `restate-hono` installed and a
 * `deno.json`) and runs it with `deno`, until it says where it listens.
 *
 * @throws when it exits or does not listen within 30 s; its output is in the message.
 */
export async function startDenoUserApp(project: string, deno: string): Promise<DenoUserApp> {
  writeFileSync(join(project, "user-app.mjs"), USER_APP);
  const child = spawn(
    deno,
    ["run", "--allow-net", "--allow-env", "--allow-read", "--no-prompt", "user-app.mjs"],
    {
      cwd: project,
      env: runtimeEnv(project, {}),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = () => stopGroup(child);
  try {
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("not listening after 30 s")), 30_000);
      child.stdout.on("data", () => {
        const port = /listening on port (\d+)/.exec(output)?.[1];
        if (port === undefined) return;
        clearTimeout(timer);
        resolve(port);
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${String(code)} before listening`));
      });
    });
    return { url: `http://127.0.0.1:${port}`, logs: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`the Deno user app: ${(error as Error).message}:\n${output}`);
  }
}
