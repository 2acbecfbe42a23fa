// SPDX-License-Identifier: MIT
// Durable state of virtual objects and workflows, per service and key, as raw bytes.

/** The state of every object/workflow key in the environment. */
export class StateStore {
  readonly #byKey = new Map<string, Map<string, Uint8Array>>();

  /** The (mutable) state of one key; created empty on first use. */
  of(service: string, key: string): Map<string, Uint8Array> {
    const id = `${service}/${key}`;
    let state = this.#byKey.get(id);
    if (state === undefined) {
      state = new Map();
      this.#byKey.set(id, state);
    }
    return state;
  }

  /** A copy of one key's state, sorted by name, for a StartMessage's eager `state_map`. */
  snapshot(service: string, key: string): Array<{ key: string; value: Uint8Array }> {
    return [...this.of(service, key)]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => ({ key: name, value }));
  }
}
