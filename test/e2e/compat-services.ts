// SPDX-License-Identifier: MIT
/**
 * Services for the compatibility side-by-side tests, written once against the API both SDKs share
 * and instantiated with either SDK's module namespace: a `.map()` mapper that throws, `ctx.sleep`
 * with odd durations, failures the SDK reports with a related command (a failing run, a value that
 * cannot be read or written), `ctx.rand`, `ctx.attach`, and a workflow's durable promises.
 */

/** A definition value: opaque here, only served and called. */
export interface CompatDefinition {
  readonly name: string;
}

/** What a `RestatePromise` is to both SDKs, as far as the handlers use it. */
interface CompatPromise<T> extends PromiseLike<T> {
  map<U>(mapper: (value?: T, failure?: Error) => U): CompatPromise<U>;
  orTimeout(duration: unknown): CompatPromise<T>;
}

/** A durable promise of a workflow. */
interface CompatDurablePromise extends PromiseLike<unknown> {
  get(): PromiseLike<unknown>;
  peek(): PromiseLike<unknown>;
  resolve(value?: unknown): PromiseLike<void>;
  reject(reason: string): PromiseLike<void>;
}

/** A serde, as both SDKs read one. */
interface CompatSerde {
  readonly contentType?: string;
  serialize(value: unknown): Uint8Array;
  deserialize(data: Uint8Array): unknown;
}

/** The context operations the handlers use (both SDKs' contexts have them). */
export interface CompatContext {
  readonly key: string;
  readonly rand: { random(): number; uuidv4(): string };
  run<T>(
    name: string,
    action: () => Promise<T>,
    options?: { serde?: CompatSerde; maxRetryAttempts?: number; initialRetryInterval?: number },
  ): CompatPromise<T>;
  sleep(duration: unknown): CompatPromise<void>;
  set(name: string, value: unknown, serde?: CompatSerde): void;
  get(name: string, serde?: CompatSerde): PromiseLike<unknown>;
  attach(invocationId: string): CompatPromise<unknown>;
  request(): { readonly id: string; readonly headers: ReadonlyMap<string, string> };
  serviceSendClient(
    def: CompatDefinition,
  ): Record<string, (...args: unknown[]) => { readonly invocationId: PromiseLike<string> }>;
  promise(name: string): CompatDurablePromise;
  awakeable(): { readonly id: string; readonly promise: PromiseLike<unknown> };
  resolveAwakeable(id: string, value?: unknown, serde?: CompatSerde): void;
  genericSend(send: { service: string; method: string; parameter: Uint8Array; delay?: unknown }): {
    readonly invocationId: PromiseLike<string>;
  };
}

/**
 * The part of an SDK module namespace the services use. Method syntax on purpose (bivariant
 * parameters), so each SDK's stricter typing is accepted without casts.
 */
export interface CompatSdk {
  service(init: { name: string; handlers: object }): CompatDefinition;
  object(init: { name: string; handlers: object }): CompatDefinition;
  workflow(init: { name: string; handlers: object }): CompatDefinition;
  readonly handlers: {
    readonly workflow: {
      shared(opts: object, fn: (ctx: CompatContext, input: never) => Promise<unknown>): unknown;
    };
  };
  readonly TerminalError: new (message: string, options?: { errorCode?: number }) => Error;
}

/** How an error looks in an answer: the same text on both SDKs when they behave the same. */
export function describe(e: unknown): string {
  if (!(e instanceof Error)) return `non-error ${String(e)}`;
  const code = (e as { code?: number }).code;
  return `${e.name}${code === undefined ? "" : ` ${code}`}: ${e.message}`;
}

/** Runs `body`; its value, or the error it threw described. */
async function outcome(body: () => PromiseLike<unknown>): Promise<unknown> {
  try {
    return { value: await body() };
  } catch (e) {
    return { caught: describe(e) };
  }
}

/** The durations `sleep` is given by name: JSON cannot carry all of them. */
export const SLEEP_DURATIONS: Readonly<Record<string, unknown>> = {
  zero: 0,
  fraction: 1.7,
  negative: -1,
  nan: Number.NaN,
  infinity: Number.POSITIVE_INFINITY,
  undefined: undefined,
  objectNegative: { milliseconds: -1 },
  objectMixed: { seconds: 1, milliseconds: -1500 },
  objectZero: { seconds: 0 },
};

const unreadable: CompatSerde = {
  serialize: (value) => new TextEncoder().encode(JSON.stringify(value)),
  deserialize: () => {
    throw new Error("this serde cannot read");
  },
};

const unwritable: CompatSerde = {
  serialize: () => {
    throw new Error("this serde cannot write");
  },
  deserialize: (data) => JSON.parse(new TextDecoder().decode(data)) as unknown,
};

/**
 * `${prefix}Compat` (a service), `${prefix}CompatObj` (an object), `${prefix}Target` (the callee of
 * attach) and `${prefix}Flow` (a workflow with shared handlers).
 */
