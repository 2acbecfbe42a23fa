// SPDX-License-Identifier: MIT
/**
 * Services for the side-by-side behaviour tests, written once against the API both SDKs share and
 * instantiated with either SDK's module namespace: default serdes (service, handler, endpoint),
 * the logger transport's metadata across a replay, options objects in the input's place, a send
 * delayed by a `Duration`, `asTerminalError`, and `ctx.request().extraArgs`.
 */

/** A definition value: opaque here, only served and called. */
export interface DiffDefinition {
  readonly name: string;
}

/** A typed client, seen from here: any handler, any arguments. */
type AnyClient = Record<string, (...args: unknown[]) => PromiseLike<unknown>>;

/** The context operations the handlers use (both SDKs' contexts have them). */
export interface DiffContext {
  readonly console: Console;
  run<T>(name: string, action: () => Promise<T>): PromiseLike<T>;
  get(name: string, serde?: unknown): PromiseLike<unknown>;
  set(name: string, value: unknown): void;
  request(): { readonly id: string; readonly extraArgs: readonly unknown[] };
  serviceClient(def: DiffDefinition): AnyClient;
  objectClient(def: DiffDefinition, key: string): AnyClient;
  objectSendClient(
    def: DiffDefinition,
    key: string,
  ): Record<string, (...args: unknown[]) => { readonly invocationId: PromiseLike<string> }>;
}

/** What the handlers built with `handlers.handler` use. */
type RunContext = Pick<DiffContext, "run">;
type Handler = (ctx: RunContext, input?: unknown) => Promise<unknown>;

/** What a `Serde` is to both SDKs. */
export interface DiffSerde {
  readonly contentType?: string;
  serialize(value: unknown): Uint8Array;
  deserialize(data: Uint8Array): unknown;
}

/**
 * The part of an SDK module namespace the services use. Method syntax on purpose (bivariant
 * parameters), so each SDK's stricter typing is accepted without casts.
 */
export interface DiffSdk {
  service(init: { name: string; handlers: object; options?: object }): DiffDefinition;
  object(init: { name: string; handlers: object; options?: object }): DiffDefinition;
  readonly handlers: {
    handler(opts: object, fn: (ctx: RunContext, input: never) => Promise<unknown>): unknown;
  };
  readonly rpc: { opts(opts: object): unknown; sendOpts(opts: object): unknown };
  readonly serde: { readonly binary: DiffSerde };
  readonly TerminalError: new (message: string, options?: { errorCode?: number }) => Error;
}

const text = new TextDecoder();

/**
 * A serde that shows who used it: it writes `tag:` before the JSON of the value, and reads any
 * bytes into `{ by: tag, text }`. Its content type names the tag too.
 */
export function taggedSerde(tag: string): DiffSerde {
  return {
    contentType: `application/x-${tag}`,
    serialize: (value) => new TextEncoder().encode(`${tag}:${JSON.stringify(value ?? null)}`),
    deserialize: (data) => ({ by: tag, text: text.decode(data) }),
  };
}

/** The serdes of the serde services: service `A`, handler `B`, endpoint default `C`. */
export const SERDE_TAGS = { service: "a", handler: "b", endpoint: "c" } as const;

/**
 * Services whose answers show which serde read the input, wrote the output, the state and a run's
 * result, and what a call sends: `${prefix}SerdeSvc` (service serde `a`, one handler with its own
 * `b`, one with an explicit input serde) and `${prefix}SerdeObj` (no serde: the endpoint's `c`).
 */
export function defineSerdeServices(sdk: DiffSdk, prefix: string): DiffDefinition[] {
  const echo: Handler = async (ctx, input) => ({
    input,
    run: await ctx.run("r", async () => "ran"),
  });
  const svc = sdk.service({
    name: `${prefix}SerdeSvc`,
    handlers: {
      plain: echo,
      own: sdk.handlers.handler({ serde: taggedSerde(SERDE_TAGS.handler) }, echo),
      binaryIn: sdk.handlers.handler({ input: sdk.serde.binary }, async (_ctx, input) => ({
        bytes: (input as Uint8Array).length,
      })),
    },
    options: { serde: taggedSerde(SERDE_TAGS.service) },
  });
  const obj = sdk.object({
    name: `${prefix}SerdeObj`,
    handlers: {
      state: async (ctx: DiffContext, input: unknown) => {
        ctx.set("k", input);
        const raw = (await ctx.get("k", sdk.serde.binary)) as Uint8Array;
        return { raw: text.decode(raw), typed: await ctx.get("k") };
      },
      callPlain: async (ctx: DiffContext) => ctx.serviceClient(svc).plain!("x"),
      callOwn: async (ctx: DiffContext) => ctx.serviceClient(svc).own!("y"),
    },
  });
  return [svc, obj];
}

