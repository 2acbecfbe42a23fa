// SPDX-License-Identifier: MIT
// Interface-first definitions: `iface` describes a service's handlers (names, serdes, shared or
// not) without their code, so clients can be typed and built from the description alone, and
// `implement` (implement.ts) binds handler code to it.
import type { Serde } from "../serde/serde.js";
import { schema } from "../serde/schema.js";
import type { StandardSchemaV1 } from "../serde/standard-schema.js";

/** Documentation of a described service or handler. */
export interface DescriptorOpts {
  readonly description?: string;
  readonly metadata?: Record<string, string>;
}

/** One described handler: its input and output types (through their serdes), shared or not. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the default accepts any descriptor
export type HandlerDescriptor<I = any, O = any, Shared extends boolean = boolean> = {
  readonly _inputSerde?: Serde<I>;
  readonly _outputSerde?: Serde<O>;
  readonly _shared?: Shared;
  readonly _description?: string;
  readonly _metadata?: Record<string, string>;
};

/** A described service, virtual object or workflow. */
export type Descriptor<
  P extends string = string,
  H extends Record<string, HandlerDescriptor> = Record<string, HandlerDescriptor>,
  Kind extends "service" | "object" | "workflow" = "service" | "object" | "workflow",
> = {
  readonly name: P;
  readonly _kind: Kind;
  readonly _handlers: H;
  readonly _description?: string;
  readonly _metadata?: Record<string, string>;
};
/** A described service. */
export type ServiceDescriptor<
  P extends string = string,
  H extends Record<string, HandlerDescriptor> = Record<string, HandlerDescriptor>,
> = Descriptor<P, H, "service">;
/** A described virtual object. */
export type ObjectDescriptor<
  P extends string = string,
  H extends Record<string, HandlerDescriptor> = Record<string, HandlerDescriptor>,
> = Descriptor<P, H, "object">;
/** A described workflow. */
export type WorkflowDescriptor<
  P extends string = string,
  H extends Record<string, HandlerDescriptor> = Record<string, HandlerDescriptor>,
> = Descriptor<P, H, "workflow">;

/* eslint-disable @typescript-eslint/no-explicit-any -- inference helpers over any descriptor */
/** The input type of a handler descriptor. */
export type InferInput<D> = D extends HandlerDescriptor<infer I, any, any> ? I : any;
/** The output type of a handler descriptor. */
export type InferOutput<D> = D extends HandlerDescriptor<any, infer O, any> ? O : any;
/** The value type of a serde. */
export type SerdeType<S> = S extends Serde<infer T> ? T : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The output type of a Standard Schema (what `iface` handlers receive or return). */
export type SchemaOut<S> = S extends StandardSchemaV1<unknown, infer O> ? O : never;

/** What `iface` offers: describe services and their handlers. */
export interface ServiceInterface {
  service<P extends string, H extends Record<string, HandlerDescriptor>>(
    name: P,
    handlers: H,
    opts?: DescriptorOpts,
  ): ServiceDescriptor<P, H>;
  object<P extends string, H extends Record<string, HandlerDescriptor>>(
    name: P,
    handlers: H,
    opts?: DescriptorOpts,
  ): ObjectDescriptor<P, H>;
  workflow<P extends string, H extends Record<string, HandlerDescriptor>>(
    name: P,
    handlers: H,
    opts?: DescriptorOpts,
  ): WorkflowDescriptor<P, H>;
  /** A handler with JSON input and output of the given types. */
  json<I = void, O = void>(opts?: DescriptorOpts): HandlerDescriptor<I, O, false>;
  /** A handler with the given serdes. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- serdes of any value type
  serdes<SI extends Serde<any>, SO extends Serde<any>>(
    opts: { input?: SI; output?: SO } & DescriptorOpts,
  ): HandlerDescriptor<SerdeType<SI>, SerdeType<SO>, false>;
  /** A handler whose input and output are validated by Standard Schemas (zod & co.). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- schemas of any value type
  schemas<SI extends StandardSchemaV1<any>, SO extends StandardSchemaV1<any>>(
    opts: { input?: SI; output?: SO } & DescriptorOpts,
  ): HandlerDescriptor<SchemaOut<NonNullable<SI>>, SchemaOut<NonNullable<SO>>, false>;
  /** The same, for shared handlers (objects and workflows). */
  shared: {
    json<I = void, O = void>(opts?: DescriptorOpts): HandlerDescriptor<I, O, true>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- serdes of any value type
    serdes<SI extends Serde<any>, SO extends Serde<any>>(
      opts: { input?: SI; output?: SO } & DescriptorOpts,
    ): HandlerDescriptor<SerdeType<SI>, SerdeType<SO>, true>;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- schemas of any value type
    schemas<SI extends StandardSchemaV1<any>, SO extends StandardSchemaV1<any>>(
      opts: { input?: SI; output?: SO } & DescriptorOpts,
    ): HandlerDescriptor<SchemaOut<NonNullable<SI>>, SchemaOut<NonNullable<SO>>, true>;
  };
}

