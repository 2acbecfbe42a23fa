// SPDX-License-Identifier: MIT
// The services of the e2e tests beyond the shared scenarios (whose services are in
// test/scenarios/services.ts): invocation management (invocations.test.ts), the ingress and admin
// clients (clients.test.ts) and features (features.test.ts). One file on purpose, so a service is
// never written twice; it is long because it is a catalogue, not logic. Side effects the tests
// count run inside `ctx.run` (a replay does not count them twice) and are counted in the shared
// `executions` map.
import { z } from "zod";
import {
  type Context,
  type InvocationTarget,
  type ObjectContext,
  type ObjectSharedContext,
  type WorkflowContext,
  type WorkflowSharedContext,
  TerminalError,
  handlers,
  object,
  rpc,
  serde,
  service,
  workflow,
} from "../../src/index.js";
import { countExecution } from "../scenarios/services.js";

export { countExecution, executions } from "../scenarios/services.js";

// ---- invocation management -------------------------------------------------------------------

/** Values handlers publish for the tests (awakeable ids, "running" markers), by test key. */
export const published = new Map<string, string>();

/** What a handler saw when its await failed (name, code, message), by test key. */
export const observedErrors = new Map<string, { name: string; code: number; message: string }>();

function describeError(e: TerminalError): { name: string; code: number; message: string } {
  return { name: e.name, code: e.code, message: e.message };
}

/** An append-only log per key: the target of the compensations' one-way sends. */
export const audit = object({
  name: "Audit",
  handlers: {
    record: async (ctx: ObjectContext, entry: string) => {
      await ctx.run("count", () => countExecution(`${ctx.key}/audit/${entry}`));
      ctx.set("log", [...((await ctx.get<string[]>("log")) ?? []), entry]);
    },
    log: handlers.object.shared(
      async (ctx: ObjectSharedContext) => (await ctx.get<string[]>("log")) ?? [],
    ),
  },
});

export const target = service({
  name: "Target",
  handlers: {
    /** Counts one execution of `key`; the nonce differs per invocation, so replies tell them apart. */
    once: async (ctx: Context, key: string) => {
      const n = await ctx.run("count", () => countExecution(key));
      return { key, n, nonce: ctx.rand.uuidv4() };
    },
    /** When the handler ran, in ms since epoch. */
    stamp: async (ctx: Context, key: string) =>
      ctx.run("stamp", () => {
        countExecution(key);
        return Date.now();
      }),
    fail: async (ctx: Context, key: string) => {
      await ctx.run("count", () => countExecution(key));
      throw new TerminalError(`failed ${key}`, { errorCode: 418 });
    },
    headers: async (ctx: Context) => Object.fromEntries(ctx.request().headers),
    /** Counts, publishes an awakeable under `key`, and returns what it is resolved with. */
    awaitAwakeable: async (ctx: Context, key: string) => {
      const n = await ctx.run("count", () => countExecution(key));
      const { id, promise } = ctx.awakeable<string>();
      await ctx.run("publish", () => void published.set(key, id));
      return { n, value: await promise };
    },
    /** Sleeps for a minute unless cancelled; a cancellation runs one counted compensation. */
    hold: async (ctx: Context, key: string) => {
      await ctx.run("started", () => countExecution(`${key}/started`));
      try {
        await ctx.sleep(60_000);
      } catch (e) {
        if (!(e instanceof TerminalError)) throw e;
        await ctx.run("compensate", () => {
          countExecution(`${key}/compensation`);
          observedErrors.set(key, describeError(e));
        });
        throw e;
      }
    },
    waitSignal: async (ctx: Context, name: string) => `got ${await ctx.signal<string>(name)}`,
    /** A side effect that only ends when its abort signal fires. */
    runUntilAborted: async (ctx: Context, key: string) =>
      ctx.run(
        "wait",
        ({ signal }) =>
          new Promise<string>((resolve) => {
            countExecution(key);
            published.set(key, "running");
            signal.addEventListener(
              "abort",
              () => {
                const reason: unknown = signal.reason;
                published.set(key, reason instanceof Error ? reason.name : String(reason));
                resolve("aborted");
              },
              { once: true },
            );
          }),
      ),
  },
});

