#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// `restate-hono-journal`: exports an invocation's journal from a Restate server as a recording
// file that `loadRecording` + `replayJournal` read back. It joins the admin client and the
// testing runtime's recording format, so it lives here rather than in either: `src/testing` never
// imports the clients, and test code never loads `node:fs` or the clients through it.
import { writeFile } from "node:fs/promises";
import { connectAdmin } from "../clients/admin.js";
import type { FetchFn } from "../clients/transport.js";
import { fromSysJournal } from "../testing/replay-journal.js";
import { toRecordingJson } from "../testing/recording-file.js";
import { isEntryPoint } from "./entry-point.js";

/** The admin URL when neither `--admin` nor `RESTATE_ADMIN_URL` gives one. */
export const DEFAULT_ADMIN_URL = "http://127.0.0.1:9070";

export const USAGE = `Usage: restate-hono-journal export <invocationId> [--admin <url>] [--out <file.json>]

Exports the journal of an invocation from the Restate admin API (default: $RESTATE_ADMIN_URL or
${DEFAULT_ADMIN_URL}) as a JSON recording; replay it in a test with
replayJournal(definition, handler, loadRecording(json)). Without --out, prints it.`;

/**
 * A parsed command line.
 *
 * @example
 * parseCliArgs(["export", "inv_1abc", "--out", "j.json"]); // { kind: "export", invocationId: "inv_1abc", admin: undefined, out: "j.json" }
 */
export type CliCommand =
  | { readonly kind: "help" }
  | {
      readonly kind: "export";
      readonly invocationId: string;
      /** `--admin`; undefined means the environment's or the default URL. */
      readonly admin: string | undefined;
      readonly out: string | undefined;
    };

/** A command line that cannot be run; `main` prints it with the usage and exits with 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Parses the arguments after the program name (`--flag value` or `--flag=value`).
 *
 * @throws UsageError for an unknown command or flag, a missing value or a missing invocation id.
 * @example
 * parseCliArgs(["export", "inv_1abc", "--admin=http://localhost:9070"]);
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    return { kind: "help" };
  }
  if (command !== "export") throw new UsageError(`Unknown command "${command}"`);
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? "";
    if (arg === "--help" || arg === "-h") return { kind: "help" };
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (name !== "admin" && name !== "out") throw new UsageError(`Unknown option --${name}`);
    const value = eq < 0 ? rest[++i] : arg.slice(eq + 1);
    if (value === undefined || value === "") throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
  }
  const [invocationId, ...extra] = positional;
  if (invocationId === undefined) throw new UsageError("export needs an invocation id");
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}"`);
  return { kind: "export", invocationId, admin: flags.get("admin"), out: flags.get("out") };
}

/**
 * Reads an invocation's journal and target from the admin API and returns the recording JSON.
 *
 * @throws Error when the server has no journal for the invocation (unknown id, or purged).
 * @example
 * const json = await exportRecording("inv_1abc", { admin: "http://localhost:9070" });
 */
export async function exportRecording(
  invocationId: string,
  options: { readonly admin: string; readonly fetch?: FetchFn },
): Promise<string> {
  const admin = connectAdmin({
    url: options.admin,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const [invocation, rows] = await Promise.all([
    admin.getInvocation(invocationId),
    admin.exportJournal(invocationId),
  ]);
  if (invocation === undefined || rows.length === 0) {
    throw new Error(
      `No journal for ${invocationId}: the invocation is unknown, or its journal was purged ` +
        "(completed invocations keep it for the service's journal retention)",
    );
  }
  const entries = fromSysJournal(rows);
  const key = invocation.targetServiceKey;
  return toRecordingJson(
    { invocationId, ...(key !== undefined ? { key } : {}), entries },
    { service: invocation.targetServiceName, handler: invocation.targetHandlerName },
  );
}

/** Where `main` reads and writes; the process by default, replaced in tests. */
export interface CliIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  writeFile(path: string, text: string): Promise<void>;
  readonly fetch?: FetchFn;
}

const PROCESS_IO: CliIo = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  writeFile: (path, text) => writeFile(path, text, "utf8"),
};

/**
 * Runs the command line; resolves to the exit code (0 ok, 1 failed, 2 bad usage).
 *
 * @example
 * process.exitCode = await main(["export", "inv_1abc", "--out", "journal.json"]);
 */
export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command.kind === "help") {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const admin = command.admin ?? io.env["RESTATE_ADMIN_URL"] ?? DEFAULT_ADMIN_URL;
  try {
    const json = await exportRecording(command.invocationId, {
      admin,
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
    if (command.out === undefined) {
      io.stdout(json);
    } else {
      await io.writeFile(command.out, json);
      io.stderr(`Wrote the journal of ${command.invocationId} to ${command.out}\n`);
    }
    return 0;
  } catch (error) {
    io.stderr(`restate-hono-journal: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (isEntryPoint(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
