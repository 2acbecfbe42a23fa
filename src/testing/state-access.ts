// SPDX-License-Identifier: MIT
// Seeding and inspecting the state of an object or workflow key from a test.
import { json } from "../serde/json.js";
import type { Serde } from "../serde/serde.js";
import type { EnvironmentCodec } from "./value-codec.js";

/**
 * The state of one object or workflow key, read and written directly (JSON by default).
 * Seed it before invoking and inspect it afterwards: an attempt that is already running got its
 * state when it started.
 *
 * @example
 * env.state(cart, "Mary").set("items", ["apple"]);
 * expect(env.state(cart, "Mary").get("items")).toEqual(["apple", "pear"]);
 */
export interface StateAccess {
  /** The value, or `null` when the key holds none (like `ctx.get`). */
  get<T = unknown>(name: string, serde?: Serde<T>): T | null;
  set<T>(name: string, value: T, serde?: Serde<T>): void;
  clear(name: string): void;
  clearAll(): void;
  /** The names that hold a value, sorted. */
  keys(): string[];
  /** Every entry, JSON-decoded. */
  all(): Record<string, unknown>;
}

/** A {@link StateAccess} over one key's stored state. */
export function stateAccess(store: Map<string, Uint8Array>, codec: EnvironmentCodec): StateAccess {
  const read = (bytes: Uint8Array, what: string) => codec.decodeNow(bytes, what);
  return {
    get: <T>(name: string, serde?: Serde<T>) => {
      const bytes = store.get(name);
      const reader: Serde<T> = serde ?? json;
      return bytes === undefined ? null : reader.deserialize(read(bytes, "env.state().get"));
    },
    set: <T>(name: string, value: T, serde?: Serde<T>) => {
      store.set(name, codec.encode((serde ?? json).serialize(value)));
    },
    clear: (name) => {
      store.delete(name);
    },
    clearAll: () => store.clear(),
    keys: () => [...store.keys()].sort(),
    all: () =>
      Object.fromEntries(
        [...store].map(([name, bytes]) => [name, json.deserialize(read(bytes, "env.state().all"))]),
      ),
  };
}
