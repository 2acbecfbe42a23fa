// SPDX-License-Identifier: MIT
// Services for invocations.test.ts: invocation management (ingress, idempotency, attach, send,
// cancel, kill, signals) from outside and from inside handlers. Side effects that tests count run
// inside `ctx.run`, so a replay (HTTP/1.1 resumes by replaying) does not count them twice.
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
import { countExecution } from "./services.js";

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
