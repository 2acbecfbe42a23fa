// SPDX-License-Identifier: MIT
// An endpoint process as a container runs one: `serve()` with its default SIGTERM/SIGINT handling,
// on PORT. Each ctx.run closure prints one `ran <id>/<step>` line, so that a test can count the
// closures that ran across processes. The sleep outlasts a graceful stop that begins while the
// first closures run: attempts must suspend there rather than wait it out.
import { type Context, serve, service } from "../../../src/index.js";

const steady = service({
  name: "Steady",
  handlers: {
    work: async (ctx: Context, id: string) => {
      await ctx.run("first", () => void console.log(`ran ${id}/first`));
      await ctx.sleep(2_000);
      await ctx.run("second", () => void console.log(`ran ${id}/second`));
      return `done ${id}`;
    },
  },
});

const port = await serve({
  services: [steady],
  port: Number(process.env["PORT"]),
  hostname: "127.0.0.1",
});
console.log(`listening on port ${port}`);
