// SPDX-License-Identifier: MIT
/**
 * One service with hooks, written once against the API both SDKs share (`service`,
 * `handlers.handler`, `createEndpointHandler`, `TerminalError`, the `hooks` option with
 * `HooksProvider` / `Interceptor { handler, run }`), instantiated with either SDK's module
 * namespace. Every interceptor and the handler bodies write to one event log per SDK, so the two
 * logs can be compared line by line.
 */
import type http2 from "node:http2";

/** The context operations the handlers use. */
export interface HooksContext {
  run<T>(name: string, action: () => Promise<T>): PromiseLike<T>;
  sleep(millis: number): PromiseLike<void>;
}

/** A definition value: opaque here, only served. */
export interface HooksDefinition {
  readonly name: string;
}

type Next = () => Promise<void>;

/** What the providers below return: the official `Hooks` shape. */
interface SideHooks {
  interceptor: {
    handler: (next: Next) => Promise<void>;
    run: (name: string, next: Next) => Promise<void>;
  };
}

/** The official `HooksProvider`, as far as the providers below read their argument. */
type SideProvider = (ctx: { request: { target: { handler: string } } }) => SideHooks;

/**
 * The part of an SDK module namespace the service uses. Method syntax on purpose (bivariant
 * parameters): each SDK's stricter handler and provider typing is accepted without casts.
 */
export interface HooksSdk {
  service(init: {
    name: string;
    handlers: object;
    options: { hooks?: SideProvider[] };
  }): HooksDefinition;
  readonly handlers: {
    handler(opts: { hooks: SideProvider[] }, fn: (ctx: HooksContext) => Promise<string>): unknown;
  };
  createEndpointHandler(options: {
    services: HooksDefinition[];
    defaultServiceOptions: { hooks: SideProvider[] };
  }): (request: http2.Http2ServerRequest, response: http2.Http2ServerResponse) => void;
  readonly TerminalError: new (message: string) => Error;
  readonly RestateError: abstract new (message: string) => Error;
}

/**
 * How an error looks in the log: the same text for both SDKs when they behave the same. When an
 * attempt ends on a failure, the official SDK's message is its VM's report: `(code) message`,
 * then the stack and the related command on further lines. Only its first line, without the code
 * prefix, is compared; the code and the class are compared separately.
 */
function describe(sdk: HooksSdk, e: unknown): string {
  if (e instanceof sdk.TerminalError) return `terminal(${e.message})`;
  const code = (e as { code?: unknown }).code;
  if (code === 599) return `suspended(${e instanceof sdk.RestateError})`;
  const message = e instanceof Error ? e.message : String(e);
  const text = (message.split("\n")[0] ?? "").replace(/^\(\d+\) /, "");
  const kind = e instanceof sdk.RestateError ? `restate ${String(code)}` : "plain";
  return `error(${kind}: ${text})`;
}

/** What an interceptor does besides logging, per `${tag} ${handler}`. */
type Twist = "throw-before-once" | "terminal-after" | "wrap-terminal" | "deny-run";

const TWISTS: Readonly<Record<string, Twist>> = {
  "B failBefore": "throw-before-once",
  "B failAfter": "terminal-after",
  "A wrapToTerminal": "wrap-terminal",
  "B runDenied": "deny-run",
};

/** The handler names of {@link defineHooksService}, in the order the test invokes them. */
export const HOOKS_HANDLERS = [
  "ordered",
  "retryRun",
  "terminal",
  "wrapToTerminal",
  "failAfter",
  "failBefore",
  "runDenied",
  "suspends",
] as const;

/** The handler names of the `${prefix}Defaults` service, which has no hooks of its own. */
export const DEFAULTS_HANDLERS = ["plain", "withHandlerHooks"] as const;

/**
 * The services and their event log. `${prefix}Hooks` has service hooks `[A, B]` (handler hooks
 * `[H]` on `ordered`), and each handler exercises one rule of the interceptor contract.
 * `${prefix}Defaults` has none, so the endpoint's default hooks `[D]` apply to it; a service's own
 * `hooks` replace the defaults, as every other option does.
 */
