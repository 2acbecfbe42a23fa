// SPDX-License-Identifier: MIT
import { json } from "../serde/json.js";
import type { Serde } from "../serde/serde.js";
import type { DefaultServiceOptions, HandlerOptions } from "./options.js";
import type { HooksProvider } from "../context/hooks.js";
import type { TerminalError } from "../errors.js";
import type { Duration } from "./duration.js";
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
  /** The handler's, else its service's (else the endpoint default's) `asTerminalError`. */
  readonly asTerminalError?: (error: unknown) => TerminalError | undefined;
  /** The handler's, else its service's `explicitCancellation`. */
  readonly explicitCancellation?: boolean;
  /** The handler's, else its service's `onJournalMismatchErrors`. */
  readonly onJournalMismatchErrors?: "retry" | "pause" | "fail";
  /** A workflow's `run` handler only: its own, else its workflow's `workflowRetention`. */
  readonly workflowRetention?: Duration;
}

/** One service, normalised. */
export interface ServiceEntry {
  readonly name: string;
  readonly kind: ServiceKind;
  /** The service's own options over the endpoint's defaults. */
  readonly options: DefaultServiceOptions;
  readonly handlers: ReadonlyMap<string, HandlerEntry>;
}

const DEFAULT_KIND: Record<ServiceKind, (handlerName: string) => HandlerKind> = {
  service: () => "handler",
  object: () => "exclusive",
  workflow: (name) => (name === "run" ? "workflow" : "shared"),
};

/**
 * The options a service runs with: its own, over the endpoint's defaults, field by field (as the
 * official SDK merges them). Every default reaches every kind of service, so the manifest carries
 * the same fields as the official SDK's (a default `enableLazyState` on a plain service too); only
 * `workflowRetention` is dropped outside workflows, where nothing reads it.
 *
 * @internal
 */
export function mergeServiceOptions(
  kind: ServiceKind,
  defaults: DefaultServiceOptions | undefined,
  own: DefaultServiceOptions,
): DefaultServiceOptions {
  if (defaults === undefined) return own;
  const inherited: Record<string, unknown> = { ...defaults };
  if (kind !== "workflow") delete inherited["workflowRetention"];
  for (const [field, value] of Object.entries(own)) {
    if (value !== undefined) inherited[field] = value;
  }
  return inherited;
}

/**
 * Normalises a definition once, at bind time, so the invoke path does no lookups beyond two maps.
 *
 * @internal
 */
export function toServiceEntry(value: AnyDefinition): ServiceEntry {
  return serviceEntryOf(value, undefined);
}

/**
 * {@link toServiceEntry} for an endpoint with default service options.
 *
 * @internal
 */
export function serviceEntryOf(
  value: AnyDefinition,
  defaults: DefaultServiceOptions | undefined,
): ServiceEntry {
  const definition = definitionRecord(value);
  const service = mergeServiceOptions(definition.kind, defaults, definition.options);
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
    entries.set(name, {
      service: definition.name,
      name,
      serviceKind: definition.kind,
      kind,
      fn: fn as HandlerEntry["fn"],
      options,
      ...handlerSettings(kind, options, service),
    });
  }
  return { name: definition.name, kind: definition.kind, options: service, handlers: entries };
}

type HandlerSettings = Omit<
  HandlerEntry,
  "service" | "name" | "serviceKind" | "kind" | "fn" | "options"
>;

/** What a handler inherits from its service: each setting is the handler's own if it has one. */
function handlerSettings(
  kind: HandlerKind,
  options: HandlerOptions,
  service: DefaultServiceOptions,
): HandlerSettings {
  const defaultSerde = options.serde ?? service.serde;
  const asTerminalError = options.asTerminalError ?? service.asTerminalError;
  const explicitCancellation = options.explicitCancellation ?? service.explicitCancellation;
  const onJournalMismatchErrors =
    options.onJournalMismatchErrors ?? service.onJournalMismatchErrors;
  const workflowRetention =
    kind === "workflow" ? (options.workflowRetention ?? service.workflowRetention) : undefined;
  return {
    input: options.input ?? defaultSerde ?? json,
    output: options.output ?? defaultSerde ?? json,
    hooks: mergeHooks(service.hooks, options.hooks),
    ...(defaultSerde !== undefined ? { defaultSerde } : {}),
    ...(asTerminalError !== undefined ? { asTerminalError } : {}),
    ...(explicitCancellation !== undefined ? { explicitCancellation } : {}),
    ...(onJournalMismatchErrors !== undefined ? { onJournalMismatchErrors } : {}),
    ...(workflowRetention !== undefined ? { workflowRetention } : {}),
  };
}

function mergeHooks(
  service: readonly HooksProvider[] | undefined,
  handler: readonly HooksProvider[] | undefined,
): readonly HooksProvider[] | undefined {
  const all = [...(service ?? []), ...(handler ?? [])];
  return all.length > 0 ? Object.freeze(all) : undefined;
}
