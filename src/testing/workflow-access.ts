// SPDX-License-Identifier: MIT
// A workflow id seen from a test: its durable promises, its state and its `run` result.
import type { EnvironmentCodec } from "./value-codec.js";
import { json } from "../serde/json.js";
import type { Serde } from "../serde/serde.js";
import { errorOf } from "../context/failures.js";
import type { PromiseStore } from "./promise-store.js";
import type { StateAccess } from "./state-access.js";

/**
 * A workflow's durable promise, completed from the test as another handler would.
 *
 * @example
 * env.workflow(signup, "u1").promise<string>("email-link").resolve("secret");
 */
export interface WorkflowPromiseAccess<T> {
  /** @throws Error if the promise was already completed. */
  resolve(value?: T): void;
  /** @throws Error if the promise was already completed. */
  reject(reason: string | { message: string; code?: number }): void;
  /** The value if resolved, `undefined` if not yet; throws the `TerminalError` if rejected. */
  peek(): T | undefined;
  readonly isCompleted: boolean;
}

/**
 * One workflow id: durable promises, state, and the result of its `run` handler.
 *
 * @example
 * const wf = env.workflow(signup, "u1");
 * wf.promise("email-link").resolve("secret");
 * expect(await wf.result()).toBe("u1@example.com verified");
 */
export interface WorkflowAccess<O = unknown> {
  readonly state: StateAccess;
  promise<T = unknown>(name: string, serde?: Serde<T>): WorkflowPromiseAccess<T>;
  /** The id of the workflow's `run` invocation, once it was started. */
  readonly invocationId: string | undefined;
  /**
   * Waits for the output of the workflow's `run` handler.
   *
   * @throws Error (rejection) if the workflow was not started.
   */
  result(): Promise<O>;
}

/** Builds a {@link WorkflowPromiseAccess} over the promise store. */
export function workflowPromise<T>(
  promises: PromiseStore,
  workflow: string,
  name: string,
  serde: Serde<T> | undefined,
  codec: EnvironmentCodec,
): WorkflowPromiseAccess<T> {
  const complete = (result: Parameters<PromiseStore["complete"]>[2]) => {
    if (!promises.complete(workflow, name, result)) {
      throw new Error(`The promise "${name}" of workflow ${workflow} was already completed`);
    }
  };
  return {
    resolve: (value) =>
      complete({
        kind: "value",
        value: codec.encode(serde ? serde.serialize(value as T) : json.serialize(value)),
      }),
    reject: (reason) =>
      complete({
        kind: "failure",
        code: typeof reason === "string" ? 500 : (reason.code ?? 500),
        message: typeof reason === "string" ? reason : reason.message,
        metadata: [],
      }),
    peek: () => {
      const result = promises.peek(workflow, name);
      if (result === undefined) return undefined;
      if (result.kind === "failure") throw errorOf(result);
      const bytes = codec.decodeNow(result.value, "a workflow promise's peek()");
      return serde ? serde.deserialize(bytes) : json.deserialize<T>(bytes);
    },
    get isCompleted() {
      return promises.peek(workflow, name) !== undefined;
    },
  };
}
