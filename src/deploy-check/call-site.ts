// SPDX-License-Identifier: MIT
// Finding the handler's source line in a stack trace: the first frame that is neither this SDK
// nor the JavaScript runtime is the user code that called the `ctx` operation.
import { fileURLToPath } from "node:url";

/**
 * A position in a source file.
 *
 * @example
 * const where: SourceLocation = { file: "/app/src/orders.ts", line: 42, column: 11 };
 */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The function V8 named in the frame, if any. */
  readonly functionName?: string;
}

/** The SDK's own source directory (`src/` when run from sources, `dist/src/` when built). */
export const SDK_ROOT = fileURLToPath(new URL("../", import.meta.url));

/**
 * SDK sources, except the SDK's own tests (their handlers are user code to the check), and any
 * installed package (the user's code may load another copy of this SDK).
 */
function isSdkFile(file: string, sdkRoot: string): boolean {
  if (file.includes("/node_modules/")) return true;
  return file.startsWith(sdkRoot) && !/\.test\.[cm]?[jt]s$/.test(file);
}

const FRAME = /^\s*at (?:async )?(?:(.*?) \()?(.+?):(\d+):(\d+)\)?\s*$/;

/**
 * The first frame of `stack` outside the SDK (files under `sdkRoot` but its tests) and the
 * runtime (`node:` modules, native frames).
 *
 * @example
 * userCallSite(error.stack ?? ""); // { file: "/app/src/orders.ts", line: 42, column: 11, functionName: "place" }
 */
export function userCallSite(
  stack: string,
  sdkRoot: string = SDK_ROOT,
): SourceLocation | undefined {
  for (const line of stack.split("\n")) {
    const match = FRAME.exec(line);
    if (match === null) continue;
    const [, fn, location = "", row = "", column = ""] = match;
    const file = location.startsWith("file://") ? fileURLToPath(location) : location;
    if (file.startsWith("node:") || file === "native" || isSdkFile(file, sdkRoot)) continue;
    return {
      file,
      line: Number(row),
      column: Number(column),
      ...(fn !== undefined && fn !== "" ? { functionName: fn } : {}),
    };
  }
  return undefined;
}
