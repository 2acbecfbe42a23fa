// SPDX-License-Identifier: MIT
// `service()`, `object()`, `workflow()`: definitions are frozen values carrying their name, kind,
// handlers and options under a brand; their static type is the official `{ name }`-shaped one, so
// a `{ name }` stand-in typed as the definition works wherever a definition is expected.
import type {
  Context,
  ObjectContext,
  ObjectSharedContext,
  WorkflowContext,
  WorkflowSharedContext,
} from "../context/types.js";
import type { HandlerOptions, ServiceOptions } from "./options.js";
import type {
  ObjectHandler,
  ServiceDefinition,
  ServiceHandler,
  VirtualObjectDefinition,
  WorkflowDefinition,
  WorkflowHandler,
  WorkflowSharedHandler,
} from "./types.js";
import type { ObjectOptions, WorkflowOptions } from "./options.js";
import type { HandlerDescriptor } from "./descriptors.js";

export type { ServiceDefinition, VirtualObjectDefinition, WorkflowDefinition } from "./types.js";

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

/** Any definition (or stand-in), as the endpoint and the clients accept it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- handler maps are user-typed
export type AnyDefinition = ServiceDefinition<string, any>;

/** What `service()`, `object()` and `workflow()` actually return. */
export interface DefinitionRecord {
  readonly [DEFINITION]: true;
  readonly name: string;
  readonly kind: ServiceKind;
  readonly handlers: Readonly<Record<string, unknown>>;
  /** `workflowRetention` is set on workflows only. */
  readonly options: WorkflowOptions;
  /** The kind again, under the name the official definitions (and interface descriptions) use. */
  readonly _kind: ServiceKind;
  /** Each handler's effective serdes, for callers (see the official `HandlerDescriptor`). */
  readonly _handlers: Readonly<Record<string, HandlerDescriptor>>;
}

/** True for values made by `service()`, `object()` or `workflow()` (any copy of this package). */
export function isDefinition(value: unknown): value is DefinitionRecord {
  return typeof value === "object" && value !== null && DEFINITION in value;
}

/**
 * The definition behind a value, or a TypeError naming what was given instead.
 *
 * @internal
 */
export function definitionRecord(value: unknown): DefinitionRecord {
  if (isDefinition(value)) return value;
  const name = (value as { name?: unknown } | null)?.name;
  throw new TypeError(
    `${typeof name === "string" ? `"${name}"` : "This value"} is not a definition made by ` +
      "service(), object() or workflow() (a { name } stand-in only works for clients)",
  );
}

/** The argument of `service()`, `object()` and `workflow()`. */
export interface DefinitionInit<P extends string, H, O = ServiceOptions> {
  readonly name: P;
  readonly handlers: H;
  readonly description?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly options?: O;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- handler maps hold user-typed functions */

/** The handler map `service()` accepts: each handler takes a `Context`. */
export type ServiceOpts<U> = {
  [K in keyof U]: U[K] extends ServiceHandler<U[K], Context> ? U[K] : ServiceHandler<U[K], Context>;
};

/** The handler map `object()` accepts: exclusive or shared handlers. */
export type ObjectOpts<U> = {
  [K in keyof U]: U[K] extends ObjectHandler<U[K], ObjectContext<any>>
    ? U[K]
    : U[K] extends ObjectHandler<U[K], ObjectSharedContext<any>>
      ? U[K]
      : ObjectHandler<U[K], ObjectContext<any>> | ObjectHandler<U[K], ObjectSharedContext<any>>;
};

/** The handler map `workflow()` accepts: a `run` handler plus shared handlers. */
export type WorkflowOpts<U> = {
  run: (ctx: WorkflowContext<any>, argument: any) => Promise<any>;
} & {
  [K in keyof U]: K extends "workflowSubmit" | "workflowAttach" | "workflowOutput"
    ? `${K} is a reserved keyword`
    : K extends "run"
      ? U[K] extends WorkflowHandler<U[K], WorkflowContext<any>>
        ? U[K]
        : "An handler named 'run' must take as a first argument a WorkflowContext, and must return a Promise"
      : U[K] extends WorkflowSharedHandler<U[K], WorkflowSharedContext<any>>
        ? U[K]
        : "An handler other then 'run' must accept as a first argument a WorkflowSharedContext";
};

/* eslint-enable @typescript-eslint/no-explicit-any */

const NAME_PATTERN = /^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9._-]*$/;
const HANDLER_NAME_PATTERN = /^([a-zA-Z]|_[a-zA-Z0-9])[a-zA-Z0-9_]*$/;

