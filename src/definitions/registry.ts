// SPDX-License-Identifier: MIT
import { json } from "../serde/json.js";
import type { Serde } from "../serde/serde.js";
import type { HandlerOptions, ServiceOptions } from "./options.js";
import type { HooksProvider } from "../context/hooks.js";
import {
  type AnyDefinition,
  type HandlerKind,
  type ServiceKind,
  definitionRecord,
  handlerMeta,
} from "./service.js";

/** One handler, normalised: what the endpoint needs to run and describe it. */
export interface HandlerEntry {
  readonly service: string;
  readonly name: string;
  readonly serviceKind: ServiceKind;
  readonly kind: HandlerKind;
  readonly fn: (ctx: unknown, input: unknown) => unknown;
  readonly options: HandlerOptions;
  readonly input: Serde<unknown>;
  readonly output: Serde<unknown>;
  /** The handler's, else its service's default serde (`serde` option); JSON when unset. */
  readonly defaultSerde?: Serde<unknown>;
  /** Service hooks then handler hooks; undefined when there are none (the common, free case). */
  readonly hooks: readonly HooksProvider[] | undefined;
}

/** One service, normalised. */
export interface ServiceEntry {
  readonly name: string;
  readonly kind: ServiceKind;
  readonly options: ServiceOptions;
  readonly handlers: ReadonlyMap<string, HandlerEntry>;
}

const DEFAULT_KIND: Record<ServiceKind, (handlerName: string) => HandlerKind> = {
  service: () => "handler",
  object: () => "exclusive",
  workflow: (name) => (name === "run" ? "workflow" : "shared"),
};

/**
 * Normalises a definition once, at bind time, so the invoke path does no lookups beyond two maps.
 *
 * @internal
 */
export function toServiceEntry(value: AnyDefinition): ServiceEntry {
  const definition = definitionRecord(value);
  const entries = new Map<string, HandlerEntry>();
  for (const [name, fn] of Object.entries(definition.handlers as Record<string, unknown>)) {
    const meta = handlerMeta(fn);
    // `handlers.handler` carries no kind of its own: it takes the service kind's default.
    const kind =
      meta === undefined || meta.kind === "handler"
        ? DEFAULT_KIND[definition.kind](name)
        : meta.kind;
    if (definition.kind === "service" && kind !== "handler") {
      throw new TypeError(`${definition.name}/${name}: services have plain handlers only`);
    }
    const options = meta?.options ?? {};
    const defaultSerde = options.serde ?? definition.options.serde;
    entries.set(name, {
      service: definition.name,
      name,
      serviceKind: definition.kind,
      kind,
      fn: fn as HandlerEntry["fn"],
      options,
      input: options.input ?? defaultSerde ?? json,
      output: options.output ?? defaultSerde ?? json,
      ...(defaultSerde !== undefined ? { defaultSerde } : {}),
      hooks: mergeHooks(definition.options.hooks, options.hooks),
    });
  }
  return {
    name: definition.name,
    kind: definition.kind,
    options: definition.options,
    handlers: entries,
  };
}

function mergeHooks(
  service: readonly HooksProvider[] | undefined,
  handler: readonly HooksProvider[] | undefined,
): readonly HooksProvider[] | undefined {
  const all = [...(service ?? []), ...(handler ?? [])];
  return all.length > 0 ? Object.freeze(all) : undefined;
}
