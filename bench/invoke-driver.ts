// SPDX-License-Identifier: MIT
/**
 * A deterministic driver of the invoke path for instruction counts and profiles: the direct-mode
 * bodies (`protocol.ts`) fed to the Node request handler of a built restate-hono, with in-memory
 * request and response objects (no sockets, no HTTP/2), `c` invocations in flight.
 *
 * Usage: `npx tsx bench/invoke-driver.ts <dist> <greeter|replay10|replay1000> <c> <n> <warm-up>`,
 * where `<dist>` is the `dist` of `npm run build` in any checkout (`git worktree add /tmp/x <commit>`).
 * Instructions per invocation: run it twice under `valgrind --tool=callgrind node --single-threaded
 * --import tsx`, with `n` = 0 and `n` = N, and divide the difference of the totals by N.
 */
import { EventEmitter } from "node:events";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { checkResponse, greeterCase, replayCase, type DirectCase } from "./protocol.js";
import { defineBenchServices, type BenchSdk } from "./services.js";
import type * as NodeEntryModule from "../src/node.js";

type NodeEntry = typeof NodeEntryModule;

const CASES: Readonly<Record<string, () => DirectCase>> = {
  greeter: () => greeterCase(),
  replay10: () => replayCase(10),
  replay1000: () => replayCase(1000),
};

const [dist = "dist", caseName = "replay10", c = "32", n = "1000", warm = "0"] =
  process.argv.slice(2);
const makeCase = CASES[caseName];
if (makeCase === undefined) throw new Error(`unknown case ${caseName}`);
const invocation = makeCase();
const root = pathToFileURL(resolve(dist, "src")).href;
const sdk = (await import(`${root}/index.js`)) as BenchSdk;
const { createEndpointHandler } = (await import(`${root}/node.js`)) as NodeEntry;
const handler = createEndpointHandler({ services: [...defineBenchServices(sdk)] as never });

/** One invocation through fake request/response objects; rejects on an invalid answer. */
function invoke(): Promise<void> {
  return new Promise((done, fail) => {
    const chunks: Uint8Array[] = [];
    let contentType: string | undefined;
    const req = Object.assign(new EventEmitter(), {
      method: "POST",
      url: invocation.path,
      httpVersionMajor: 2,
      headers: { "content-type": "application/vnd.restate.invocation.v6" },
      resume: () => undefined,
    });
    const res = Object.assign(new EventEmitter(), {
      writeHead: (_status: number, headers: Readonly<Record<string, string>>) => {
        contentType = headers["content-type"];
      },
      write: (chunk: Uint8Array) => chunks.push(chunk) > 0,
      end: () => {
        const body = Buffer.concat(chunks);
        const problem = checkResponse(200, contentType, body, invocation.expected);
        if (problem === undefined) done();
        else fail(new Error(problem));
      },
    });
    handler(req, res);
    // The body arrives on a later macrotask, in one chunk, then its end: as an HTTP/2 stream.
    setImmediate(() => {
      req.emit("data", invocation.body);
      req.emit("end");
    });
  });
}

async function load(total: number, concurrency: number): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      await invoke();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

await load(Number(warm), 32);
const cpu = process.cpuUsage();
await load(Number(n), Number(c));
const used = process.cpuUsage(cpu);
const perInvocation = (used.user + used.system) / Math.max(1, Number(n));
process.stderr.write(`${caseName} c=${c} n=${n}: ${perInvocation.toFixed(1)} µs CPU/invocation\n`);
