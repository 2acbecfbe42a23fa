// SPDX-License-Identifier: MIT
import type {
  Context,
  ObjectContext,
  ObjectSharedContext,
  WorkflowContext,
  WorkflowSharedContext,
} from "../context/types.js";
import type { HandlerOptions, ServiceOptions } from "./options.js";

/** Brands real definition objects (a plain `{ name }` reference is not a definition). */
export const DEFINITION: unique symbol = Symbol.for("restate-hono.definition");
/** Marks a handler function wrapped by `handlers.*` and carries its kind and options. */
export const HANDLER: unique symbol = Symbol.for("restate-hono.handler");

/** The three kinds of Restate services. */
export type ServiceKind = "service" | "object" | "workflow";
/** How a handler runs: plain (services), exclusive/shared (objects), workflow/shared (workflows). */
export type HandlerKind = "handler" | "exclusive" | "shared" | "workflow";

/** What `handlers.*` attaches to the function it returns. */
export interface HandlerMeta {
  readonly kind: HandlerKind;
  readonly options: HandlerOptions;
}

/**
 * A service, virtual object or workflow: its name, kind, handler functions and options.
 *
 * @example
 * const greeter = service({ name: "greeter", handlers: { greet: async (ctx: Context, n: string) => n } });
 */
export interface ServiceDefinition<P extends string, M, K extends ServiceKind> {
  readonly [DEFINITION]: true;
  readonly name: P;
  readonly kind: K;
  readonly handlers: M;
  readonly options: ServiceOptions;
}

/** Any definition, as the endpoint sees it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handler maps are user-typed
export type AnyDefinition = ServiceDefinition<string, any, ServiceKind>;

/** The argument of `service()`, `object()` and `workflow()`. */
export interface DefinitionInit<P extends string, M> {
  readonly name: P;
  readonly handlers: M;
  readonly description?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly options?: ServiceOptions;
}

// A handler may declare fewer parameters; one function type (not a union) keeps `ctx` contextually
// typed for handlers written without annotations.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the input type is the user's
type Fn<C> = (ctx: C, input: any) => Promise<unknown>;
type HandlerMap<C> = Record<string, Fn<C>>;

const NAME_PATTERN = /^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9._-]*$/;
const HANDLER_NAME_PATTERN = /^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9_]*$/;

function define<P extends string, M, K extends ServiceKind>(
  kind: K,
  init: DefinitionInit<P, M>,
): ServiceDefinition<P, M, K> {
  if (!NAME_PATTERN.test(init.name)) {
    throw new TypeError(`Invalid ${kind} name "${init.name}": must match ${NAME_PATTERN.source}`);
  }
  for (const [name, fn] of Object.entries(init.handlers as object)) {
    if (!HANDLER_NAME_PATTERN.test(name)) {
      throw new TypeError(`Invalid handler name "${init.name}/${name}"`);
    }
    if (typeof fn !== "function") {
      throw new TypeError(`Handler "${init.name}/${name}" is not a function`);
    }
  }
  const options: ServiceOptions = {
    ...init.options,
    ...(init.description !== undefined ? { description: init.description } : {}),
    ...(init.metadata !== undefined ? { metadata: init.metadata } : {}),
  };
  return Object.freeze({
    [DEFINITION]: true as const,
    name: init.name,
    kind,
    handlers: init.handlers,
    options,
  });
}

/**
 * Defines a stateless service.
 *
 * @example
 * export const greeter = service({
 *   name: "greeter",
 *   handlers: { greet: async (ctx: Context, name: string) => `Hello ${name}` },
 * });
 */
export function service<P extends string, M extends HandlerMap<Context>>(
  init: DefinitionInit<P, M>,
): ServiceDefinition<P, M, "service"> {
  return define("service", init);
}

/**
 * Defines a virtual object: handlers keyed by an object key, with durable state per key.
 * Handlers are exclusive by default; wrap one in `handlers.object.shared` for concurrent reads.
 *
 * @example
 * export const counter = object({
 *   name: "counter",
 *   handlers: { add: async (ctx: ObjectContext, n: number) => { ctx.set("n", n); } },
 * });
 */
// `any` state: handlers may declare their own typed state (ObjectContext<{ count: number }>).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export function object<P extends string, M extends HandlerMap<ObjectContext<any>>>(
  init: DefinitionInit<P, M>,
): ServiceDefinition<P, M, "object"> {
  return define("object", init);
}

/**
 * Defines a workflow: a `run` handler that executes once per workflow id, plus shared handlers
 * that interact with it (durable promises, state reads).
 *
 * @example
 * export const signup = workflow({ name: "signup", handlers: { run: async (ctx: WorkflowContext, email: string) => email } });
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- typed state, as for object()
export function workflow<P extends string, M extends HandlerMap<WorkflowContext<any>>>(
  init: DefinitionInit<P, M>,
): ServiceDefinition<P, M, "workflow"> {
  return define("workflow", init);
}

function wrap<F extends (...args: never[]) => unknown>(
  kind: HandlerKind,
  optionsOrFn: HandlerOptions | F,
  maybeFn?: F,
): F {
  const [options, fn] =
    typeof optionsOrFn === "function" ? [{}, optionsOrFn] : [optionsOrFn, maybeFn];
  if (typeof fn !== "function") throw new TypeError("handlers.*: missing handler function");
  const wrapped = ((...args: never[]) => fn(...args)) as unknown as F;
  Object.defineProperty(wrapped, HANDLER, { value: { kind, options } satisfies HandlerMeta });
  return wrapped;
}

/** Reads the kind and options `handlers.*` attached to a function, if any. */
export function handlerMeta(fn: unknown): HandlerMeta | undefined {
  return typeof fn === "function"
    ? ((fn as unknown as Record<symbol, HandlerMeta | undefined>)[HANDLER] ?? undefined)
    : undefined;
}

function wrapper<C>(kind: HandlerKind): Wrapper<C> {
  return ((a: HandlerOptions | Fn<C>, b?: Fn<C>) => wrap(kind, a, b)) as Wrapper<C>;
}

type Wrapper<C> = {
  <F extends Fn<C>>(fn: F): F;
  <F extends Fn<C>>(options: HandlerOptions, fn: F): F;
};

/**
 * Wrappers that give a handler options (serdes, timeouts…) and, for objects and workflows, its
 * kind.
 *
 * @example
 * handlers: { get: handlers.object.shared(async (ctx: ObjectSharedContext) => ctx.get("n")) }
 */
export const handlers: {
  readonly handler: Wrapper<Context>;
  readonly object: {
    readonly exclusive: Wrapper<ObjectContext>;
    readonly shared: Wrapper<ObjectSharedContext>;
  };
  readonly workflow: {
    readonly workflow: Wrapper<WorkflowContext>;
    readonly shared: Wrapper<WorkflowSharedContext>;
  };
} = Object.freeze({
  handler: wrapper<Context>("handler"),
  object: Object.freeze({
    exclusive: wrapper<ObjectContext>("exclusive"),
    shared: wrapper<ObjectSharedContext>("shared"),
  }),
  workflow: Object.freeze({
    workflow: wrapper<WorkflowContext>("workflow"),
    shared: wrapper<WorkflowSharedContext>("shared"),
  }),
});
