// SPDX-License-Identifier: MIT
// `ctx.get/stateKeys/set/clear/clearAll`: the state commands of objects and workflows, one engine
// operation each. Reads are durable promises; writes are journaled at once and return nothing.
import type { JournalVm } from "../journal/vm.js";
import { CommandType } from "../journal/message-types.js";
import type { Serde } from "../serde/serde.js";
import type { RestatePromise } from "./types.js";
import type { PromiseHost } from "./restate-promise.js";
import { payloadOf } from "./failures.js";

/** The state of the invocation's object or workflow, untyped (the context narrows the types). */
export class StateAccess {
  readonly #vm: JournalVm;
  readonly #promises: PromiseHost;
  readonly #defaultSerde: Serde<unknown>;

  /** @param defaultSerde - for values read or written without a serde of their own. */
  constructor(vm: JournalVm, promises: PromiseHost, defaultSerde: Serde<unknown>) {
    this.#vm = vm;
    this.#promises = promises;
    this.#defaultSerde = defaultSerde;
  }

  /** The value of `name`, or `null` when it is not set. */
  get<T>(name: string, serde: Serde<T> = this.#defaultSerde as Serde<T>): RestatePromise<T | null> {
    const leaf = this.#vm.sysGetState(name);
    return this.#promises.payloadPromise<T | null>(
      leaf,
      (bytes) => serde.deserialize(bytes),
      null,
      this.#promises.lastCommand(CommandType.GetLazyState),
    );
  }

  stateKeys(): RestatePromise<string[]> {
    return this.#promises.wrap(this.#vm.sysGetStateKeys(), (o) => {
      if (o.kind === "leaf" && o.result.kind === "stateKeys") return [...o.result.keys];
      payloadOf(o);
      throw new TypeError("expected state keys");
    });
  }

  set<T>(name: string, value: T, serde: Serde<T> = this.#defaultSerde as Serde<T>): void {
    const bytes = this.#promises.serializeFor(CommandType.SetState, serde, value);
    if (bytes !== undefined) this.#vm.sysSetState(name, bytes);
  }

  clear(name: string): void {
    this.#vm.sysClearState(name);
  }

  clearAll(): void {
    this.#vm.sysClearAllState();
  }
}