export function defineHooksService(
  sdk: HooksSdk,
  prefix: string,
): {
  readonly definitions: HooksDefinition[];
  readonly log: string[];
  readonly endpointDefaults: { hooks: SideProvider[] };
} {
  const log: string[] = [];
  const thrown = new Set<string>();
  const provider =
    (tag: string) =>
    (ctx: { request: { target: { handler: string } } }): SideHooks => {
      const twist = TWISTS[`${tag} ${ctx.request.target.handler}`];
      log.push(`${tag} attempt`);
      return {
        interceptor: {
          async handler(next) {
            log.push(`${tag} > handler`);
            if (twist === "throw-before-once" && !thrown.has(tag)) {
              thrown.add(tag);
              throw new Error(`${tag} not yet`);
            }
            try {
              await next();
            } catch (e) {
              log.push(`${tag} < handler ${describe(sdk, e)}`);
              if (twist === "wrap-terminal" && !(e instanceof sdk.TerminalError)) {
                throw new sdk.TerminalError(`${tag} wrapped ${describe(sdk, e)}`);
              }
              throw e;
            }
            log.push(`${tag} < handler ok`);
            if (twist === "terminal-after") throw new sdk.TerminalError(`${tag} refuses`);
          },
          async run(name, next) {
            log.push(`${tag} > run ${name}`);
            if (twist === "deny-run") throw new sdk.TerminalError(`${tag} denies ${name}`);
            try {
              await next();
            } catch (e) {
              log.push(`${tag} < run ${name} ${describe(sdk, e)}`);
              throw e;
            }
            log.push(`${tag} < run ${name} ok`);
          },
        },
      };
    };
  const closure = (name: string) => () => {
    log.push(`closure ${name}`);
    return Promise.resolve(name);
  };
  const body =
    (name: string, fn: (ctx: HooksContext) => Promise<string>) =>
    (ctx: HooksContext): Promise<string> => {
      log.push(`body ${name}`);
      return fn(ctx);
    };
  let flakyRuns = 0;
  const handlers: Record<(typeof HOOKS_HANDLERS)[number], unknown> = {
    ordered: sdk.handlers.handler(
      { hooks: [provider("H")] },
      body("ordered", async (ctx) => ctx.run("step", closure("step"))),
    ),
    retryRun: body("retryRun", async (ctx) =>
      ctx.run("flaky", () => {
        log.push("closure flaky");
        if (flakyRuns++ === 0) return Promise.reject(new Error("flaky failed"));
        return Promise.resolve("flaky ok");
      }),
    ),
    terminal: body("terminal", () => Promise.reject(new sdk.TerminalError("handler says no"))),
    wrapToTerminal: body("wrapToTerminal", () => Promise.reject(new Error("boom"))),
    failAfter: body("failAfter", async () => "done"),
    failBefore: body("failBefore", async () => "done"),
    runDenied: body("runDenied", async (ctx) => {
      try {
        return await ctx.run("guarded", closure("guarded"));
      } catch (e) {
        return `caught ${describe(sdk, e)}`;
      }
    }),
    suspends: body("suspends", async (ctx) => {
      await ctx.run("before", closure("before"));
      await ctx.sleep(4000);
      return ctx.run("after", closure("after"));
    }),
  };
  const withOwnHooks = sdk.service({
    name: `${prefix}Hooks`,
    handlers,
    options: { hooks: [provider("A"), provider("B")] },
  });
  const defaults: Record<(typeof DEFAULTS_HANDLERS)[number], unknown> = {
    plain: body("plain", async (ctx) => ctx.run("step", closure("step"))),
    withHandlerHooks: sdk.handlers.handler(
      { hooks: [provider("H")] },
      body("withHandlerHooks", async (ctx) => ctx.run("step", closure("step"))),
    ),
  };
  const withoutHooks = sdk.service({ name: `${prefix}Defaults`, handlers: defaults, options: {} });
  return {
    definitions: [withOwnHooks, withoutHooks],
    log,
    endpointDefaults: { hooks: [provider("D")] },
  };
}
