// SPDX-License-Identifier: MIT
// What evaluating a Worker bundle of the fetch entry does. An error object made while a bundle's
// top level runs captures a stack trace whose frame is that whole top level; workerd and Deno
// record where each error was made, so V8 then parses the whole bundle a second time to find the
// source position (measured: a third of our start-up instructions on workerd). Errors the SDK
// shares are therefore made on first use, never at module evaluation.
import path from "node:path";
import vm from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** A Worker with one service, bundled for the browser as a script (vm runs no ES modules). */
async function workerScript(): Promise<string> {
  const contents = [
    'import { createEndpointHandler, service, TerminalError } from "./src/fetch.ts";',
    "const greet = async (_ctx, name) => `Hello ${name}!`;",
    'const greeter = service({ name: "Greeter", handlers: { greet } });',
    "globalThis.handler = createEndpointHandler({ services: [greeter] });",
    "globalThis.TerminalError = TerminalError;",
  ].join("\n");
  const result = await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: "worker.ts", loader: "ts" },
    bundle: true,
    write: false,
    platform: "browser",
    format: "iife",
    target: "es2022",
    logLevel: "silent",
    absWorkingDir: ROOT,
  });
  const code = result.outputFiles[0]?.text;
  if (code === undefined) throw new Error("esbuild produced no bundle");
  return code;
}

/**
 * Counts, in a fresh realm, every error object made and every `Error.captureStackTrace` call:
 * each error constructor is replaced by a proxy that counts before constructing, which also counts
 * `super()` from subclasses defined afterwards.
 */
const COUNT_ERRORS = `(() => {
  let made = 0;
  for (const name of ["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError"]) {
    const original = globalThis[name];
    globalThis[name] = new Proxy(original, {
      construct(target, args, newTarget) {
        made++;
        return Reflect.construct(target, args, newTarget === globalThis[name] ? target : newTarget);
      },
      apply(target, self, args) {
        made++;
        return Reflect.apply(target, self, args);
      },
    });
  }
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = (...args) => {
    made++;
    return capture?.(...args);
  };
  globalThis.errorsMade = () => made;
})();`;

/** The Web APIs a Worker has, taken from this realm. */
const WEB_GLOBALS = {
  AbortController,
  AbortSignal,
  Headers,
  Request,
  Response,
  TextDecoder,
  TextEncoder,
  URL,
  URLSearchParams,
  console,
  crypto,
  queueMicrotask,
  setTimeout,
  clearTimeout,
};

describe("evaluating a Worker bundle of the fetch entry", () => {
  it("makes no error object (each would make workerd and Deno parse the bundle again)", async () => {
    const context = vm.createContext({ ...WEB_GLOBALS });
    vm.runInContext(COUNT_ERRORS, context);
    expect(vm.runInContext("errorsMade()", context)).toBe(0);
    vm.runInContext(await workerScript(), context, { filename: "worker.js" });
    expect(vm.runInContext("typeof handler", context)).toBe("function");
    expect(vm.runInContext("errorsMade()", context)).toBe(0);
    // The counter sees the bundle's own error classes too.
    vm.runInContext('void new TerminalError("probe")', context);
    expect(vm.runInContext("errorsMade()", context)).toBe(1);
  });
});
