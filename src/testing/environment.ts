// SPDX-License-Identifier: MIT
// `TestEnvironment`: the public face of the in-memory runtime. (A facade with many methods on
// purpose: tests read best as `env.advance(…)`, `env.state(…)`, `env.mock(…)`. Each method is a
// few lines delegating to the runtime's modules; the file is long for their TSDoc examples.)
import { toLogger } from "../context/log-transport.js";
import { loadProtocolCodec } from "../context/protocol-codec-loader.js";
import { awakeableId } from "../journal/ids.js";
import { SIGNAL_NOTIFICATION_TYPE } from "../journal/message-types.js";
import { errorOf } from "../context/failures.js";
import { json } from "../serde/json.js";
import type { Serde } from "../serde/serde.js";
import type { HandlerOutput, HandlersOf } from "../definitions/clients.js";
import type { IngressClient, IngressSendClient, SendHandle } from "./clients.js";
import { deliverAwakeable } from "./commands.js";
import { cancel, kill } from "./control.js";
import { type TestDuration, toMs } from "./duration.js";
import {
  type InvocationInfo,
  type InvocationRef,
  TEST_ENVIRONMENT_DEFAULTS,
  type TestEnvironmentOptions,
} from "./environment-options.js";
import type { InjectionFilter } from "./injections.js";
import { Ingress, type Named, nameOf } from "./ingress.js";
import { type Invocation, failure } from "./invocation.js";
import { type JournalEntry, journalView } from "./journal-view.js";
import type { MockService } from "./mocks.js";
import type { RecordedJournal } from "./replay-journal.js";
import { Runtime } from "./runtime.js";
import { type StateAccess, stateAccess } from "./state-access.js";
import { type WorkflowAccess, workflowPromise } from "./workflow-access.js";

/** What a workflow's `run` handler returns (`unknown` for an untyped reference). */
export type WorkflowRunOutput<D> = "run" extends keyof HandlersOf<D>
  ? HandlerOutput<HandlersOf<D>["run"]>
  : unknown;

/**
 * An in-memory Restate runtime for unit tests: it plays the server's role and drives the real
 * engine, so handlers are journaled, suspended and replayed as in production, on a virtual clock.
 *
 * @example
 * const env = await TestEnvironment.start({ services: [greeter] });
 * expect(await env.serviceClient(greeter).greet("Till")).toBe("Hello Till");
 */
export class TestEnvironment {
  readonly #rt: Runtime;
  readonly #ingress: Ingress;

  private constructor(runtime: Runtime) {
    this.#rt = runtime;
    this.#ingress = new Ingress(runtime);
  }

  /**
   * Starts an environment running `options.services`.
   *
   * @example
   * const env = await TestEnvironment.start({ services: [greeter], seed: 42, now: Date.parse("2026-01-01") });
   */
  static async start(options: Partial<TestEnvironmentOptions> = {}): Promise<TestEnvironment> {
    const merged = { ...TEST_ENVIRONMENT_DEFAULTS, ...options };
    const now = options.now === undefined ? Date.now() : Number(options.now);
    const logger = toLogger(merged.logger);
    // The engine imports its protobuf codec on first need, which takes real time the runtime's
    // quiet-turn watch cannot see: loaded now, no attempt suspends while it waits for the import.
    await loadProtocolCodec();
    const provider = options.journalValueCodecProvider;
    const valueCodec = provider === undefined ? undefined : await provider();
    return new TestEnvironment(
      new Runtime({
        ...merged,
        logger,
        seed: BigInt(merged.seed),
        now,
        ...(valueCodec !== undefined ? { valueCodec } : {}),
      }),
    );
  }

