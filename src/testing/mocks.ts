// SPDX-License-Identifier: MIT
// Mocks: services the environment does not run, answered by test functions. Every call is
// recorded with what the caller sent, for `expect(mock.calls)…` assertions.
import type { HandlerInput, HandlerOutput, HandlersOf } from "../definitions/clients.js";
import type { IsTyped } from "./clients.js";
import { type AnyDefinition, DEFINITION } from "../definitions/service.js";
import { toServiceEntry } from "../definitions/registry.js";
import { json } from "../serde/json.js";
import type { Serde } from "../serde/serde.js";

/**
 * One call of a mocked handler, as the runtime received it.
 *
 * @example
 * expect(charge.calls[0]).toMatchObject({ input: { amount: 10 }, idempotencyKey: "order-1" });
 */
export interface MockCall<I = unknown> {
  readonly input: I;
  /** The headers the caller set (`rpc.opts({ headers })`). */
  readonly headers: Readonly<Record<string, string>>;
  readonly idempotencyKey: string | undefined;
  /** Requested delay of a one-way send, in milliseconds. */
  readonly delay: number | undefined;
  /** The object or workflow key, for keyed targets. */
  readonly key: string | undefined;
  /** The id of the invocation the runtime created for this call. */
  readonly invocationId: string;
  /** 1 for the first attempt; a transient error makes the runtime retry with 2, 3, … */
  readonly attempt: number;
  /** The calling invocation, if the call came from a handler. */
  readonly caller: string | undefined;
}

/**
 * A mock implementation: return the result, throw a `TerminalError` to fail the call, or throw
 * any other error to fail the attempt (the runtime retries it on the virtual clock).
 *
 * @example
 * const impl: MockImplementation<{ amount: number }, { ok: boolean }> = ({ amount }) => ({ ok: amount < 100 });
 */
export type MockImplementation<I, O> = (input: I, call: MockCall<I>) => O | Promise<O>;

/** A handler of a mocked service: its implementation and its recorded calls. */
export class MockHandler<I = unknown, O = unknown> {
  readonly service: string;
  readonly name: string;
  /** Every call, in arrival order (each retry of a call is a new entry). */
  readonly calls: Array<MockCall<I>> = [];
  readonly inputSerde: Serde<I>;
  readonly outputSerde: Serde<O>;
  #impl: MockImplementation<I, O> | undefined;

  constructor(service: string, name: string, serdes: { input: Serde<I>; output: Serde<O> }) {
    this.service = service;
    this.name = name;
    this.inputSerde = serdes.input;
    this.outputSerde = serdes.output;
  }

  /** Sets the implementation (no implementation: every call returns `undefined`). */
  implement(impl: MockImplementation<I, O>): this {
    this.#impl = impl;
    return this;
  }

  /** Answers every call with `value`. */
  returns(value: O): this {
    return this.implement(() => value);
  }

  /** The inputs of all calls so far. */
  get inputs(): I[] {
    return this.calls.map((c) => c.input);
  }

  /** Runs the implementation for one call and records it. */
  async invoke(call: MockCall<I>): Promise<O> {
    this.calls.push(call);
    return (await this.#impl?.(call.input, call)) as O;
  }
}

/** Handler names of a mocked service. */
export type MockHandlerName<D> = IsTyped<D> extends true ? keyof HandlersOf<D> & string : string;
/** The input type of a mocked handler. */
export type MockInput<D, K> =
  IsTyped<D> extends true
    ? K extends keyof HandlersOf<D>
      ? HandlerInput<HandlersOf<D>[K]>
      : never
    : unknown;
/** The output type of a mocked handler. */
export type MockOutput<D, K> =
  IsTyped<D> extends true
    ? K extends keyof HandlersOf<D>
      ? HandlerOutput<HandlersOf<D>[K]>
      : never
    : unknown;

/**
 * A mocked service (or object, or workflow): its handlers, defined one by one.
 *
 * @example
 * const charge = env.mock("Payments").handler("charge", () => ({ ok: true }));
 */
export class MockService<D = unknown> {
  readonly name: string;
  readonly #definition: AnyDefinition | undefined;
  readonly #handlers = new Map<string, MockHandler>();

  constructor(name: string, definition: AnyDefinition | undefined) {
    this.name = name;
    this.#definition = definition;
  }

  /** The mock of handler `name` (created on first use); `impl` replaces its implementation. */
  handler<K extends MockHandlerName<D>>(
    name: K,
    impl?: MockImplementation<MockInput<D, K>, MockOutput<D, K>>,
  ): MockHandler<MockInput<D, K>, MockOutput<D, K>> {
    let mock = this.#handlers.get(name) as
      MockHandler<MockInput<D, K>, MockOutput<D, K>> | undefined;
    if (mock === undefined) {
      const entry =
        this.#definition !== undefined
          ? toServiceEntry(this.#definition).handlers.get(name)
          : undefined;
      mock = new MockHandler(this.name, name, {
        input: entry?.input ?? json,
        output: entry?.output ?? json,
      });
      this.#handlers.set(name, mock);
    }
    if (impl !== undefined) mock.implement(impl);
    return mock;
  }

  /** The handler's mock if one was defined. */
  find(handler: string): MockHandler | undefined {
    return this.#handlers.get(handler);
  }
}

/** The mocks of an environment, by service name. */
export class MockRegistry {
  readonly #services = new Map<string, MockService<unknown>>();

  service<D>(ref: string | D): MockService<D> {
    const definition = isDefinition(ref) ? ref : undefined;
    const name = typeof ref === "string" ? ref : (definition?.name ?? String(ref));
    let mock = this.#services.get(name);
    if (mock === undefined) {
      mock = new MockService(name, definition);
      this.#services.set(name, mock);
    }
    return mock;
  }

  find(service: string, handler: string): MockHandler | undefined {
    return this.#services.get(service)?.find(handler);
  }
}

function isDefinition(value: unknown): value is AnyDefinition {
  return typeof value === "object" && value !== null && DEFINITION in value;
}
