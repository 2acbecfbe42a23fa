// SPDX-License-Identifier: MIT
/**
 * Lambda in Node: a cold start is a fresh `node` process that loads the handler module and answers
 * one invocation event, the way a Lambda init + first invoke does. The child builds the event the
 * Restate server sends (path, method, headers, base64 body), awaits the handler, and prints the
 * result and its own CPU time; the harness validates the answer. The floor is a bare handler
 * returning the pre-encoded answer.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import {
  BENCH_DIR,
  REQUIRE_SHIM,
  ROOT_DIR,
  type BundleSize,
  type Target,
  minifiedSize,
} from "./build.js";
import type { BenchConfig } from "./config.js";
import { checkResponse, greeterCase, greeterResponse, PROTOCOL_CONTENT_TYPE } from "./protocol.js";
import type { Results } from "./results.js";
import { type ColdOutcome, recordColdRuns } from "./cold-runs.js";
import { log } from "./util.js";

const TARGETS: readonly Target[] = ["ours", "official", "floor"];
const ENTRIES: Readonly<Record<"ours" | "official", string>> = {
  ours: "../src/lambda.ts",
  official: "@restatedev/restate-sdk/lambda",
};
const TIMEOUT_MS = 20_000;
/** Starts the child's result line, so that log lines on stdout cannot be mistaken for it. */
const RESULT_MARK = "@@lambda-result@@";

/** Whether `restate-hono/lambda` exists in this checkout (it is measured once it does). */
export function hasOurLambda(): boolean {
  return existsSync(path.join(ROOT_DIR, "src", "lambda.ts"));
}

function handlerSource(target: Target): string {
  if (target === "floor") {
    const body = Buffer.from(greeterResponse()).toString("base64");
    return (
      "const handler = async (event) => ({ statusCode: 200, " +
      `headers: { "content-type": "${PROTOCOL_CONTENT_TYPE}" }, body: "${body}", ` +
      "isBase64Encoded: true });"
    );
  }
  return [
    // The official SDK needs `Promise.withResolvers` (Node 20 lacks it) before it loads.
    target === "official" ? 'import "./polyfill.ts";' : "",
    `import { createEndpointHandler, service } from ${JSON.stringify(ENTRIES[target])};`,
    "const greeter = service({",
    '  name: "Greeter",',
    "  handlers: { greet: async (_ctx, name) => `Hello ${name}!` },",
    "});",
    "const handler = createEndpointHandler({ services: [greeter] });",
  ].join("\n");
}

/** The child: the handler module, then one event, then the result and CPU time on stdout. */
function childSource(target: Target): string {
  const invocation = greeterCase();
  const event = {
    path: invocation.path,
    httpMethod: "POST",
    headers: { "content-type": PROTOCOL_CONTENT_TYPE, accept: PROTOCOL_CONTENT_TYPE },
    body: Buffer.from(invocation.body).toString("base64"),
    isBase64Encoded: true,
  };
  return `${handlerSource(target)}
const context = { awsRequestId: "bench", functionName: "bench", getRemainingTimeInMillis: () => 60000 };
const result = await handler(${JSON.stringify(event)}, context);
const cpu = process.cpuUsage();
process.stdout.write("\\n${RESULT_MARK}" + JSON.stringify({ result, cpuMs: (cpu.user + cpu.system) / 1000, rss: process.memoryUsage.rss() }));
`;
}

/** Bundles the cold-start child for `target` (not minified, like the other Node children). */
export async function buildLambdaChild(target: Target, outDir: string): Promise<string> {
  const outfile = path.join(outDir, `lambda-${target}.mjs`);
  await build({
    stdin: { contents: childSource(target), resolveDir: BENCH_DIR, sourcefile: "lambda.ts" },
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    banner: { js: target === "official" ? REQUIRE_SHIM : "" },
    logLevel: "error",
    absWorkingDir: ROOT_DIR,
  });
  return outfile;
}

function coldInvoke(bundle: string): Promise<ColdOutcome> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, RESTATE_LOGGING: "WARN" };
  delete env["NODE_OPTIONS"];
  const child = spawn(process.execPath, [bundle], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
  return new Promise((resolve) => {
    child.once("exit", () => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const fail = (error: string): void =>
        resolve({ ms: NaN, cpuMs: NaN, rssMb: NaN, error: `${error} ${stderr.slice(-300)}` });
      let parsed: { result?: Record<string, unknown>; cpuMs: number; rss: number };
      try {
        const line = stdout.split("\n").find((l) => l.startsWith(RESULT_MARK)) ?? "";
        parsed = JSON.parse(line.slice(RESULT_MARK.length)) as typeof parsed;
      } catch {
        fail(`no result on stdout`);
        return;
      }
      const result = parsed.result ?? {};
      const headers = (result["headers"] ?? {}) as Record<string, string>;
      const contentType = Object.entries(headers).find(([k]) => k.toLowerCase() === "content-type");
      const encoded = result["body"];
      const body = Buffer.from(typeof encoded === "string" ? encoded : "", "base64");
      const reason = checkResponse(
        Number(result["statusCode"]),
        contentType?.[1],
        body,
        greeterCase().expected,
      );
      if (reason !== undefined) fail(reason);
      else resolve({ ms, cpuMs: parsed.cpuMs, rssMb: parsed.rss / 2 ** 20 });
    });
  });
}

/** Runs `config.cold.runs` Lambda cold starts per target, interleaved. */
export async function runLambdaCold(
  config: BenchConfig,
  results: Results,
  buildDir: string,
): Promise<void> {
  // Until restate-hono/lambda exists, the official SDK and the floor are measured alone.
  const targets = TARGETS.filter((target) => target !== "ours" || hasOurLambda());
  const bundles = {} as Record<Target, string>;
  for (const target of targets) bundles[target] = await buildLambdaChild(target, buildDir);
  await recordColdRuns(results, {
    mode: "cold start",
    name: "Lambda handler in Node: spawn → first valid answer",
    cpuLabel: "process CPU until then",
    targets,
    runs: config.cold.runs,
    coldStart: (target) => coldInvoke(bundles[target]),
  });
  log(`cold: Lambda: ${config.cold.runs} runs done`);
}

/** Size of a Lambda deployment: the handler module bundled for Node, minified. */
export async function measureLambdaBundleSize(target: "ours" | "official"): Promise<BundleSize> {
  return minifiedSize(
    {
      stdin: {
        contents: `${handlerSource(target)}\nexport { handler };`,
        resolveDir: BENCH_DIR,
        sourcefile: `lambda-${target}.ts`,
      },
      platform: "node",
      format: "esm",
      target: "node20",
    },
    `the Lambda bundle of ${target}`,
  );
}
