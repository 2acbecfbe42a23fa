// SPDX-License-Identifier: MIT
// The type-level shapes of service definitions, shared by `definitions/` (which builds them),
// `context/` (whose typed clients read them) and the ingress client. Types only, and no imports
// from other layers: this module is the leaf that keeps those three free of import cycles.

/** Marker of the service handler context (`Context` extends it). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- a marker the contexts extend, as in the official SDK
export interface RestateContext {}
/** Marker of the exclusive virtual-object context. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- marker, see RestateContext
export interface RestateObjectContext {}
/** Marker of the shared virtual-object context. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- marker, see RestateContext
export interface RestateObjectSharedContext {}
/** Marker of the shared workflow context. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- marker, see RestateContext
export interface RestateWorkflowSharedContext extends RestateObjectSharedContext {}
/** Marker of the workflow `run` context. */
export interface RestateWorkflowContext
  extends RestateObjectContext, RestateWorkflowSharedContext {}

/** The input type of a handler function `(ctx, input) => …` (`void` when it takes none). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches any context type
export type ArgType<T> = T extends (ctx: any) => any
  ? void
  : // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    T extends (ctx: any, input: infer I) => any
    ? I
    : never;

/** The awaited output type of a handler function. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- matches any context and input
export type HandlerReturnType<T> = T extends (ctx: any, input: any) => Promise<infer R> ? R : never;

/* eslint-disable @typescript-eslint/no-explicit-any -- handler maps hold user-typed functions */

/** `F` if it is a service handler taking context `C`, else the shape it should have. */
export type ServiceHandler<F, C = RestateContext> = F extends (ctx: C) => Promise<any>
  ? F
  : F extends (ctx: C, input: any) => Promise<any>
    ? F
    : (ctx: C, input?: any) => Promise<any>;

/** `F` if it is an exclusive object handler taking context `C`, else the shape it should have. */
export type ObjectHandler<F, C = RestateObjectContext> = F extends (
  ctx: C,
  input: any,
) => Promise<any>
  ? F
  : F extends (ctx: C) => Promise<any>
    ? F
    : (ctx: C, input?: any) => Promise<any>;

/** `F` if it is a shared object handler taking context `C`, else the shape it should have. */
export type ObjectSharedHandler<F, C = RestateObjectSharedContext> = F extends (
  ctx: C,
  input: any,
) => Promise<any>
  ? F
  : F extends (ctx: C) => Promise<any>
    ? F
    : (ctx: C, input?: any) => Promise<any>;

/** `F` if it is a workflow `run` handler taking context `C`, else the shape it should have. */
export type WorkflowHandler<F, C = RestateWorkflowContext> = F extends (
  ctx: C,
  input: any,
) => Promise<any>
  ? F
  : F extends (ctx: C) => Promise<any>
    ? F
    : (ctx: C, input?: any) => Promise<any>;

/** `F` if it is a shared workflow handler taking context `C`, else the shape it should have. */
export type WorkflowSharedHandler<F, C = RestateWorkflowSharedContext> = F extends (
  ctx: C,
  input: any,
) => Promise<any>
  ? F
  : F extends (ctx: C) => Promise<any>
    ? F
    : (ctx: C, input?: any) => Promise<any>;

/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * A service: its name, typed by its handler map `M`. `service()` returns one; since only `name` is
 * required, `{ name: "Greeter" }` typed as `typeof greeter` stands in for it in a client that does
 * not import the service's code.
 *
 * @example
 * const greeterApi: typeof greeter = { name: "Greeter" };
 * await ctx.serviceClient(greeterApi).greet("Till");
 */
export type ServiceDefinition<P extends string, M> = {
  name: P;
  /** The handler map; present on real definitions, absent on `{ name }` stand-ins. */
  readonly handlers?: M;
};
/** The handler map of a service definition (or `M` itself when given a handler map). */
export type Service<M> = M extends ServiceDefinition<string, infer S> ? S : M;
/** A service definition from a definition or from a handler map. */
export type ServiceDefinitionFrom<M> =
  M extends ServiceDefinition<string, unknown> ? M : ServiceDefinition<string, M>;

/**
 * A virtual object: its name, typed by its handler map `M` (see {@link ServiceDefinition}).
 *
 * @example
 * const counterApi: typeof counter = { name: "Counter" };
 */
export type VirtualObjectDefinition<P extends string, M> = {
  name: P;
  /** The handler map; present on real definitions, absent on `{ name }` stand-ins. */
  readonly handlers?: M;
};
/** The handler map of a virtual object definition (or `M` itself). */
export type VirtualObject<M> = M extends VirtualObjectDefinition<string, infer O> ? O : M;
/** A virtual object definition from a definition or from a handler map. */
export type VirtualObjectDefinitionFrom<M> =
  M extends VirtualObjectDefinition<string, unknown> ? M : VirtualObjectDefinition<string, M>;

/**
 * A workflow: its name, typed by its handler map `M` (see {@link ServiceDefinition}).
 *
 * @example
 * const signupApi: typeof signup = { name: "Signup" };
 */
export type WorkflowDefinition<P extends string, M> = {
  name: P;
  /** The handler map; present on real definitions, absent on `{ name }` stand-ins. */
  readonly handlers?: M;
};
/** The handler map of a workflow definition (or `M` itself). */
export type Workflow<M> = M extends WorkflowDefinition<string, infer W> ? W : M;
/** A workflow definition from a definition or from a handler map. */
export type WorkflowDefinitionFrom<M> =
  M extends WorkflowDefinition<string, unknown> ? M : WorkflowDefinition<string, M>;

/**
 * A handler function: the context and the input in, a promise of the output back.
 *
 * @example
 * const greet: HandlerFn<Context, string, string> = async (ctx, name) => `Hello ${name}`;
 */
export type HandlerFn<C, I, O> = (ctx: C, input: I) => Promise<O>;