function describe<P extends string, H, K extends "service" | "object" | "workflow">(
  kind: K,
  name: P,
  handlers: H,
  opts: DescriptorOpts | undefined,
) {
  return Object.freeze({
    name,
    _kind: kind,
    _handlers: handlers,
    ...(opts?.description !== undefined ? { _description: opts.description } : {}),
    ...(opts?.metadata !== undefined ? { _metadata: opts.metadata } : {}),
  });
}

function handler<I, O, Shared extends boolean>(
  input: Serde<I> | undefined,
  output: Serde<O> | undefined,
  shared: Shared,
  opts: DescriptorOpts | undefined,
): HandlerDescriptor<I, O, Shared> {
  return Object.freeze({
    ...(input !== undefined ? { _inputSerde: input } : {}),
    ...(output !== undefined ? { _outputSerde: output } : {}),
    _shared: shared,
    ...(opts?.description !== undefined ? { _description: opts.description } : {}),
    ...(opts?.metadata !== undefined ? { _metadata: opts.metadata } : {}),
  });
}

function schemaSerde(s: StandardSchemaV1<unknown> | undefined) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- schema() accepts any Standard Schema
  return s === undefined ? undefined : schema(s as any);
}

function flavour<Shared extends boolean>(shared: Shared) {
  return {
    json: (opts?: DescriptorOpts) => handler(undefined, undefined, shared, opts),
    serdes: (opts: { input?: Serde<unknown>; output?: Serde<unknown> } & DescriptorOpts) =>
      handler(opts.input, opts.output, shared, opts),
    schemas: (
      opts: {
        input?: StandardSchemaV1<unknown>;
        output?: StandardSchemaV1<unknown>;
      } & DescriptorOpts,
    ) => handler(schemaSerde(opts.input), schemaSerde(opts.output), shared, opts),
  };
}

function makeIface(): ServiceInterface {
  return Object.freeze({
    service: (name: string, handlers: unknown, opts?: DescriptorOpts) =>
      describe("service", name, handlers, opts),
    object: (name: string, handlers: unknown, opts?: DescriptorOpts) =>
      describe("object", name, handlers, opts),
    workflow: (name: string, handlers: unknown, opts?: DescriptorOpts) =>
      describe("workflow", name, handlers, opts),
    ...flavour(false),
    shared: Object.freeze(flavour(true)),
  }) as ServiceInterface;
}

// A pure call: a bundle that never names `iface` leaves it out, and with it `serde.schema`'s code.
/**
 * Describes services and their handlers without their code: a client imports the description,
 * the service module `implement`s it.
 *
 * @example
 * export const greeterApi = iface.service("Greeter", { greet: iface.json<string, string>() });
 * const hello = await ctx.client(greeterApi).greet("Till");
 */
export const iface: ServiceInterface = /* @__PURE__ */ makeIface();
