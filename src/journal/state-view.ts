// SPDX-License-Identifier: MIT
// What the attempt knows of the object's state (docs/protocol.md §5.4): the eager state the runtime
// sent, updated by this attempt's own writes. `partial` means keys it does not list may exist.

const utf8 = new TextDecoder();

/** The local view of state: a value, `null` (known absent), or unknown. */
export class StateView {
  readonly #values = new Map<string, Uint8Array | null>();
  #partial: boolean;

  constructor(entries: ReadonlyArray<readonly [Uint8Array, Uint8Array]>, isPartial: boolean) {
    for (const [key, value] of entries) this.#values.set(utf8.decode(key), value);
    this.#partial = isPartial;
  }

  get isPartial(): boolean {
    return this.#partial;
  }

  /** The value, `null` when known to be absent, `undefined` when unknown (ask the runtime). */
  get(key: string): Uint8Array | null | undefined {
    const known = this.#values.get(key);
    return known !== undefined ? known : this.#partial ? undefined : null;
  }

  /** The present keys, sorted (cleared ones excluded). */
  keys(): string[] {
    return [...this.#values]
      .filter(([, v]) => v !== null)
      .map(([k]) => k)
      .sort();
  }

  set(key: string, value: Uint8Array): void {
    this.#values.set(key, value);
  }

  clear(key: string): void {
    this.#values.set(key, null);
  }

  /** After clear-all the view is complete: every key not set since is absent. */
  clearAll(): void {
    this.#values.clear();
    this.#partial = false;
  }
}
