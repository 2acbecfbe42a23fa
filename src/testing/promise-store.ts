// SPDX-License-Identifier: MIT
// Workflow durable promises (docs/protocol.md §6.7): one set per workflow id, each completed once.
import type { InvocationResult } from "./invocation.js";

interface DurablePromiseState {
  result: InvocationResult | undefined;
  readonly waiters: Array<(result: InvocationResult) => void>;
}

/** The durable promises of every workflow id in the environment. */
export class PromiseStore {
  readonly #byWorkflow = new Map<string, Map<string, DurablePromiseState>>();

  #of(workflow: string, name: string): DurablePromiseState {
    let promises = this.#byWorkflow.get(workflow);
    if (promises === undefined) {
      promises = new Map();
      this.#byWorkflow.set(workflow, promises);
    }
    let state = promises.get(name);
    if (state === undefined) {
      state = { result: undefined, waiters: [] };
      promises.set(name, state);
    }
    return state;
  }

  /** Calls `waiter` with the promise's result: now if completed, else when it completes. */
  get(workflow: string, name: string, waiter: (result: InvocationResult) => void): void {
    const state = this.#of(workflow, name);
    if (state.result !== undefined) waiter(state.result);
    else state.waiters.push(waiter);
  }

  /** The result if completed. */
  peek(workflow: string, name: string): InvocationResult | undefined {
    return this.#of(workflow, name).result;
  }

  /** Completes the promise; false (and no change) if it was already completed. */
  complete(workflow: string, name: string, result: InvocationResult): boolean {
    const state = this.#of(workflow, name);
    if (state.result !== undefined) return false;
    state.result = result;
    for (const waiter of state.waiters.splice(0)) waiter(result);
    return true;
  }
}
