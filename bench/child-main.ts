// SPDX-License-Identifier: MIT
/**
 * The common part of every endpoint child (`endpoint-*.ts`): listen on the port given as the first
 * argument, report the bound port, answer heap requests, and exit with the harness.
 */
import type { ChildMessage, HarnessMessage } from "./child-protocol.js";

function send(message: ChildMessage): void {
  process.send?.(message);
}

async function fullGc(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run the child with --expose-gc");
  // Two rounds with a macrotask between them, so finalizers and weak callbacks settle.
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

/**
 * Starts the endpoint with `listen(port)` and wires the child's side of the IPC protocol.
 *
 * @example
 * await serveChild((port) => endpoint().bind(greeter).listen(port));
 */
export async function serveChild(listen: (port: number) => Promise<number>): Promise<void> {
  const port = await listen(Number(process.argv[2] ?? "0"));
  process.on("message", (message: HarnessMessage) => {
    if (message.type !== "heap") return;
    void fullGc().then(() => {
      const { heapUsed, rss } = process.memoryUsage();
      send({ type: "heap", heap: { heapUsed, rss } });
    });
  });
  // The harness is gone (or stopped us): nothing will measure this process any more.
  process.on("disconnect", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
  send({ type: "ready", port });
}
