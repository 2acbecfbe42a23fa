#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// `restate-hono <command>`: the package's command line. One command so far, `deploy-check`.
import { type CommandIo, DEPLOY_CHECK_USAGE, runDeployCheck } from "./deploy-check-command.js";
import { isEntryPoint } from "./entry-point.js";

export const USAGE = `Usage: restate-hono <command> [options]

Commands:
  deploy-check   check new code against what a Restate server runs (restate-hono deploy-check --help)

${DEPLOY_CHECK_USAGE}`;

const PROCESS_IO: CommandIo = {
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Runs the command line; resolves to the exit code.
 *
 * @example
 * process.exitCode = await main(["deploy-check", "--module", "dist/services.js"]);
 */
export async function main(argv: readonly string[], io: CommandIo = PROCESS_IO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (command === "deploy-check") return runDeployCheck(rest, io);
  io.stderr(`Unknown command "${command}"\n\n${USAGE}\n`);
  return 2;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
