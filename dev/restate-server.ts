// SPDX-License-Identifier: MIT
/**
 * Dev-only launcher for the real `restate-server` binary, shared by the e2e tests, the examples
 * (`npm start`) and the benchmarks. Never shipped: `dev/` is outside `tsconfig.build.json`.
 *
 * About 500 lines, over the 300-line guide: the launcher and the small helpers its users need
 * (`freePort`, `waitFor`, `restateCli`) live in one dev-only module by design, and the
 * start → ready → stop → reap lifecycle reads best in one place.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, rmSync, type WriteStream } from "node:fs";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** Loopback ports of one server. */
export interface RestateServerPorts {
  readonly ingress: number;
  readonly admin: number;
  /** Node-to-node message fabric (`RESTATE_BIND_PORT`). */
  readonly fabric: number;
}

/** How to start a server; {@link startRestateServer} takes a `Partial` of it. */
export interface RestateServerOptions {
  /** Idle time before the server asks an endpoint to suspend, e.g. `"2s"`; unset = server default (1m). */
  inactivityTimeout: string | undefined;
  /** Time an endpoint gets to finish after the inactivity timeout; unset = server default (10m). */
  abortTimeout: string | undefined;
  /** Default retry policy's first delay; small so retried invocations finish quickly in tests. */
  retryInitialInterval: string;
  /** Default retry policy's longest delay. */
  retryMaxInterval: string;
  /** Passed to the server after the defaults above, so it can override any of them. */
  env: Readonly<Record<string, string>>;
  /** TOML written to `restate.toml` in the data dir and passed with `-c` (e.g. Kafka clusters). */
  configToml: string | undefined;
  /** Existing data dir to start on (a restart); unset = a fresh temporary one. */
  dataDir: string | undefined;
  /** Fixed ports; the unset ones are picked free (and re-picked if binding races). */
  ports: Partial<RestateServerPorts>;
  /** Turns on service protocol V7 (off by default in 1.7.12). */
  enableProtocolV7: boolean;
  /** `RESTATE_LOG_FILTER`; warn keeps the log small and still shows why an invocation failed. */
  logFilter: string;
  /**
   * When start resolves: `"query"` (default) once SQL over all partitions answers, i.e. every
   * partition has a leader and invocations run at once; `"health"` as soon as admin and ingress
   * answer `/health`, for nodes that cannot be ready alone (an unprovisioned cluster member).
   */
  readiness: "query" | "health";
  /** How long to wait for readiness before giving up. */
  startTimeoutMs: number;
}

/** Defaults for tests: fast retries, server defaults for timeouts. */
export const RESTATE_SERVER_DEFAULTS: Readonly<RestateServerOptions> = Object.freeze({
  inactivityTimeout: undefined,
  abortTimeout: undefined,
  retryInitialInterval: "100ms",
  retryMaxInterval: "1s",
  env: Object.freeze({}),
  configToml: undefined,
  dataDir: undefined,
  ports: Object.freeze({}),
  enableProtocolV7: false,
  logFilter: "warn",
  readiness: "query",
  startTimeoutMs: 30_000,
});

/** The admin API's answer to a registration (`POST /deployments`), as far as tests need it. */
export interface DeploymentInfo {
  readonly id: string;
  readonly services: readonly { readonly name: string; readonly [key: string]: unknown }[];
  readonly min_protocol_version?: number;
  readonly max_protocol_version?: number;
  readonly sdk_version?: string;
}

/** A running `restate-server` child process. */
export interface RestateServer {
  readonly ingressUrl: string;
  readonly adminUrl: string;
  /** PID of the real binary (not a wrapper); changes on {@link RestateServer.restart}. */
  readonly pid: number;
  readonly dataDir: string;
  readonly ports: RestateServerPorts;
  /** The last ~200 lines the server wrote; the whole log is `restate-server.log` in the data dir. */
  logs(): string;
  /** Stops the server (SIGTERM, SIGKILL after 5 s) and removes the data dir unless `keepData`. */
  stop(opts?: { signal?: NodeJS.Signals; keepData?: boolean }): Promise<void>;
  /** Crashes the server (SIGKILL) and starts it again on the same ports and data dir. */
  restart(): Promise<void>;
  /** Registers a deployment; `force` (default true) re-registers the same URI. */
  register(
    endpointUrl: string,
    opts?: { http11?: boolean; force?: boolean },
  ): Promise<DeploymentInfo>;
  /** Runs SQL on the admin query engine; rows come back unvalidated as `T`. */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
}

