// SPDX-License-Identifier: MIT
// `implement(description, { handlers })`: a definition from an `iface` description and handler
// code, usable both by the endpoint (as a definition) and by clients (as a description).
import type {
  Context,
  ObjectContext,
  ObjectSharedContext,
  WorkflowContext,
  WorkflowSharedContext,
} from "../context/types.js";
import type {
  Descriptor,
  HandlerDescriptor,
  InferInput,
  InferOutput,
  ObjectDescriptor,
  ServiceDescriptor,
  WorkflowDescriptor,
} from "./descriptors.js";
import type { HandlerOptions, ObjectOptions, ServiceOptions, WorkflowOptions } from "./options.js";
import type { ServiceDefinition, VirtualObjectDefinition, WorkflowDefinition } from "./types.js";
import { type HandlerKind, object, service, workflow, wrapHandler } from "./service.js";

/** A handler function for a described input and output. */
export type FnOf<C, I, O> = [I] extends [void]
  ? (ctx: C) => Promise<O>
  : (ctx: C, input: I) => Promise<O>;
/** Handler code for a described service. */
export type ServiceImplHandlers<H extends Record<string, HandlerDescriptor>> = {
  [K in keyof H]: FnOf<Context, InferInput<H[K]>, InferOutput<H[K]>>;
};
/** Handler code for a described virtual object (shared handlers get the shared context). */
export type ObjectImplHandlers<H extends Record<string, HandlerDescriptor>> = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any input/output
  [K in keyof H]: H[K] extends HandlerDescriptor<any, any, infer Shared>
    ? FnOf<
        Shared extends true ? ObjectSharedContext : ObjectContext,
        InferInput<H[K]>,
        InferOutput<H[K]>
      >
    : never;
};
/** Handler code for a described workflow (`run` gets the workflow context). */
export type WorkflowImplHandlers<H extends Record<string, HandlerDescriptor>> = {
  [K in keyof H]: K extends "run"
    ? FnOf<WorkflowContext, InferInput<H[K]>, InferOutput<H[K]>>
    : FnOf<WorkflowSharedContext, InferInput<H[K]>, InferOutput<H[K]>>;
};
/** Per-handler options of an implementation (serdes come from the description). */
export type ServicePerHandlerOpts = Omit<HandlerOptions, "input" | "output">;
export type ObjectPerHandlerOpts = ServicePerHandlerOpts;
export type WorkflowPerHandlerOpts = ServicePerHandlerOpts;

/**
 * What `implement()` takes beside the description: the handler code, and optionally the
 * service's description, metadata and options (with per-handler options under `handlers`).
 *
 * @example
 * implement(greeterApi, { handlers: { greet: async (ctx, name) => name }, options: { handlers: { greet: { ingressPrivate: true } } } });
 */
export interface ImplConfig<Handlers, Options, H> {
  handlers: Handlers;
  description?: string;
  metadata?: Record<string, string>;
  options?: Options & { handlers?: Partial<Record<keyof H, ServicePerHandlerOpts>> };
}

/** What `implement` returns for a service description: a definition to bind, still usable as a description. */
export type ImplementedServiceDefinition<
  P extends string,
  H extends Record<string, HandlerDescriptor>,
> = ServiceDefinition<P, ServiceImplHandlers<H>> & ServiceDescriptor<P, H>;

/** What `implement` returns for a virtual object description. */
export type ImplementedObjectDefinition<
  P extends string,
  H extends Record<string, HandlerDescriptor>,
> = VirtualObjectDefinition<P, ObjectImplHandlers<H>> & ObjectDescriptor<P, H>;

/** What `implement` returns for a workflow description. */
export type ImplementedWorkflowDefinition<
  P extends string,
  H extends Record<string, HandlerDescriptor>,
> = WorkflowDefinition<P, WorkflowImplHandlers<H>> & WorkflowDescriptor<P, H>;

/** The implemented definition for a description of the given kind. */
export type ImplementedDefinition<
  P extends string,
  H extends Record<string, HandlerDescriptor>,
  Kind extends "service" | "object" | "workflow",
> = Kind extends "service"
  ? ImplementedServiceDefinition<P, H>
  : Kind extends "object"
    ? ImplementedObjectDefinition<P, H>
    : ImplementedWorkflowDefinition<P, H>;

/**
 * Binds handler code to an `iface` description. The result is a definition for the endpoint and
 * still a description for `ctx.client()`.
 *
 * @example
 * export const greeter = implement(greeterApi, { handlers: { greet: async (ctx, name) => `Hi ${name}` } });
 */
export function implement<P extends string, H extends Record<string, HandlerDescriptor>>(
  description: ServiceDescriptor<P, H>,
  config: ImplConfig<ServiceImplHandlers<H>, ServiceOptions, H>,
): ImplementedServiceDefinition<P, H>;
export function implement<P extends string, H extends Record<string, HandlerDescriptor>>(
  description: ObjectDescriptor<P, H>,
  config: ImplConfig<ObjectImplHandlers<H>, ObjectOptions, H>,
): ImplementedObjectDefinition<P, H>;
export function implement<P extends string, H extends Record<string, HandlerDescriptor>>(
  description: WorkflowDescriptor<P, H>,
  config: ImplConfig<WorkflowImplHandlers<H>, WorkflowOptions, H>,
): ImplementedWorkflowDefinition<P, H>;
export function implement(
  description: Descriptor,
  config: ImplConfig<Record<string, unknown>, ServiceOptions, Record<string, unknown>>,
): unknown {
  const { handlers: perHandler, ...options } = config.options ?? {};
  const handlers: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(config.handlers)) {
    const d = description._handlers[name];
    const kind: HandlerKind =
      description._kind === "service"
        ? "handler"
        : description._kind === "object"
          ? d?._shared === true
            ? "shared"
            : "exclusive"
          : name === "run"
            ? "workflow"
            : "shared";
    const handlerOptions: HandlerOptions = {
      ...(d?._inputSerde !== undefined ? { input: d._inputSerde } : {}),
      ...(d?._outputSerde !== undefined ? { output: d._outputSerde } : {}),
      ...(d?._description !== undefined ? { description: d._description } : {}),
      ...(d?._metadata !== undefined ? { metadata: d._metadata } : {}),
      ...perHandler?.[name],
    };
    handlers[name] = wrapHandler(kind, handlerOptions, fn as () => Promise<unknown>);
  }
  const init = {
    name: description.name,
    handlers,
    options,
    ...((config.description ?? description._description) !== undefined
      ? { description: config.description ?? description._description }
      : {}),
    ...((config.metadata ?? description._metadata) !== undefined
      ? { metadata: config.metadata ?? description._metadata }
      : {}),
  };
  const define = { service, object, workflow }[description._kind] as (i: typeof init) => object;
  return Object.freeze({
    ...define(init),
    _kind: description._kind,
    _handlers: description._handlers,
  });
}
