// SPDX-License-Identifier: MIT
// The new code, in the two forms deploy-check accepts: definitions (from the caller or from a
// module's exports), which can replay journals and describe themselves; or only an endpoint URL,
// whose discovery manifest describes the services but cannot replay anything.
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { DEFINITION, type AnyDefinition } from "../definitions/service.js";
import { type ServiceEntry, toServiceEntry } from "../definitions/registry.js";
import {
  type EndpointManifest,
  type ServiceManifest,
  buildManifest,
} from "../endpoint/discovery.js";
import type { FetchFn } from "../clients/transport.js";

/**
 * The new code: its manifest, and its handlers when it was given as code.
 *
 * @example
 * const code = await loadCode({ module: "./dist/services.js" });
 */
export interface NewCode {
  readonly services: readonly ServiceManifest[];
  /** Runnable handlers by service name; undefined when only an endpoint URL was given. */
  readonly entries: ReadonlyMap<string, ServiceEntry> | undefined;
}

/** Finds the definitions among a module's exports (also inside exported arrays and objects). */
export function definitionsOf(exports: Record<string, unknown>): AnyDefinition[] {
  const found = new Map<string, AnyDefinition>();
  const visit = (value: unknown, depth: number): void => {
    if (typeof value !== "object" || value === null) return;
    if (isDefinition(value)) {
      found.set(value.name, value);
    } else if (depth < 2) {
      for (const inner of Array.isArray(value) ? value : Object.values(value))
        visit(inner, depth + 1);
    }
  };
  for (const value of Object.values(exports)) visit(value, 0);
  return [...found.values()];
}

function isDefinition(value: object): value is AnyDefinition {
  return (value as Record<symbol, unknown>)[DEFINITION] === true;
}

/** The manifest our own endpoint would publish for `definitions`. */
export function codeFromDefinitions(definitions: readonly AnyDefinition[]): NewCode {
  const entries = new Map(definitions.map((d) => [d.name, toServiceEntry(d)]));
  const manifest = buildManifest([...entries.values()], 4, "BIDI_STREAM");
  return { services: manifest.services, entries };
}

/**
 * Imports a module (a path, relative to the working directory, or a URL) and takes the
 * definitions it exports.
 *
 * @throws Error when it exports none.
 */
export async function codeFromModule(specifier: string): Promise<NewCode> {
  const url = /^[a-z]+:/i.test(specifier)
    ? specifier
    : pathToFileURL(isAbsolute(specifier) ? specifier : resolve(specifier)).href;
  const exports = (await import(url)) as Record<string, unknown>;
  const definitions = definitionsOf(exports);
  if (definitions.length === 0) {
    throw new Error(`${specifier} exports no service, object or workflow definitions`);
  }
  return codeFromDefinitions(definitions);
}

/**
 * Reads the manifest of an endpoint serving the new code (`GET /discover`).
 *
 * @throws Error when the endpoint does not answer with a manifest.
 */
export async function codeFromEndpoint(url: string, fetchFn: FetchFn = fetch): Promise<NewCode> {
  const response = await fetchFn(`${url.replace(/\/+$/, "")}/discover`, {
    method: "GET",
    headers: {
      accept:
        "application/vnd.restate.endpointmanifest.v4+json, application/vnd.restate.endpointmanifest.v3+json, application/vnd.restate.endpointmanifest.v2+json",
    },
  });
  if (!response.ok) {
    throw new Error(`${url}/discover answered ${response.status}: ${await response.text()}`);
  }
  const manifest = (await response.json()) as EndpointManifest;
  if (!Array.isArray(manifest.services)) throw new Error(`${url}/discover sent no services`);
  return { services: manifest.services, entries: undefined };
}
