// SPDX-License-Identifier: MIT
// Helpers and services for features.test.ts: a server to which tests register endpoints of their
// own making (custom logger, mounted app, fetch handler, V5 only), and the services they serve.
import { z } from "zod";
import {
  type Context,
  type Logger,
  type ObjectContext,
  type ObjectSharedContext,
  TerminalError,
  handlers,
  object,
  serde,
  service,
} from "../../src/index.js";
import {
  type DeploymentInfo,
  type RestateServer,
  type RestateServerOptions,
  startRestateServer,
} from "../../dev/restate-server.js";
import type { IngressReply } from "./support.js";
import { awakeableIds, countExecution } from "./services.js";

// ---- environment ---------------------------------------------------------------------------

/** A running server, with ingress/admin helpers; endpoints are registered by the tests. */
export interface ServerEnv {
  readonly server: RestateServer;
  /** POSTs to the ingress; JSON-encodes `body` unless it is bytes. */
  ingress(path: string, body?: unknown, headers?: Record<string, string>): Promise<IngressReply>;
  /** Raw ingress exchange, for binary bodies. */
  ingressRaw(path: string, init: RequestInit): Promise<Response>;
  admin(method: string, path: string, body?: unknown): Promise<IngressReply>;
  /** The `sys_invocation` row of an invocation. */
  invocation(id: string): Promise<Record<string, unknown> | undefined>;
  /** Registers an endpoint URL; `stop` is called on {@link ServerEnv.stop}, before the server. */
  register(
    url: string,
    opts: { http11: boolean; stop: () => Promise<void> },
  ): Promise<DeploymentInfo>;
  stop(): Promise<void>;
}

async function reply(response: Response): Promise<IngressReply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** Only digits, letters and `_` survive: ids go into SQL. */
export const sqlId = (id: string): string => id.replace(/[^A-Za-z0-9_]/g, "");

/** Starts a real server; endpoints come later through {@link ServerEnv.register}. */
export async function startServerEnv(
  options: Partial<RestateServerOptions> = {},
): Promise<ServerEnv> {
  const server = await startRestateServer(options);
  const stops: Array<() => Promise<void>> = [];
  return {
    server,
    async ingress(path, body, headers = {}) {
      const isRaw = body instanceof Uint8Array;
      return reply(
        await fetch(`${server.ingressUrl}${path}`, {
          method: "POST",
          headers: {
            ...(body !== undefined && !isRaw ? { "content-type": "application/json" } : {}),
            ...headers,
          },
          ...(body !== undefined ? { body: isRaw ? body : JSON.stringify(body) } : {}),
        }),
      );
    },
    ingressRaw: (path, init) => fetch(`${server.ingressUrl}${path}`, init),
    async admin(method, path, body) {
      return reply(
        await fetch(`${server.adminUrl}${path}`, {
          method,
          ...(body !== undefined
            ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } }
            : {}),
        }),
      );
    },
    async invocation(id) {
      const rows = await server.query(`SELECT * FROM sys_invocation WHERE id = '${sqlId(id)}'`);
      return rows[0];
    },
    async register(url, opts) {
      stops.push(opts.stop);
      return server.register(url, { http11: opts.http11 });
    },
    async stop() {
      for (const stop of stops.splice(0)) await stop().catch(() => undefined);
      await server.stop();
    },
  };
}

/** A logger that records every line (as text) and prints nothing. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (...args: unknown[]): void => {
      lines.push(
        `${level} ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ")}`,
      );
    };
  return {
    lines,
    trace: record("TRACE"),
    debug: record("DEBUG"),
    info: record("INFO"),
    warn: record("WARN"),
    error: record("ERROR"),
  };
}

// ---- services --------------------------------------------------------------------------------

/** What each attempt of `Features/deterministic` saw, by test key, in attempt order. */
export const drawsByKey = new Map<string, Draws[]>();
export interface Draws {
  readonly before: number;
  readonly uuid: string;
  readonly after: number;
  readonly now?: number;
}

function recordDraws(key: string, draws: Draws): void {
  const list = drawsByKey.get(key) ?? [];
  list.push(draws);
  drawsByKey.set(key, list);
}

const RETRY_THREE_TIMES = { maxRetryAttempts: 3, initialRetryInterval: 10 } as const;