function define(
  kind: ServiceKind,
  init: DefinitionInit<string, unknown, object>,
): DefinitionRecord {
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
  const options: WorkflowOptions = {
    ...init.options,
    ...(init.description !== undefined ? { description: init.description } : {}),
    ...(init.metadata !== undefined ? { metadata: init.metadata } : {}),
  };
  const handlers = init.handlers as Readonly<Record<string, unknown>>;
  return Object.freeze({
    [DEFINITION]: true as const,
    name: init.name,
    kind,
    handlers,
    options,
    // What the official definitions carry for callers: the kind, and each handler's effective
    // serdes, so `ctx.serviceClient(def)` and the ingress client use the callee's declared serdes.
    _kind: kind,
    _handlers: handlerDescriptors(handlers, options.serde),
  });
}

/**
 * Each handler's serdes as a caller should use them: its own `input`/`output`, else its `serde`,
 * else the definition's; left out when none is declared (the caller's default applies).
 */
function handlerDescriptors(
  handlers: Readonly<Record<string, unknown>>,
  serviceSerde: HandlerOptions["serde"],
): Readonly<Record<string, HandlerDescriptor>> {
  const descriptors: Record<string, HandlerDescriptor> = {};
  for (const [name, fn] of Object.entries(handlers)) {
    const meta = handlerMeta(fn);
    const input = meta?.options.input ?? meta?.options.serde ?? serviceSerde;
    const output = meta?.options.output ?? meta?.options.serde ?? serviceSerde;
    descriptors[name] = Object.freeze({
      ...(input !== undefined ? { _inputSerde: input } : {}),
      ...(output !== undefined ? { _outputSerde: output } : {}),
      _shared: meta?.kind === "shared",
    });
  }
  return Object.freeze(descriptors);
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
export function service<P extends string, M>(
  init: DefinitionInit<P, ServiceOpts<M> & ThisType<M>>,
): ServiceDefinition<P, M> {
  return define("service", init) as unknown as ServiceDefinition<P, M>;
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
export function object<P extends string, M>(
  init: DefinitionInit<P, ObjectOpts<M> & ThisType<M>, ObjectOptions>,
): VirtualObjectDefinition<P, M> {
  return define("object", init) as unknown as VirtualObjectDefinition<P, M>;
}

/**
 * Defines a workflow: a `run` handler that executes once per workflow id, plus shared handlers
 * that interact with it (durable promises, state reads).
 *
 * @example
 * export const signup = workflow({ name: "signup", handlers: { run: async (ctx: WorkflowContext, email: string) => email } });
 */
export function workflow<P extends string, M>(
  init: DefinitionInit<P, WorkflowOpts<M> & ThisType<M>, WorkflowOptions>,
): WorkflowDefinition<P, M> {
  return define("workflow", init) as unknown as WorkflowDefinition<P, M>;
}

/** Attaches the kind and options `handlers.*` give a function to a copy of it. */
export function wrapHandler<F extends (...args: never[]) => unknown>(
  kind: HandlerKind,
  optionsOrFn: HandlerOptions | F,
  maybeFn?: F,
): F {
  const [options, fn] =
    typeof optionsOrFn === "function" ? [{}, optionsOrFn] : [optionsOrFn, maybeFn];
  if (typeof fn !== "function") throw new TypeError("handlers.*: missing handler function");
  const wrapped = function (this: unknown, ...args: never[]) {
    return fn.apply(this, args);
  } as unknown as F;
  Object.defineProperty(wrapped, HANDLER, { value: { kind, options } satisfies HandlerMeta });
  return wrapped;
}

/** Reads the kind and options `handlers.*` attached to a function, if any. */
export function handlerMeta(fn: unknown): HandlerMeta | undefined {
  return typeof fn === "function"
    ? ((fn as unknown as Record<symbol, HandlerMeta | undefined>)[HANDLER] ?? undefined)
    : undefined;
}

export * as handlers from "./handlers.js";