  /**
   * A client of a service; each call is a new invocation and resolves to its output.
   *
   * @example
   * expect(await env.serviceClient(greeter).greet("Till")).toBe("Hello Till");
   */
  serviceClient<D>(service: D & Named): IngressClient<D> {
    return this.#ingress.client(service, undefined);
  }
  /**
   * A client of one virtual object key.
   *
   * @example
   * await env.objectClient(cart, "Mary").add("apple", { idempotencyKey: "req-1" });
   */
  objectClient<D>(object: D & Named, key: string): IngressClient<D> {
    return this.#ingress.client(object, key);
  }
  /** A client of one workflow id: `run` starts it (once), the shared handlers interact with it. */
  workflowClient<D>(workflow: D & Named, key: string): IngressClient<D> {
    return this.#ingress.client(workflow, key);
  }
  /**
   * A one-way client of a service: returns a {@link SendHandle} at once.
   *
   * @example
   * const handle = env.serviceSendClient(greeter).greet("x", { delay: "10m", idempotencyKey: "k" });
   */
  serviceSendClient<D>(service: D & Named): IngressSendClient<D> {
    return this.#ingress.sendClient(service, undefined);
  }
  objectSendClient<D>(object: D & Named, key: string): IngressSendClient<D> {
    return this.#ingress.sendClient(object, key);
  }
  workflowSendClient<D>(workflow: D & Named, key: string): IngressSendClient<D> {
    return this.#ingress.sendClient(workflow, key);
  }

  /**
   * Waits for an invocation's output; rejects with its `TerminalError`, a
   * {@link NonDeterminismError}, or an {@link InvocationPausedError}.
   *
   * @example
   * await env.advance("15m");
   * expect(await env.result(handle)).toBe("Hello x");
   */
  result<O>(handle: SendHandle<O>): Promise<O>;
  result(invocation: InvocationRef): Promise<unknown>;
  result(invocation: InvocationRef): Promise<unknown> {
    return this.#ingress.result(this.#get(invocation));
  }

  /** Same as {@link TestEnvironment.result}: waits for the invocation to complete. */
  attach(invocation: InvocationRef): Promise<unknown> {
    return this.result(invocation);
  }

