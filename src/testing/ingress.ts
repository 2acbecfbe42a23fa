// SPDX-License-Identifier: MIT
// Requests from the test, as the HTTP ingress would make them: invocations created from typed
// clients, and their results decoded with the handler's serdes.
import { errorOf } from "../context/failures.js";
import { ensureError } from "../errors.js";
import { json } from "../serde/json.js";
import type { Serde } from "../serde/serde.js";
import {
  type IngressCallOptions,
  type IngressSendOptions,
  type SendHandle,
  handlerProxy,
} from "./clients.js";
import { toMs } from "./duration.js";
import { InvocationPausedError } from "./reported-errors.js";
import type { Invocation, InvocationTarget } from "./invocation.js";
import type { Runtime } from "./runtime.js";

/** A definition or a bare service name. */
export type Named = string | { readonly name: string };

/** The name of a definition or of a bare name. */
export function nameOf(ref: Named): string {
  return typeof ref === "string" ? ref : ref.name;
}

/** The client side of the runtime. */
export class Ingress {
  readonly #rt: Runtime;

  constructor(runtime: Runtime) {
    this.#rt = runtime;
  }

  /** A request/response client proxy. */
  client(service: Named, key: string | undefined) {
    return handlerProxy(
      (handler) => (input?: unknown, options?: IngressCallOptions) =>
        this.result(this.invoke(nameOf(service), handler, key, input, options)),
    );
  }

  /** A one-way client proxy. */
  sendClient(service: Named, key: string | undefined) {
    return handlerProxy(
      (handler) =>
        (input?: unknown, options?: IngressSendOptions): SendHandle => {
          const before = this.#rt.invocations.size;
          const inv = this.invoke(nameOf(service), handler, key, input, options);
          // No new invocation: the key (or workflow id) matched an earlier one.
          const status = this.#rt.invocations.size > before ? "Accepted" : "PreviouslyAccepted";
          return { invocationId: inv.id, status, result: () => this.result(inv) };
        },
    );
  }

  /** Creates (or finds, for a repeated idempotency key) the invocation of one request. */
  invoke(
    service: string,
    handler: string,
    key: string | undefined,
    input: unknown,
    options: IngressSendOptions = {},
  ): Invocation {
    const kind = this.#rt.services.get(service)?.kind;
    if (kind !== undefined && (kind === "service") !== (key === undefined)) {
      throw new TypeError(
        kind === "service"
          ? `${service} is a service: use serviceClient / serviceSendClient (no key)`
          : `${service} is a ${kind === "object" ? "virtual object" : "workflow"}: ` +
              `use ${kind}Client / ${kind}SendClient with a key`,
      );
    }
    const target = { service, handler, ...(key !== undefined ? { key } : {}) };
    const delay = options.delay !== undefined ? toMs(options.delay) : 0;
    return this.#rt.invoke({
      target,
      input: this.#rt.codec.encode(this.serdes(target).input.serialize(input)),
      headers: Object.entries(options.headers ?? {}),
      ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
      ...(delay > 0 ? { invokeAt: this.#rt.clock.now() + delay } : {}),
    });
  }

  /**
   * The invocation's output, decoded; rejects with its `TerminalError`, its
   * `NonDeterminismError`, or an `InvocationPausedError` when it pauses.
   */
  result(inv: Invocation): Promise<unknown> {
    return new Promise((resolve, reject) => {
      inv.watch({
        completed: (result) => {
          if (inv.fatal !== undefined) reject(inv.fatal);
          else if (result.kind === "failure") reject(errorOf(result));
          else if (this.#rt.codec.codec === undefined) {
            try {
              resolve(this.serdes(inv.target).output.deserialize(result.value));
            } catch (e) {
              reject(ensureError(e));
            }
          } else {
            const output = this.serdes(inv.target).output;
            this.#rt.codec
              .decode(result.value)
              .then((bytes) => resolve(output.deserialize(bytes)))
              .catch((e: unknown) => reject(ensureError(e)));
          }
        },
        paused: () => reject(new InvocationPausedError(inv.id, [...inv.failures])),
      });
    });
  }

  /** The serdes of a handler: its mock's, its definition's, or JSON. */
  serdes(target: InvocationTarget): { input: Serde<unknown>; output: Serde<unknown> } {
    const { service, handler } = target;
    const mock = this.#rt.mocks.find(service, handler);
    if (mock !== undefined) return { input: mock.inputSerde, output: mock.outputSerde };
    const entry = this.#rt.services.get(service)?.handlers.get(handler);
    return entry ?? { input: json, output: json };
  }
}