export function defineCompatServices(sdk: CompatSdk, prefix: string): CompatDefinition[] {
  const target = sdk.service({
    name: `${prefix}Target`,
    handlers: {
      ok: async (_ctx: CompatContext, input: unknown) => ({ echoed: input }),
      fail: async () => {
        throw new sdk.TerminalError("target failed", { errorCode: 418 });
      },
    },
  });
  const compat = sdk.service({
    name: `${prefix}Compat`,
    handlers: {
      mapperThrows: async (ctx: CompatContext) =>
        outcome(() =>
          ctx
            .run("one", async () => 1)
            .map(() => {
              throw new Error("mapper boom");
            }),
        ),
      mapperThrowsTerminal: async (ctx: CompatContext) =>
        outcome(() =>
          ctx
            .run("one", async () => 1)
            .map(() => {
              throw new sdk.TerminalError("mapper refused", { errorCode: 422 });
            }),
        ),
      mapperSeesFailure: async (ctx: CompatContext) =>
        outcome(() =>
          ctx
            .run("fails", async () => {
              throw new sdk.TerminalError("run refused", { errorCode: 409 });
            })
            .map((value, failure) => ({ value, failure: describe(failure) })),
        ),
      sleep: async (ctx: CompatContext, name: string) =>
        outcome(() => ctx.sleep(SLEEP_DURATIONS[name])),
      timeout: async (ctx: CompatContext, name: string) =>
        outcome(() => ctx.run("quick", async () => "done").orTimeout(SLEEP_DURATIONS[name])),
      sendDelayed: async (ctx: CompatContext, name: string) =>
        ctx.genericSend({
          service: `${prefix}Target`,
          method: "ok",
          parameter: new TextEncoder().encode(JSON.stringify(name)),
          delay: SLEEP_DURATIONS[name],
        }).invocationId,
      runExhausted: async (ctx: CompatContext) =>
        outcome(() =>
          ctx.run(
            "flaky",
            async () => {
              throw new TypeError("still failing");
            },
            { maxRetryAttempts: 2, initialRetryInterval: 1 },
          ),
        ),
      awakeableNoValue: async (ctx: CompatContext) => {
        const a = ctx.awakeable();
        ctx.resolveAwakeable(a.id);
        return outcome(() => a.promise);
      },
      awakeableNoValueSerde: async (ctx: CompatContext) => {
        const a = ctx.awakeable();
        ctx.resolveAwakeable(a.id, undefined, unwritable);
        return outcome(() => a.promise);
      },
      runFails: async (ctx: CompatContext) => {
        await ctx.run("first", async () => 1);
        return ctx.run("flaky", async () => {
          throw new Error("run boom");
        });
      },
      afterAwait: async (ctx: CompatContext) => {
        await ctx.run("first", async () => 1);
        await ctx.sleep(1);
        throw new Error("handler boom");
      },
      unreadableRun: async (ctx: CompatContext) =>
        outcome(() => ctx.run("bad", async () => "x", { serde: unreadable })),
      unwritableRun: async (ctx: CompatContext) =>
        outcome(() => ctx.run("bad", async () => "x", { serde: unwritable })),
      rand: async (ctx: CompatContext) => ({
        id: ctx.request().id,
        random: [ctx.rand.random(), ctx.rand.random()],
        uuid: ctx.rand.uuidv4(),
      }),
      attachOk: async (ctx: CompatContext) => {
        const id = await ctx.serviceSendClient(target).ok!("hi").invocationId;
        return outcome(() => ctx.attach(id));
      },
      attachFailed: async (ctx: CompatContext) => {
        const id = await ctx.serviceSendClient(target).fail!().invocationId;
        return outcome(() => ctx.attach(id));
      },
      headers: async (ctx: CompatContext) =>
        [...ctx.request().headers]
          .filter(([name]) =>
            /^(x-tenant|content-type|idempotency-key|x-restate-limit-key)$/.test(name),
          )
          .sort(),
      attachUnknown: async (ctx: CompatContext, id: string) => outcome(() => ctx.attach(id)),
    },
  });
  const obj = sdk.object({
    name: `${prefix}CompatObj`,
    handlers: {
      unwritableState: async (ctx: CompatContext) =>
        outcome(async () => {
          ctx.set("k", "v", unwritable);
          return "set";
        }),
      unreadableState: async (ctx: CompatContext) => {
        ctx.set("k", "v");
        return outcome(() => ctx.get("k", unreadable));
      },
    },
  });
  const flow = sdk.workflow({
    name: `${prefix}Flow`,
    handlers: {
      run: async (ctx: CompatContext) => {
        const p = ctx.promise("p");
        return [
          await outcome(() => p.peek()),
          await outcome(() => p.resolve("first")),
          await outcome(() => p.resolve("second")),
          await outcome(() => p.reject("late")),
          await outcome(() => p.peek()),
          await outcome(() => p.get()),
          await outcome(() => p),
          await outcome(() => ctx.promise("r").reject("refused")),
          await outcome(() => ctx.promise("r").get()),
          await outcome(() => ctx.promise("r").peek()),
          await outcome(() => ctx.promise("q").get()),
        ];
      },
      resolveQ: sdk.handlers.workflow.shared({}, async (ctx: CompatContext, value: unknown) =>
        outcome(() => ctx.promise("q").resolve(value)),
      ),
      peekQ: sdk.handlers.workflow.shared({}, async (ctx: CompatContext) =>
        outcome(() => ctx.promise("q").peek()),
      ),
    },
  });
  return [target, compat, obj, flow];
}