/** One line a logger transport received, in a form that compares across the two SDKs. */
export interface LogLine {
  readonly source: string;
  readonly level: string;
  readonly replaying: boolean;
  readonly message: string;
  /** The `LoggerContext` fields, with the prefix taken out of the names. */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** The official `LogMetadata`, as far as the recorder reads it. */
export interface Meta {
  source: string;
  level: string;
  replaying: boolean;
  context?: {
    invocationId: string;
    serviceName: string;
    handlerName: string;
    key?: string | undefined;
    invocationTarget: string;
    additionalContext?: Readonly<Record<string, string>> | undefined;
    request?: { id: string; target: { toString(): string } } | undefined;
  };
}

/** A `LoggerTransport` that records every line; `prefix` is taken out of the names. */
export function recordingTransport(prefix: string): {
  readonly lines: LogLine[];
  readonly transport: (meta: Meta, message?: unknown, ...rest: unknown[]) => void;
} {
  const lines: LogLine[] = [];
  const strip = (s: string) => s.replace(prefix, "");
  const transport = (meta: Meta, message?: unknown, ...rest: unknown[]) => {
    const c = meta.context;
    lines.push({
      source: meta.source,
      level: meta.level,
      replaying: meta.replaying,
      message: [message, ...rest].map((m) => String(m)).join(" "),
      ...(c === undefined
        ? {}
        : {
            context: {
              invocationId: c.invocationId,
              serviceName: strip(c.serviceName),
              handlerName: c.handlerName,
              key: c.key,
              invocationTarget: strip(c.invocationTarget),
              additionalContext: c.additionalContext,
              requestId: c.request?.id,
              requestTarget: c.request === undefined ? undefined : strip(String(c.request.target)),
            },
          }),
    });
  };
  return { lines, transport };
}

/**
 * `${prefix}Logs`, an object whose `replayed` handler logs at three levels around a run and fails
 * its first attempt after the run, so the second attempt replays the run; it answers with its
 * invocation id. `${prefix}Calls` and `${prefix}Counter` exercise the options objects in the
 * input's place and a delayed send; `${prefix}Mapped` maps its own error class to a terminal one.
 */
export function defineServices(sdk: DiffSdk, prefix: string): DiffDefinition[] {
  const attempts = new Map<string, number>();
  const logs = sdk.object({
    name: `${prefix}Logs`,
    handlers: {
      replayed: async (ctx: DiffContext & { readonly key: string }) => {
        const attempt = (attempts.get(ctx.key) ?? 0) + 1;
        attempts.set(ctx.key, attempt);
        ctx.console.info("start", 1);
        await ctx.run("step", async () => "stepped");
        ctx.console.warn("after step");
        if (attempt === 1) throw new Error("first attempt fails");
        ctx.console.debug("end");
        return ctx.request().id;
      },
    },
  });
  const counter = sdk.object({
    name: `${prefix}Counter`,
    handlers: {
      inc: async (ctx: DiffContext) => {
        const next = (((await ctx.get("n")) as number | null) ?? 0) + 1;
        ctx.set("n", next);
        return next;
      },
    },
  });
  const calls = sdk.service({
    name: `${prefix}Calls`,
    handlers: {
      idempotent: async (ctx: DiffContext, key: unknown) => {
        const client = ctx.objectClient(counter, String(key));
        const opts = sdk.rpc.opts({ idempotencyKey: `idem-${String(key)}` });
        return [await client.inc!(opts), await client.inc!(opts)];
      },
      delayed: async (ctx: DiffContext, key: unknown) =>
        ctx.objectSendClient(counter, String(key)).inc!(sdk.rpc.sendOpts({ delay: { minutes: 5 } }))
          .invocationId,
    },
  });
  class Invalid extends Error {}
  const mapped = sdk.service({
    name: `${prefix}Mapped`,
    handlers: {
      inBody: async () => {
        throw new Invalid("bad body");
      },
      inRun: async (ctx: DiffContext) =>
        ctx.run("check", async () => {
          throw new Invalid("bad run");
        }),
    },
    options: {
      asTerminalError: (e: unknown) =>
        e instanceof Invalid
          ? new sdk.TerminalError(`mapped ${e.message}`, { errorCode: 422 })
          : undefined,
    },
  });
  return [logs, counter, calls, mapped];
}

/** `${prefix}Extra`: its `args` handler describes `ctx.request().extraArgs`. */
export function defineExtraArgsService(sdk: DiffSdk, prefix: string): DiffDefinition {
  return sdk.service({
    name: `${prefix}Extra`,
    handlers: { args: async (ctx: DiffContext) => describeArgs(ctx.request().extraArgs) },
  });
}

/** A plain description of the extra handler arguments: their types and own keys. */
function describeArgs(args: readonly unknown[]): string[] {
  return args.map((a) =>
    typeof a === "object" && a !== null ? `object{${Object.keys(a).sort().join(",")}}` : typeof a,
  );
}