  /** The output if the invocation completed (throws its `TerminalError`), without waiting. */
  output<T = unknown>(invocation: InvocationRef): { ready: true; value: T } | { ready: false } {
    const inv = this.#get(invocation);
    const result = inv.result;
    if (result === undefined) return { ready: false };
    if (inv.fatal !== undefined) throw inv.fatal;
    if (result.kind === "failure") throw errorOf(result);
    return {
      ready: true,
      value: this.#ingress
        .serdes(inv.target)
        .output.deserialize(this.#rt.codec.decodeNow(result.value, "env.output()")) as T,
    };
  }

  /**
   * What the runtime knows about an invocation: status, attempts, failures.
   *
   * @example
   * expect(env.invocation(handle)).toMatchObject({ status: "backing-off", attempts: 1 });
   */
  invocation(invocation: InvocationRef): InvocationInfo {
    const inv = this.#get(invocation);
    const { service, handler, key } = inv.target;
    return {
      id: inv.id,
      service,
      handler,
      ...(key !== undefined ? { key } : {}),
      status: inv.status,
      attempts: inv.attempts,
      failures: [...inv.failures],
    };
  }

  /** Every invocation so far, optionally of one service (and handler). */
  invocations(filter: { service?: Named; handler?: string } = {}): InvocationInfo[] {
    const service = filter.service !== undefined ? nameOf(filter.service) : undefined;
    return [...this.#rt.invocations.values()]
      .filter((i) => service === undefined || i.target.service === service)
      .filter((i) => filter.handler === undefined || i.target.handler === filter.handler)
      .map((i) => this.invocation(i.id));
  }

  /**
   * Cancels, like the admin API: the handler sees a `CancelledError` at its next await (and
   * cancels the calls it waits for); an invocation that has not started ends `[409] Cancelled`.
   * False when it had already completed (the server answers 409 then).
   *
   * @example
   * env.cancel(handle);
   * await expect(env.result(handle)).rejects.toMatchObject({ code: 409 });
   */
  cancel(invocation: InvocationRef): boolean {
    return cancel(this.#rt, this.#get(invocation));
  }
  /**
   * Kills the invocation (and its calls) without running more user code: result `[409] killed`.
   * False when it had already completed (the server answers 409 then).
   */
  kill(invocation: InvocationRef): boolean {
    return kill(this.#rt, this.#get(invocation));
  }
  /** Resumes a paused invocation (one that exhausted its retry policy). */
  resume(invocation: InvocationRef): void {
    this.#rt.restart(this.#get(invocation));
  }

  /**
   * The state of an object or workflow key, to seed and inspect.
   *
   * @example
   * env.state(cart, "Mary").set("items", []);
   * expect(env.state(cart, "Mary").get("items")).toEqual(["apple"]);
   */
  state(definition: Named, key: string): StateAccess {
    return stateAccess(this.#rt.state.of(nameOf(definition), key), this.#rt.codec);
  }

  /**
   * A workflow id: its durable promises, its state and its `run` result.
   *
   * @example
   * env.workflow(signup, "u1").promise("email-link").resolve("secret");
   */
  workflow<D>(definition: D & Named, key: string): WorkflowAccess<WorkflowRunOutput<D>> {
    const name = nameOf(definition);
    const rt = this.#rt;
    const run = () => rt.lookup("workflow", `${name}/${key}`);
    return {
      state: this.state(name, key),
      promise: (promise, serde) =>
        workflowPromise(rt.promises, `${name}/${key}`, promise, serde, rt.codec),
      get invocationId() {
        return run()?.id;
      },
      result: async () => {
        const inv = run();
        if (inv === undefined) throw new Error(`Workflow ${name}/${key} was not started`);
        return (await this.#ingress.result(inv)) as WorkflowRunOutput<D>;
      },
    };
  }

  /**
   * A mock for a service the environment does not run (or overrides one it runs). Its handlers'
   * calls are recorded; implementations may return, throw a `TerminalError`, or throw any other
   * error to fail the attempt (retried on the virtual clock).
   *
   * @example
   * const charge = env.mock("Payments").handler("charge", (input, call) => ({ ok: true }));
   * expect(charge.calls[0]).toMatchObject({ input: { amount: 10 }, idempotencyKey: "o-1" });
   */
  mock<D>(service: D & Named): MockService<D> {
    return this.#rt.mocks.service<D>(service);
  }

  /** The current virtual time (ms since the epoch). */
  now(): number {
    return this.#rt.clock.now();
  }

  /**
   * Moves virtual time forward, firing every timer that falls due (sleeps, delayed sends,
   * `orTimeout`s, retries) in time order, and waits until everything they started has settled.
   * Mock implementations must settle on their own meanwhile (not wait for the test).
   *
   * @example
   * const handle = env.serviceSendClient(timers).napDay();
   * await env.advance("1d");
   * expect(await handle.result()).toBe("rested");
   */
  async advance(duration: TestDuration): Promise<void> {
    const { clock } = this.#rt;
    const target = clock.now() + toMs(duration);
    await this.#rt.idle();
    for (let at = clock.nextAt(); at !== undefined && at <= target; at = clock.nextAt()) {
      clock.moveTo(at);
      this.#rt.fireDue();
      await this.#rt.idle();
    }
    clock.moveTo(target);
    await this.#rt.idle();
  }

  /** Waits until nothing runs: every invocation completed, suspended or waiting for time. */
  idle(): Promise<void> {
    return this.#rt.idle();
  }

  /**
   * The id of the `n`-th awakeable (0-based) the invocation creates, to resolve it from the test.
   *
   * @example
   * env.resolveAwakeable(env.awakeableId(handle), "approved");
   */
  awakeableId(invocation: InvocationRef, n = 0): string {
    return awakeableId(this.#get(invocation).bytes, 17 + n);
  }

  /** Resolves an awakeable, like `POST /restate/awakeables/{id}/resolve`. */
  resolveAwakeable<T>(id: string, value?: T, serde?: Serde<T>): void {
    const bytes = this.#rt.codec.encode(
      serde ? serde.serialize(value as T) : json.serialize(value),
    );
    if (!deliverAwakeable(this.#rt, id, { kind: "value", value: bytes })) {
      throw new Error(`Unknown awakeable ${id}`);
    }
  }

  /** Rejects an awakeable: the handler's await throws a `TerminalError`. */
  rejectAwakeable(id: string, reason: string | { message: string; code?: number }): void {
    if (!deliverAwakeable(this.#rt, id, failureOf(reason)))
      throw new Error(`Unknown awakeable ${id}`);
  }

  /**
   * Sends the named signal `name` to an invocation (awaited with `ctx.signal(name)`).
   *
   * @example
   * env.signal(handle, "go", 1);
   */
  signal<T>(invocation: InvocationRef, name: string, value?: T, serde?: Serde<T>): void {
    const bytes = this.#rt.codec.encode(
      serde ? serde.serialize(value as T) : json.serialize(value),
    );
    this.#deliverSignal(invocation, name, { kind: "value", value: bytes });
  }

  /** Rejects the named signal `name` of an invocation. */
  rejectSignal(
    invocation: InvocationRef,
    name: string,
    reason: string | { message: string; code?: number },
  ): void {
    this.#deliverSignal(invocation, name, failureOf(reason));
  }

  /**
   * The invocation's journal, one readable entry per command.
   *
   * @example
   * expect(env.journal(handle).map((e) => e.type)).toEqual(["Input", "Sleep", "Run", "Output"]);
   */
  journal(invocation: InvocationRef): JournalEntry[] {
    return journalView(this.#get(invocation).journal);
  }

  /** The invocation's stored journal (protocol payloads) and start facts, for `replayJournal`. */
  rawJournal(invocation: InvocationRef): RecordedJournal {
    const inv = this.#get(invocation);
    return {
      invocationId: inv.id,
      ...(inv.target.key !== undefined ? { key: inv.target.key } : {}),
      seed: inv.seed,
      entries: inv.journal.entries.map(({ type, payload }) => ({ type, payload })),
    };
  }

  /**
   * The next `times` executions of the `ctx.run` named `name` fail as if the closure had thrown
   * (the closure does not run): the run's retry policy decides what follows, as in production —
   * by default the attempt fails and is retried on the virtual clock.
   *
   * @example
   * env.failRun("charge", 2);
   */
  failRun(
    name: string,
    times = 1,
    options: Omit<InjectionFilter, "times"> & { message?: string } = {},
  ): void {
    const message = options.message ?? `Injected failure of run "${name}"`;
    this.#rt.injections.failRun(name, times, message, options);
  }

  /**
   * Crashes the attempt of a matching invocation right after it stores command `index`
   * (InputCommand = 0); the retry replays the journal.
   *
   * @example
   * env.crashAfter(2, { service: "Orders" });
   */
  crashAfter(index: number, filter: InjectionFilter = {}): void {
    this.#rt.injections.onCommand(index, "crash", filter);
  }

  /**
   * Cancels a matching invocation right after it stores command `index`.
   *
   * @example
   * env.cancelAfter(3, { handler: "book" });
   */
  cancelAfter(index: number, filter: InjectionFilter = {}): void {
    this.#rt.injections.onCommand(index, "cancel", filter);
  }

  #deliverSignal(
    invocation: InvocationRef,
    name: string,
    result: Parameters<Runtime["deliver"]>[3],
  ) {
    this.#rt.deliver(
      this.#get(invocation),
      SIGNAL_NOTIFICATION_TYPE,
      { kind: "named", id: name },
      result,
    );
  }

  #get(invocation: InvocationRef): Invocation {
    const id = typeof invocation === "string" ? invocation : invocation.invocationId;
    const inv = this.#rt.invocations.get(id);
    if (inv === undefined) throw new Error(`Unknown invocation ${id}`);
    return inv;
  }
}

function failureOf(reason: string | { message: string; code?: number }) {
  return typeof reason === "string"
    ? failure(500, reason)
    : failure(reason.code ?? 500, reason.message);
}
