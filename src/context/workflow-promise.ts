// SPDX-License-Identifier: MIT
// A workflow's durable promise, by name. Creating one writes nothing; each use is one command.
import type { JournalVm } from "../journal/vm.js";
import { CommandType } from "../journal/message-types.js";
import type { Serde } from "../serde/serde.js";
import type { TerminalError } from "../errors.js";
import type { Duration } from "../definitions/duration.js";
import type { DurablePromise, RestatePromise } from "./types.js";
import type { PromiseHost } from "./restate-promise.js";
import { type RejectReason, failureFromReason, payloadOf } from "./failures.js";

export class WorkflowPromise<T> implements DurablePromise<T> {
  readonly [Symbol.toStringTag] = "DurablePromise";
  readonly #host: PromiseHost;
  readonly #vm: JournalVm;
  readonly #name: string;
  readonly #serde: Serde<T>;

  constructor(host: PromiseHost, vm: JournalVm, name: string, serde: Serde<T>) {
    this.#host = host;
    this.#vm = vm;
    this.#name = name;
    this.#serde = serde;
  }

  /**
   * Journals a GetPromise command on every call, as the official SDK does (awaiting the durable
   * promise itself calls it too), so that both SDKs write the same journal.
   */
  get(): RestatePromise<T> {
    const leaf = this.#vm.sysGetPromise(this.#name);
    return this.#host.valuePromise(
      leaf,
      this.#serde,
      this.#host.lastCommand(CommandType.GetPromise),
    );
  }

  peek(): Promise<T | undefined> {
    const leaf = this.#vm.sysPeekPromise(this.#name);
    return this.#host.payloadPromise<T | undefined>(
      leaf,
      (bytes) => this.#serde.deserialize(bytes),
      undefined,
      this.#host.lastCommand(CommandType.PeekPromise),
    );
  }

  resolve(value?: T): Promise<void> {
    const bytes = this.#host.serializeFor(CommandType.CompletePromise, this.#serde, value as T);
    if (bytes === undefined) return new Promise<void>(() => undefined);
    const leaf = this.#vm.sysCompletePromise(this.#name, { value: bytes });
    return this.#host.wrap(leaf, (o) => void payloadOf(o));
  }

  reject(reason: RejectReason): Promise<void> {
    const leaf = this.#vm.sysCompletePromise(this.#name, { failure: failureFromReason(reason) });
    return this.#host.wrap(leaf, (o) => void payloadOf(o));
  }

  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.get().then(onfulfilled, onrejected);
  }
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.get().catch(onrejected);
  }
  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.get().finally(onfinally);
  }
  orTimeout(duration: Duration): RestatePromise<T> {
    return this.get().orTimeout(duration);
  }
  map<U>(mapper: (value?: T, failure?: TerminalError) => U): RestatePromise<U> {
    return this.get().map(mapper);
  }
}