/** A virtual object whose `block` waits until it is cancelled, then compensates. */
export const ledger = object({
  name: "Ledger",
  handlers: {
    stamp: async (ctx: ObjectContext, key: string) => {
      const at = await ctx.run("stamp", () => {
        countExecution(key);
        return Date.now();
      });
      ctx.set("stampedAt", at);
      return at;
    },
    once: async (ctx: ObjectContext, key: string) => {
      const n = await ctx.run("count", () => countExecution(key));
      return { key, n, nonce: ctx.rand.uuidv4() };
    },
    /** Takes no input: when it ran, in ms since epoch; counted under `<key>/touch`. */
    touch: async (ctx: ObjectContext) =>
      ctx.run("touch", () => {
        countExecution(`${ctx.key}/touch`);
        return Date.now();
      }),
    /**
     * Blocks in a 60 s sleep or on an awakeable nobody resolves. On a terminal failure of that
     * await (a cancellation) it compensates once: a state change, a side effect and a one-way send.
     */
    block: async (ctx: ObjectContext, how: "sleep" | "awakeable") => {
      await ctx.run("started", () => countExecution(`${ctx.key}/started`));
      try {
        if (how === "sleep") await ctx.sleep(60_000);
        else await ctx.awakeable<string>().promise;
        return "finished";
      } catch (e) {
        if (!(e instanceof TerminalError)) throw e;
        ctx.set("status", `compensated after ${e.code}`);
        await ctx.run("compensate", () => {
          countExecution(`${ctx.key}/compensation`);
          observedErrors.set(ctx.key, describeError(e));
        });
        ctx.objectSendClient(audit, ctx.key).record("compensated");
        throw e;
      }
    },
    status: handlers.object.shared(async (ctx: ObjectSharedContext) => ctx.get<string>("status")),
  },
});

/** A workflow that waits for its `go` promise. */
export const flow = workflow({
  name: "Flow",
  handlers: {
    run: async (ctx: WorkflowContext, input: string) => {
      await ctx.run("count", () => countExecution(`${ctx.key}/run`));
      return `${input} ${await ctx.promise<string>("go")}`;
    },
    go: handlers.workflow.shared(async (ctx: WorkflowSharedContext, value: string) =>
      ctx.promise<string>("go").resolve(value),
    ),
  },
});

/** Manages other invocations from inside a handler. */
export const caller = service({
  name: "Caller",
  handlers: {
    /** Two delayed sends with the same idempotency key: one invocation, one id. */
    sendTwice: async (ctx: Context, req: { key: string; delayMs: number }) => {
      const sentAt = await ctx.date.now();
      const send = () =>
        ctx
          .serviceSendClient(target)
          .stamp(req.key, rpc.sendOpts({ idempotencyKey: req.key, delay: req.delayMs }));
      const first = send();
      const second = send();
      return { sentAt, ids: [await first.invocationId, await second.invocationId] };
    },
    /** Sends to an object and reports the handle's id, to compare with the admin API. */
    sendToObject: async (ctx: Context, key: string) =>
      ctx.objectSendClient(ledger, key).once(key).invocationId,
    sendAndAttach: async (ctx: Context, key: string) => {
      const id = await ctx.serviceSendClient(target).once(key).invocationId;
      return { id, result: await ctx.attach(id) };
    },
    attachFailed: async (ctx: Context, key: string) => {
      const id = await ctx.serviceSendClient(target).fail(key).invocationId;
      try {
        await ctx.invocation(id).attach();
        return { id, error: null };
      } catch (e) {
        if (!(e instanceof TerminalError)) throw e;
        return { id, error: describeError(e) };
      }
    },
    output: async (ctx: Context, id: string) => ctx.invocation(id).output(),
    attach: async (ctx: Context, to: InvocationTarget) => ctx.attach(to),
    outputOf: async (ctx: Context, to: InvocationTarget) => ctx.output(to),
    /**
     * Options in the place of a missing input, the official way: two calls of a no-input handler
     * with the same idempotency key and a header, and a delayed send to a no-input object handler.
     */
    optsInInputPlace: async (ctx: Context, req: { key: string; delayMs: number }) => {
      const sentAt = await ctx.date.now();
      const call = () =>
        ctx
          .serviceClient(target)
          .headers(rpc.opts({ idempotencyKey: req.key, headers: { "x-booking": req.key } }));
      const first = call();
      const second = call();
      const sent = ctx
        .objectSendClient(ledger, req.key)
        .touch(rpc.sendOpts({ delay: { milliseconds: req.delayMs } }));
      return {
        sentAt,
        headers: [await first, await second],
        ids: [await first.invocationId, await second.invocationId],
        sentId: await sent.invocationId,
      };
    },
    /** Two calls with the same idempotency key and custom headers. */
    callWithOptions: async (
      ctx: Context,
      req: { key: string; headers: Record<string, string> },
    ) => {
      const first = ctx
        .serviceClient(target)
        .headers(undefined, rpc.opts({ idempotencyKey: req.key, headers: req.headers }));
      const headers = await first;
      const second = ctx.serviceClient(target).once(req.key, rpc.opts({ idempotencyKey: req.key }));
      const again = ctx.serviceClient(target).once(req.key, rpc.opts({ idempotencyKey: req.key }));
      return {
        headers,
        headersId: await first.invocationId,
        once: [await second, await again],
        onceIds: [await second.invocationId, await again.invocationId],
      };
    },
    generic: async (ctx: Context, key: string) => {
      const call = ctx.genericCall<string, { key: string; n: number }>({
        service: "Target",
        method: "once",
        parameter: key,
        inputSerde: serde.json,
        outputSerde: serde.json,
      });
      const send = ctx.genericSend<string>({
        service: "Ledger",
        key,
        method: "stamp",
        parameter: `${key}/sent`,
        inputSerde: serde.json,
      });
      return {
        called: await call,
        callId: await call.invocationId,
        sentId: await send.invocationId,
      };
    },
    cancel: async (ctx: Context, id: string) => ctx.cancel(id),
    signal: async (ctx: Context, req: { id: string; name: string; value: string }) =>
      ctx.invocation(req.id).signal<string>(req.name).resolve(req.value),
    /** Awaits a call to `Ledger/block` and records how it failed, then fails the same way. */
    awaitBlock: async (ctx: Context, req: { key: string; how: "sleep" | "awakeable" }) => {
      try {
        return await ctx.objectClient(ledger, req.key).block(req.how);
      } catch (e) {
        if (!(e instanceof TerminalError)) throw e;
        await ctx.run(
          "record",
          () => void observedErrors.set(`${req.key}/caller`, describeError(e)),
        );
        throw e;
      }
    },
  },
});

