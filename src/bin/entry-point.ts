// SPDX-License-Identifier: MIT
// Whether a bin module is the program Node runs, or only imported (by its tests, for one).
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * True when the module at `moduleUrl` is the script Node was started with, also when started
 * through a link (npm installs bins as symlinks into node_modules/.bin).
 *
 * @example
 * if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
 */
export function isEntryPoint(
  moduleUrl: string,
  script: string | undefined = process.argv[1],
): boolean {
  if (script === undefined) return false;
  try {
    return realpathSync(script) === fileURLToPath(moduleUrl);
  } catch {
    return false;
  }
}