export const features = service({
  name: "Features",
  handlers: {
    /** Sleeps `ms`; the handler body's executions are counted (one per attempt). */
    longSleep: async (ctx: Context, req: { key: string; ms: number }) => {
      countExecution(`${req.key}/attempt`);
      const started = await ctx.date.now();
      await ctx.sleep(req.ms);
      const ended = await ctx.date.now();
      return { started, ended };
    },
    /** A run that always throws: retried 3 times by its policy, then terminal. */
    runAlwaysFails: async (ctx: Context, key: string) => {
      try {
        await ctx.run(
          "always-fails",
          (): string => {
            throw new Error(`run failed (execution ${countExecution(`${key}/run`)})`);
          },
          RETRY_THREE_TIMES,
        );
        return "unreachable";
      } catch (e) {
        if (!(e instanceof TerminalError)) throw e;
        return { code: e.code, message: e.message };
      }
    },
    /** A run that fails twice, then succeeds on its third execution. */
    runFailsTwice: async (ctx: Context, key: string) =>
      ctx.run(
        "fails-twice",
        () => {
          const n = countExecution(`${key}/run`);
          if (n < 3) throw new Error(`run failed (execution ${n})`);
          return `succeeded on execution ${n}`;
        },
        RETRY_THREE_TIMES,
      ),
    /** A run that throws a terminal error: never retried. */
    runTerminal: async (ctx: Context, key: string) => {
      try {
        await ctx.run(
          "terminal",
          (): string => {
            countExecution(`${key}/run`);
            throw new TerminalError("do not retry me", { errorCode: 422 });
          },
          RETRY_THREE_TIMES,
        );
        return "unreachable";
      } catch (e) {
        if (!(e instanceof TerminalError)) throw e;
        return { code: e.code, message: e.message };
      }
    },
    /** Draws random values around a failure point that fails the first attempt reaching it. */
    deterministic: async (ctx: Context, key: string) => {
      const before = ctx.rand.random();
      const uuid = ctx.rand.uuidv4();
      const now = await ctx.date.now();
      const after = ctx.rand.random();
      recordDraws(key, { before, uuid, after, now });
      if (countExecution(`${key}/fail`) === 1) throw new Error("fail once after drawing");
      return { before, uuid, after, now };
    },
    /** Logs through ctx.console, then fails the first attempt after a journaled step. */
    logOnce: async (ctx: Context, key: string) => {
      countExecution(`${key}/attempt`);
      ctx.console.info(`log line of ${key}`);
      await ctx.run("step", () => "done");
      if (countExecution(`${key}/fail`) === 1) throw new Error("retry after logging");
      return "logged";
    },
  },
});

export const lazyCounter = object({
  name: "LazyCounter",
  options: { enableLazyState: true, journalRetention: { hours: 1 } },
  handlers: {
    add: async (ctx: ObjectContext, n: number) => {
      const next = ((await ctx.get<number>("count")) ?? 0) + n;
      ctx.set("count", next);
      ctx.set(`seen-${next}`, true);
      return next;
    },
    get: handlers.object.shared(
      async (ctx: ObjectSharedContext) => (await ctx.get<number>("count")) ?? null,
    ),
    keys: handlers.object.shared(async (ctx: ObjectSharedContext) => ctx.stateKeys()),
    clearSeen: async (ctx: ObjectContext) => {
      for (const key of await ctx.stateKeys()) if (key.startsWith("seen-")) ctx.clear(key);
      return ctx.stateKeys();
    },
  },
});

/** The zod schema of `Codecs/person`, whose JSON schema the admin API should show. */
export const Person = z.object({ name: z.string(), age: z.number().int().nonnegative() });

export const codecs = service({
  name: "Codecs",
  description: "Serdes end to end",
  metadata: { team: "sdk" },
  options: {
    inactivityTimeout: { seconds: 30 },
    abortTimeout: { minutes: 2 },
    idempotencyRetention: { hours: 2 },
    journalRetention: { minutes: 30 },
    retryPolicy: { initialInterval: 250, maxAttempts: 7, onMaxAttempts: "kill" },
  },
  handlers: {
    reverseBytes: handlers.handler(
      { input: serde.binary, output: serde.binary },
      async (_ctx: Context, bytes: Uint8Array) => bytes.slice().reverse(),
    ),
    msgpackEcho: handlers.handler(
      { input: serde.msgpack, output: serde.msgpack },
      async (_ctx: Context, v: { n: number; s: string; raw: Uint8Array }) => ({
        n: v.n + 1,
        s: v.s.toUpperCase(),
        raw: v.raw.slice().reverse(),
      }),
    ),
    person: handlers.handler(
      {
        input: serde.schema(Person),
        output: serde.schema(z.string()),
        description: "Describes a person",
      },
      async (_ctx: Context, p: z.infer<typeof Person>) => `${p.name} is ${p.age}`,
    ),
    internal: handlers.handler(
      { ingressPrivate: true, inactivityTimeout: { seconds: 5 } },
      async (_ctx: Context) => "only from handlers",
    ),
  },
});

/** Served mounted under `/restate` in a user's Hono app. */
export const mountedGreeter = service({
  name: "MountedGreeter",
  handlers: {
    greet: async (ctx: Context, name: string) => {
      await ctx.sleep(100);
      return `Hello ${name}, from a mounted app!`;
    },
  },
});

/** Served by a plain fetch handler over HTTP/1.1 (request/response). */
export const fetchSteps = service({
  name: "FetchSteps",
  handlers: {
    sleepThenRun: async (ctx: Context, key: string) => {
      countExecution(`${key}/attempt`);
      await ctx.sleep(200);
      return ctx.run("step", () => `run executed ${countExecution(`${key}/run`)} time(s)`);
    },
  },
});

/** Served by an endpoint that only speaks protocol V5. */
export const v5Steps = service({
  name: "V5Steps",
  handlers: {
    randAwakeableSleep: async (ctx: Context, key: string) => {
      const random = ctx.rand.random();
      const { id, promise } = ctx.awakeable<string>();
      await ctx.run("publish", () => awakeableIds.set(key, id));
      await ctx.sleep(100);
      const value = await promise;
      return { random, awakeableId: id, value, invocationId: ctx.request().id };
    },
  },
});
