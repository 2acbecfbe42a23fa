// SPDX-License-Identifier: MIT
/**
 * Runs a template of examples/ the way its README says: the first command of the README's first
 * `sh` block, in the template's directory. `bun` and `deno` are the binaries from node_modules,
 * `npx` finds its tools in node_modules; the commands run offline (npm and Deno are pointed at a
 * registry that does not answer), so a template that needs the network fails here.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runtimeBinary, runtimeEnv } from "../../dev/runtimes.js";

const ROOT_DIR = fileURLToPath(new URL("../..", import.meta.url));
const START_TIMEOUT_MS = 30_000;
/** What the templates print once they listen: `… listening on http://host:port` or `… port N`. */
const LISTENING = /listening on (?:http:\/\/\S+:|port )(\d+)/;
/** A loopback port nothing listens on (discard): registry requests fail at once. */
const NO_REGISTRY = "http://127.0.0.1:9/";

/**
 * The first command of the first `sh` block of `<template>/README.md`, split into words, without
 * its trailing comment.
 *
 * @example
 * await readmeCommand("examples/deno"); // ["deno", "run", "--allow-net", "--allow-env", "main.ts"]
 */
export async function readmeCommand(template: string): Promise<string[]> {
  const readme = await fs.readFile(path.join(ROOT_DIR, template, "README.md"), "utf8");
  const block = /```sh\n([^\n]*)\n/.exec(readme)?.[1];
  if (block === undefined) throw new Error(`${template}/README.md has no sh block`);
  return block
    .replace(/\s+#.*$/, "")
    .trim()
    .split(/\s+/);
}

/** The executable for a README command's first word; undefined when it is not installed. */
function executable(word: string): string | undefined {
  if (word === "bun" || word === "deno") return runtimeBinary(word);
  if (word === "npx") return "npx";
  throw new Error(`README commands starting with ${word} are not supported here`);
}

/** True when the first word of the template's README command can run on this machine. */
export async function canRunReadmeCommand(template: string): Promise<boolean> {
  const [word] = await readmeCommand(template);
  return word !== undefined && executable(word) !== undefined;
}

/** A README command running in its template's directory. */
export interface ReadmeProcess {
  readonly url: string;
  /** What the command wrote to stdout and stderr so far. */
  logs(): string;
  /** Stops the command's process group (SIGTERM, SIGKILL after a second), removes its temp dir. */
  stop(): Promise<void>;
}

async function spawnReadmeCommand(
  template: string,
): Promise<{ child: ChildProcess; output: () => string; stop: () => Promise<void> }> {
  const [word, ...args] = await readmeCommand(template);
  const file = word === undefined ? undefined : executable(word);
  if (file === undefined) throw new Error(`${template}: the README's command is not installed`);
  const home = await fs.mkdtemp(path.join(os.tmpdir(), "restate-hono-readme-"));
  const env = runtimeEnv(home, {
    PORT: "0",
    HOST: "127.0.0.1",
    NPM_CONFIG_REGISTRY: NO_REGISTRY,
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
  });
  // A process group of its own, so that stopping it also stops what npx and tsx started.
  const child = spawn(file, args, {
    cwd: path.join(ROOT_DIR, template),
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (): Promise<void> => {
    await stopGroup(child);
    await fs.rm(home, { recursive: true, force: true });
  };
  return { child, output: () => output, stop };
}

/**
 * Runs a README command that serves an endpoint (`PORT=0`, `HOST=127.0.0.1`) and waits until it
 * says where it listens.
 *
 * @throws when it exits or does not listen within 30 s; its output is in the message.
 */
export async function startReadmeCommand(template: string): Promise<ReadmeProcess> {
  const { child, output, stop } = await spawnReadmeCommand(template);
  try {
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not listening after ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      const check = (): void => {
        const port = LISTENING.exec(output())?.[1];
        if (port !== undefined) {
          clearTimeout(timer);
          resolve(port);
        }
      };
      child.stdout?.on("data", check);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${String(code)} before listening`));
      });
    });
    return { url: `http://127.0.0.1:${port}`, logs: output, stop };
  } catch (error) {
    await stop();
    throw new Error(`${template}: ${(error as Error).message}:\n${output()}`);
  }
}

/**
 * Runs a README command that finishes (a build) and returns its output.
 *
 * @throws when it exits with another code than 0.
 */
export async function runReadmeCommand(template: string): Promise<string> {
  const { child, output, stop } = await spawnReadmeCommand(template);
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  await stop();
  if (code !== 0)
    throw new Error(`${template}: the README's command exited with ${code}:\n${output()}`);
  return output();
}

/** What `wrangler dev` reads from a template's wrangler.toml to run its Worker. */
export interface WranglerSettings {
  /** The entry, relative to the repository root. */
  readonly main: string;
  readonly compatibilityDate: string;
  readonly compatibilityFlags: readonly string[];
  /** `[vars]`. */
  readonly vars: Readonly<Record<string, string>>;
}

/**
 * Reads the keys of `<template>/wrangler.toml` the templates use (`main`, `compatibility_date`,
 * `compatibility_flags`, `[vars]` of strings); wrangler itself is not installed here.
 */
export async function wranglerSettings(template: string): Promise<WranglerSettings> {
  const toml = await fs.readFile(path.join(ROOT_DIR, template, "wrangler.toml"), "utf8");
  const top: Record<string, unknown> = {};
  const vars: Record<string, string> = {};
  let table = "";
  for (const raw of toml.split("\n")) {
    const line = raw.replace(/^\s*#.*$/, "").trim();
    const header = /^\[(\w+)\]$/.exec(line);
    if (header?.[1] !== undefined) table = header[1];
    const entry = /^(\w+)\s*=\s*(.+)$/.exec(line);
    if (entry?.[1] === undefined || entry[2] === undefined) continue;
    const value = JSON.parse(entry[2]) as unknown;
    if (table === "") top[entry[1]] = value;
    else if (table === "vars" && typeof value === "string") vars[entry[1]] = value;
  }
  if (typeof top["main"] !== "string" || typeof top["compatibility_date"] !== "string")
    throw new Error(`${template}/wrangler.toml needs main and compatibility_date`);
  return {
    main: path.join(template, top["main"]),
    compatibilityDate: top["compatibility_date"],
    compatibilityFlags: (top["compatibility_flags"] as string[] | undefined) ?? [],
    vars,
  };
}

/** Stops `child`'s process group: SIGTERM, then SIGKILL after a second. */
export async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-pid, name);
    } catch {
      // The group is gone already.
    }
  };
  if (child.exitCode !== null || child.signalCode !== null) {
    // What the command started may outlive it.
    signal("SIGKILL");
    return;
  }
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 1_000);
  await exited;
  clearTimeout(timer);
}