const LOG_TAIL_LINES = 200;
const STOP_GRACE_MS = 5_000;
const BIND_ATTEMPTS = 5;
const LOG_FILE = "restate-server.log";

/**
 * Starts a real Restate server on free loopback ports and a fresh data dir, and waits until ready.
 *
 * @example
 * const server = await startRestateServer({ inactivityTimeout: "2s" });
 * await server.register("http://127.0.0.1:9080", { http11: true });
 * await server.stop();
 * @throws Error with the server's last log lines if it exits or is not ready in time.
 */
export async function startRestateServer(
  options: Partial<RestateServerOptions> = {},
): Promise<RestateServer> {
  const opts: RestateServerOptions = { ...RESTATE_SERVER_DEFAULTS, ...options };
  const isOwnDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), "restate-hono-")));
  try {
    for (let attempt = 1; ; attempt++) {
      const ports = await pickPorts(opts.ports);
      const server = new LocalRestateServer(opts, ports, dataDir, isOwnDir);
      const failure = await server.launch();
      if (failure === undefined) return server;
      // Another process may have taken a port between our probe and the server's bind.
      const isRetryable = failure.isBindError && attempt < BIND_ATTEMPTS && !isFixed(opts.ports);
      if (!isRetryable) throw failure.error;
      // A half-started node may have stored its old fabric address; start the retry from scratch.
      if (isOwnDir) await emptyDir(dataDir);
    }
  } catch (error) {
    if (isOwnDir) await fs.rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

interface LaunchFailure {
  readonly error: Error;
  readonly isBindError: boolean;
}

// Not exported: the interface is the contract, this is its one implementation.
class LocalRestateServer implements RestateServer {
  readonly ingressUrl: string;
  readonly adminUrl: string;
  readonly dataDir: string;
  readonly ports: RestateServerPorts;
  readonly #opts: RestateServerOptions;
  readonly #isOwnDir: boolean;
  readonly #tail: string[] = [];
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #logFile: WriteStream | undefined;

  constructor(
    opts: RestateServerOptions,
    ports: RestateServerPorts,
    dataDir: string,
    isOwnDir: boolean,
  ) {
    this.#opts = opts;
    this.ports = ports;
    this.dataDir = dataDir;
    this.#isOwnDir = isOwnDir;
    this.ingressUrl = `http://127.0.0.1:${ports.ingress}`;
    this.adminUrl = `http://127.0.0.1:${ports.admin}`;
  }

  get pid(): number {
    return this.#child?.pid ?? -1;
  }

  logs(): string {
    return this.#tail.join("\n");
  }

  /** Spawns the binary and waits for health; resolves with the failure instead of throwing. */
  async launch(): Promise<LaunchFailure | undefined> {
    const args = ["--no-logo"];
    if (this.#opts.configToml !== undefined) {
      const file = path.join(this.dataDir, "restate.toml");
      await fs.writeFile(file, this.#opts.configToml);
      args.push("-c", file);
    }
    const binary = resolveBinary("restate-server", "restate-server");
    this.#logFile = createWriteStream(path.join(this.dataDir, LOG_FILE), { flags: "a" });
    // The server makes a few dozen empty `invoker-…` directories under TMPDIR at every start and
    // never removes them; give it its own, removed once it has exited. (Not inside the data dir:
    // the server reads each directory there as a node's data.)
    const scratch = await fs.mkdtemp(path.join(os.tmpdir(), "restate-hono-tmp-"));
    const child = spawn(binary, args, {
      env: { ...this.#env(), TMPDIR: scratch },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#child = child;
    running.set(child, this.#isOwnDir ? [this.dataDir, scratch] : [scratch]);
    installReaper();
    let hasExited = false;
    this.#exited = new Promise((resolve) => {
      const gone = () => {
        hasExited = true;
        running.delete(child);
        void fs.rm(scratch, { recursive: true, force: true }).finally(resolve);
      };
      // 'close' rather than 'exit': it comes after stdout/stderr are drained, so the log is whole.
      child.once("close", gone);
      // A spawn failure (ENOENT, EACCES) emits 'error' and may never emit 'close'.
      child.once("error", (error) => {
        this.#record(`spawn failed: ${error.message}`);
        gone();
      });
    });
    this.#capture(child);
    const deadline = Date.now() + this.#opts.startTimeoutMs;
    while (Date.now() < deadline && !hasExited) {
      if (await this.#isReady()) return undefined;
      await delay(100);
    }
    const reason = hasExited
      ? "exited during startup"
      : `not ready after ${this.#opts.startTimeoutMs} ms`;
    await this.stop({ signal: "SIGKILL", keepData: true });
    const logs = this.logs();
    return {
      error: new Error(
        `restate-server ${reason} (data dir ${this.dataDir}); last log lines:\n${logs}`,
      ),
      isBindError: hasExited && /failed binding|address (already )?in use/i.test(logs),
    };
  }

  async #isReady(): Promise<boolean> {
    const isHealthy =
      (await isOk(`${this.adminUrl}/health`)) && (await isOk(`${this.ingressUrl}/restate/health`));
    if (!isHealthy || this.#opts.readiness === "health") return isHealthy;
    // Health comes ~0.4 s before partition leaders; until then queries fail with "node lookup
    // for partition N failed".
    return this.query("SELECT id FROM sys_invocation LIMIT 1").then(
      () => true,
      () => false,
    );
  }

  async stop(opts: { signal?: NodeJS.Signals; keepData?: boolean } = {}): Promise<void> {
    const child = this.#child;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill(opts.signal ?? "SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await this.#exited;
      clearTimeout(timer);
    }
    await this.#exited;
    const logFile = this.#logFile;
    this.#logFile = undefined;
    if (logFile !== undefined) await new Promise<void>((resolve) => logFile.end(resolve));
    if (opts.keepData !== true) await fs.rm(this.dataDir, { recursive: true, force: true });
  }

  async restart(): Promise<void> {
    await this.stop({ signal: "SIGKILL", keepData: true });
    // The ports were ours a moment ago, so retry the same ones rather than moving the URLs.
    for (let attempt = 1; ; attempt++) {
      const failure = await this.launch();
      if (failure === undefined) return;
      if (!failure.isBindError || attempt >= BIND_ATTEMPTS) throw failure.error;
      await delay(200);
    }
  }

  async register(
    endpointUrl: string,
    opts: { http11?: boolean; force?: boolean } = {},
  ): Promise<DeploymentInfo> {
    const body = { uri: endpointUrl, use_http_11: opts.http11 ?? false, force: opts.force ?? true };
    return (await this.#adminPost("/deployments", body)) as DeploymentInfo;
  }

  async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const result = (await this.#adminPost("/query", { query: sql })) as { rows: T[] };
    return result.rows;
  }

  async #adminPost(route: string, body: unknown): Promise<unknown> {
    const res = await fetch(`${this.adminUrl}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${route} failed with ${res.status}: ${text}`);
    return JSON.parse(text) as unknown;
  }

  #env(): NodeJS.ProcessEnv {
    const o = this.#opts;
    // A developer's shell may export RESTATE_* (e.g. RESTATE_ADMIN_URL for the CLI); none of it
    // should reconfigure a test server.
    const inherited = Object.entries(process.env).filter(([key]) => !key.startsWith("RESTATE_"));
    const optional: Record<string, string | undefined> = {
      RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT: o.inactivityTimeout,
      RESTATE_WORKER__INVOKER__ABORT_TIMEOUT: o.abortTimeout,
      RESTATE_EXPERIMENTAL_ENABLE_PROTOCOL_V7: o.enableProtocolV7 ? "true" : undefined,
    };
    return {
      ...Object.fromEntries(inherited),
      RESTATE_LOG_FILTER: o.logFilter,
      RESTATE_LOG_FORMAT: "compact",
      RESTATE_LOG_DISABLE_ANSI_CODES: "true",
      RESTATE_DISABLE_TELEMETRY: "true",
      RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL: o.retryInitialInterval,
      RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL: o.retryMaxInterval,
      ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
      ...o.env,
      // Set last: the launcher's URLs and cleanup depend on these, whatever `env` says.
      RESTATE_BASE_DIR: this.dataDir,
      // tcp only: the default mode also opens unix sockets.
      RESTATE_LISTEN_MODE: "tcp",
      RESTATE_BIND_IP: "127.0.0.1",
      RESTATE_INGRESS__BIND_PORT: String(this.ports.ingress),
      RESTATE_ADMIN__BIND_PORT: String(this.ports.admin),
      RESTATE_BIND_PORT: String(this.ports.fabric),
    };
  }

  #capture(child: ChildProcess): void {
    let partial = "";
    const onData = (chunk: Buffer): void => {
      this.#logFile?.write(chunk);
      const lines = (partial + chunk.toString("utf8")).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) this.#record(line);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
  }

  #record(line: string): void {
    this.#tail.push(line);
    if (this.#tail.length > LOG_TAIL_LINES) this.#tail.shift();
  }
}

/** Servers still running, with the temp dirs to remove if this process exits first. */
const running = new Map<ChildProcess, readonly string[]>();
let isReaperInstalled = false;

function reap(): void {
  for (const [child, dirs] of running) {
    child.kill("SIGKILL");
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
  running.clear();
}

/** Makes sure no server outlives this process, however it ends (short of SIGKILL). */
function installReaper(): void {
  if (isReaperInstalled) return;
  isReaperInstalled = true;
  process.on("exit", reap);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = (): void => {
      reap();
      // Listening to a signal disables Node's default "die"; restore it when nobody else (e.g. a
      // test runner) has claimed the signal.
      if (process.listenerCount(signal) === 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

/**
 * Path of a binary from a `@restatedev/<pkg>-<platform>-<arch>` package. `RESTATE_SERVER_BIN` /
 * `RESTATE_CLI_BIN` override it on platforms without a published package.
 */
function resolveBinary(pkg: "restate-server" | "restate", bin: string): string {
  const overrideVar = pkg === "restate" ? "RESTATE_CLI_BIN" : "RESTATE_SERVER_BIN";
  const override = process.env[overrideVar];
  if (override !== undefined && override !== "") return override;
  const name = `@restatedev/${pkg}-${process.platform}-${process.arch}`;
  const exe = process.platform === "win32" ? `${bin}.exe` : bin;
  try {
    const manifest = createRequire(import.meta.url).resolve(`${name}/package.json`);
    return path.join(path.dirname(manifest), "bin", exe);
  } catch (cause) {
    throw new Error(
      `${name} is not installed, so there is no ${bin} binary for this platform; ` +
        `install @restatedev/${pkg} with npm on a supported platform, or set ${overrideVar}`,
      { cause },
    );
  }
}

async function pickPorts(fixed: Partial<RestateServerPorts>): Promise<RestateServerPorts> {
  // Hold all probe sockets open together so the three picks are distinct.
  const probes = await Promise.all([0, 1, 2].map(() => listenLoopback()));
  const [ingress = 0, admin = 0, fabric = 0] = probes.map(
    (probe) => (probe.address() as net.AddressInfo).port,
  );
  await Promise.all(probes.map((probe) => new Promise((resolve) => probe.close(resolve))));
  return {
    ingress: fixed.ingress ?? ingress,
    admin: fixed.admin ?? admin,
    fabric: fixed.fabric ?? fabric,
  };
}

function isFixed(ports: Partial<RestateServerPorts>): boolean {
  return ports.ingress !== undefined && ports.admin !== undefined && ports.fabric !== undefined;
}

function listenLoopback(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => resolve(probe));
  });
}

/** A loopback port that was free a moment ago (another process may still take it). */
export async function freePort(): Promise<number> {
  return (await pickPorts({})).ingress;
}

/**
 * Polls `predicate` until it returns true; a throwing predicate counts as false.
 *
 * @example
 * await waitFor(async () => (await server.query(sql)).length > 0, { message: "row appears" });
 * @throws Error naming `message` (and the predicate's last error) after `timeoutMs`.
 */
export async function waitFor(
  predicate: () => Promise<boolean>,
  opts: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<void> {
  const { timeoutMs = 10_000, intervalMs = 100, message = "condition" } = opts;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await predicate()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}${detail}`, {
        cause: lastError,
      });
    }
    await delay(intervalMs);
  }
}

/**
 * Runs the real `restate` CLI against `server`, never interactively: `--yes` answers prompts and
 * stdin is closed. It runs in an empty temp dir with its own config home, so neither the user's
 * `~/.config/restate` nor a project `.env` can point it elsewhere.
 *
 * @example
 * const { code, stdout } = await restateCli(server, ["invocations", "cancel", "Greeter"]);
 */
export async function restateCli(
  server: Pick<RestateServer, "adminUrl" | "ingressUrl">,
  args: readonly string[],
  opts: { timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), "restate-hono-cli-"));
  try {
    const child = spawn(resolveBinary("restate", "restate"), ["--yes", ...args], {
      cwd: home,
      env: {
        ...process.env,
        RESTATE_ADMIN_URL: server.adminUrl,
        RESTATE_INGRESS_URL: server.ingressUrl,
        RESTATE_CLI_CONFIG_HOME: home,
        NO_COLOR: "1",
        TERM: "dumb",
      },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: opts.timeoutMs ?? 30_000,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", resolve);
    });
    return { code, stdout, stderr };
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
}

async function emptyDir(dir: string): Promise<void> {
  for (const entry of await fs.readdir(dir)) {
    await fs.rm(path.join(dir, entry), { recursive: true, force: true });
  }
}

async function isOk(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
