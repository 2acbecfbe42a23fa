// SPDX-License-Identifier: MIT
// Type functions over definitions, used by the typed clients (in-handler and ingress). Types only.
import type { ServiceDefinition } from "./types.js";

/** Any handler function. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- ctx and input types vary per handler
export type AnyHandlerFn = (ctx: any, input?: any) => unknown;

/** The input type of a handler function (`void` when it takes none). */
export type HandlerInput<F> = F extends (...args: infer A) => unknown
  ? A extends [unknown]
    ? void
    : A extends [unknown, (infer I)?]
      ? I
      : void
  : never;

/** The output type of a handler function. */
export type HandlerOutput<F> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

/**
 * The handler functions of a definition; `never` for anything that does not carry them (a bare
 * name or an untyped `{ name }`), so clients can fall back to untyped methods.
 */
export type HandlersOf<D> =
  D extends ServiceDefinition<string, infer M>
    ? [unknown] extends [M]
      ? never
      : NonNullable<M>
    : never;

/** The name of a definition. */
export type NameOf<D> = D extends { readonly name: infer P extends string } ? P : string;

/** A definition, or just its name (enough at runtime; a type-only import supplies the rest). */
export type ServiceRef<D> = D | { readonly name: NameOf<D> };
/** A virtual object definition or its name. */
export type ObjectRef<D> = ServiceRef<D>;
/** A workflow definition or its name. */
export type WorkflowRef<D> = ServiceRef<D>;