export const INVOCATION_SERVICES = [audit, target, ledger, flow, caller] as const;

// ---- ingress and admin clients ---------------------------------------------------------------

export const Order = z.object({ sku: z.string(), qty: z.number().int().positive() });

export const clientGreeter = service({
  name: "ClientGreeter",
  handlers: {
    greet: async (_ctx: Context, name: string) => `Hello ${name}!`,
    ping: async (ctx: Context) => `pong ${ctx.request().headers.get("x-test") ?? "-"}`,
    fail: async (_ctx: Context, req: { code: number; message: string }) => {
      throw new TerminalError(req.message, { errorCode: req.code, metadata: { by: "handler" } });
    },
    reverse: handlers.handler(
      { input: serde.binary, output: serde.binary },
      async (_ctx: Context, data: Uint8Array): Promise<Uint8Array> => data.slice().reverse(),
    ),
    bump: handlers.handler(
      { input: serde.msgpack, output: serde.msgpack },
      async (_ctx: Context, v: { data: Uint8Array; n: number }) => ({ data: v.data, n: v.n + 1 }),
    ),
    order: handlers.handler(
      { input: serde.schema(Order) },
      async (_ctx: Context, o: z.infer<typeof Order>) => `${o.qty} x ${o.sku}`,
    ),
    /** Counts one journaled step, then sleeps `ms`, so a restart mid-call shows re-execution. */
    counted: async (ctx: Context, req: { key: string; ms: number }) => {
      await ctx.run("count", () => countExecution(req.key));
      if (req.ms > 0) await ctx.sleep(req.ms);
      return `done ${req.key}`;
    },
    waitForAwakeable: async (ctx: Context, key: string) => {
      const { id, promise } = ctx.awakeable<string>();
      await ctx.run("publish", () => void published.set(key, id));
      return promise;
    },
    /** Never finishes on its own: for cancel and kill. */
    block: async (ctx: Context, _key: string) => {
      await ctx.awakeable<string>().promise;
    },
    /** Fails every attempt with a retryable error: for retry counts, pause, resume and kill. */
    flaky: async (_ctx: Context, _key: string) => {
      throw new Error("always failing");
    },
  },
});

export const clientCounter = object({
  name: "ClientCounter",
  handlers: {
    add: async (ctx: ObjectContext, n: number) => {
      const next = ((await ctx.get<number>("count")) ?? 0) + n;
      ctx.set("count", next);
      return next;
    },
    get: handlers.object.shared(
      async (ctx: ObjectSharedContext) => (await ctx.get<number>("count")) ?? 0,
    ),
    block: async (ctx: ObjectContext) => {
      await ctx.awakeable<string>().promise;
    },
  },
});

export const clientSignup = workflow({
  name: "ClientSignup",
  handlers: {
    run: async (ctx: WorkflowContext, email: string) => {
      const code = await ctx.promise<string>("code");
      return { email, code };
    },
    confirm: handlers.workflow.shared(async (ctx: WorkflowSharedContext, code: string) => {
      await ctx.promise<string>("code").resolve(code);
    }),
  },
});

export const CLIENT_SERVICES = [clientGreeter, clientCounter, clientSignup] as const;

export type ClientGreeter = typeof clientGreeter;
export type ClientCounter = typeof clientCounter;
export type ClientSignup = typeof clientSignup;

// ---- features --------------------------------------------------------------------------------

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
      await ctx.run("publish", () => published.set(key, id));
      await ctx.sleep(100);
      const value = await promise;
      return { random, awakeableId: id, value, invocationId: ctx.request().id };
    },
  },
});
