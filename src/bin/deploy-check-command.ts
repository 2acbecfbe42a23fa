// SPDX-License-Identifier: MIT
// `restate-hono deploy-check`: the command line over `deployCheck()`.
import { deployCheck } from "../deploy-check/deploy-check.js";
import { formatReport } from "../deploy-check/format-report.js";
import type { DeployCheckOptions, DeployCheckReport } from "../deploy-check/types.js";
import type { FetchFn } from "../clients/transport.js";

/** The admin URL when neither `--admin` nor `RESTATE_ADMIN_URL` gives one. */
export const DEFAULT_ADMIN_URL = "http://127.0.0.1:9070";

export const DEPLOY_CHECK_USAGE = `Usage: restate-hono deploy-check (--module <file> | --endpoint <url>) [options]

Checks new code against what a Restate server runs: replays the journals of open invocations,
compares the services' contract, and reports which old deployments are drained.

  --admin <url>           admin API (default: $RESTATE_ADMIN_URL or ${DEFAULT_ADMIN_URL})
  --module <file>         module exporting the new code's services (needed to replay journals)
  --endpoint <url>        endpoint serving the new code (its manifest; the URI for --update)
  --replace <deployment>  check the invocations pinned to this deployment
  --limit <n>             replay at most n journals, sampled per handler (default 1000)
  --seed <n>              seed of the sample (default 1)
  --remove-drained        remove the deployments nothing is pinned or routed to
  --update <deployment>   update it in place with --endpoint, if every pinned journal replays
  --http11                register --endpoint over HTTP/1.1 when updating
  --resume-timeout <ms>   how long to watch stuck invocations after --update (default 30000)
  --json                  print the report as JSON

Exit status: 0 safe, 1 unsafe, 2 could not check.`;

/** A command line that cannot be run (exit 2). */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Parsed `deploy-check` arguments. */
export interface DeployCheckArgs {
  readonly options: Omit<Partial<DeployCheckOptions>, "admin"> & { readonly admin?: string };
  readonly isJson: boolean;
  readonly isHelp: boolean;
}

const VALUE_FLAGS = new Set([
  "admin",
  "module",
  "endpoint",
  "replace",
  "limit",
  "seed",
  "update",
  "resume-timeout",
]);
const BOOLEAN_FLAGS = new Set(["remove-drained", "http11", "json", "help"]);

/**
 * Parses the arguments after `deploy-check` (`--flag value` or `--flag=value`).
 *
 * @throws UsageError for an unknown flag, a missing or malformed value, or a stray argument.
 * @example
 * parseDeployCheckArgs(["--module", "dist/services.js", "--json"]);
 */
export function parseDeployCheckArgs(argv: readonly string[]): DeployCheckArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "-h") {
      flags.add("help");
      continue;
    }
    if (!arg.startsWith("--")) throw new UsageError(`Unexpected argument "${arg}"`);
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (BOOLEAN_FLAGS.has(name) && eq < 0) {
      flags.add(name);
      continue;
    }
    if (!VALUE_FLAGS.has(name)) throw new UsageError(`Unknown option --${name}`);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === "" || (eq < 0 && value.startsWith("--"))) {
      throw new UsageError(`--${name} needs a value`);
    }
    values.set(name, value);
  }
  const count = (name: string): number | undefined => {
    const value = values.get(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 0 || (name === "limit" && n === 0)) {
      throw new UsageError(
        `--${name} needs a ${name === "limit" ? "positive" : "non-negative"} integer`,
      );
    }
    return n;
  };
  const isHelp = flags.has("help");
  if (!isHelp && !values.has("module") && !values.has("endpoint")) {
    throw new UsageError("Give the new code with --module or --endpoint");
  }
  if (values.has("update") && !values.has("endpoint")) {
    throw new UsageError("--update needs --endpoint, the URL serving the fixed code");
  }
  const options: Record<string, unknown> = {
    admin: values.get("admin"),
    module: values.get("module"),
    endpoint: values.get("endpoint"),
    replace: values.get("replace"),
    update: values.get("update"),
    limit: count("limit"),
    seed: count("seed"),
    resumeTimeoutMs: count("resume-timeout"),
    removeDrained: flags.has("remove-drained") || undefined,
    useHttp11: flags.has("http11") || undefined,
  };
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
  return { options, isJson: flags.has("json"), isHelp };
}

/** Where the command reads and writes; the process by default, replaced in tests. */
export interface CommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  readonly fetch?: FetchFn;
}

/**
 * Runs `deploy-check`; resolves to the exit code (0 safe, 1 unsafe, 2 could not check or bad usage).
 *
 * @example
 * process.exitCode = await runDeployCheck(["--module", "dist/services.js"], io);
 */
export async function runDeployCheck(argv: readonly string[], io: CommandIo): Promise<number> {
  let args: DeployCheckArgs;
  try {
    args = parseDeployCheckArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${error.message}\n\n${DEPLOY_CHECK_USAGE}\n`);
    return 2;
  }
  if (args.isHelp) {
    io.stdout(`${DEPLOY_CHECK_USAGE}\n`);
    return 0;
  }
  const report: DeployCheckReport = await deployCheck({
    ...args.options,
    admin: args.options.admin ?? io.env["RESTATE_ADMIN_URL"] ?? DEFAULT_ADMIN_URL,
    progress: (line) => io.stderr(`${line}\n`),
    ...(io.fetch ? { fetch: io.fetch } : {}),
  });
  io.stdout(
    args.isJson ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, { cwd: io.cwd }),
  );
  return report.exitCode;
}
