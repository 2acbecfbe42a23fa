// SPDX-License-Identifier: MIT
// `mockContext()`: the smallest unit test. A test passes a `ctx` straight into one handler
// function; behind it an ad-hoc single-handler service runs on the in-memory runtime, so the ctx is
// the real one (journaled, replayed), with state, mocks and virtual time from the environment.
import type {
  Context,
  ObjectContext,
  ObjectSharedContext,
  WorkflowContext,
  WorkflowSharedContext,
} from "../context/types.js";
import { handlers, object, service, workflow } from "../definitions/service.js";
import type { ServiceDefinition } from "../definitions/service.js";
import { TestEnvironment } from "./environment.js";
import type { TestEnvironmentOptions } from "./environment-options.js";
import type { JournalEntry } from "./journal-view.js";
import type { StateAccess } from "./state-access.js";

/** Which `ctx` a {@link mockContext} hands out. */
export type ContextFlavour = "service" | "object" | "objectShared" | "workflow" | "workflowShared";

/** The context type of a flavour. */
export type ContextOf<F extends ContextFlavour> = {
  service: Context;
  object: ObjectContext;
  objectShared: ObjectSharedContext;
  workflow: WorkflowContext;
  workflowShared: WorkflowSharedContext;
}[F];

/**
 * Options of {@link mockContext}: the flavour, the object/workflow key and its initial state, plus
 * any {@link TestEnvironmentOptions} (services it may call, seed, virtual time…).
 *
 * @example
 * await mockContext({ flavour: "object", key: "Mary", state: { count: 1 } });
 */
export interface MockContextOptions<F extends ContextFlavour> extends TestEnvironmentOptions {
  readonly flavour: F;
  /** The object or workflow key (ignored for services). */
  readonly key: string;
  /** Initial state of the key, JSON-encoded. */
  readonly state: Readonly<Record<string, unknown>>;
}

/**
 * A ready-to-use `ctx` factory and the environment behind it.
 *
 * @example
 * const mc = await mockContext({ flavour: "object", key: "Mary" });
 * expect(await mc.run((ctx) => addItem(ctx, "apple"))).toEqual(["apple"]);
 * expect(mc.state.get("items")).toEqual(["apple"]);
 */
export interface MockContextHarness<F extends ContextFlavour> {
  /** The environment: mocks (`env.mock`), virtual time (`env.advance`), other services. */
  readonly env: TestEnvironment;
  /** The state of the key. */
  readonly state: StateAccess;
  readonly key: string;
  /**
   * Runs `fn` with a real `ctx` as a new invocation and resolves to its (JSON round-tripped)
   * result; a `TerminalError` rejects. `fn` runs again on every replay of the invocation, like a
   * handler: keep side effects in `ctx.run`.
   */
  run<T>(fn: (ctx: ContextOf<F>) => T | Promise<T>): Promise<T>;
  /** The journal of the last `run`. */
  journal(): JournalEntry[];
}

const NAME = "mockContext";

/**
 * Creates a `ctx` for unit-testing one handler function without defining a service.
 *
 * @example
 * const mc = await mockContext({ flavour: "object", key: "Mary", state: { count: 1 } });
 * mc.env.mock("Payments").handler("charge", () => ({ ok: true }));
 * expect(await mc.run((ctx) => checkout(ctx, order))).toBe("paid");
 */
export async function mockContext<F extends ContextFlavour = "service">(
  options: Partial<MockContextOptions<F>> = {},
): Promise<MockContextHarness<F>> {
  const flavour = options.flavour ?? "service";
  const key = options.key ?? "key";
  const functions = new Map<number, (ctx: never) => unknown>();
  const definition = define(flavour, async (ctx, id) => {
    const fn = functions.get(id);
    if (fn === undefined) throw new Error(`mockContext: no function #${id}`);
    return fn(ctx as never);
  });
  const env = await TestEnvironment.start({
    ...options,
    services: [...(options.services ?? []), definition],
  });
  const state = env.state(NAME, key);
  for (const [name, value] of Object.entries(options.state ?? {})) state.set(name, value);
  let last: string | undefined;
  let next = 0;
  return {
    env,
    state,
    key,
    run: async <T>(fn: (ctx: ContextOf<F>) => T | Promise<T>) => {
      const id = next++;
      functions.set(id, fn);
      const handle =
        flavour === "service"
          ? env.serviceSendClient(definition).invoke(id)
          : env.objectSendClient(definition, key).invoke(id);
      last = handle.invocationId;
      return (await handle.result()) as T;
    },
    journal: () => (last === undefined ? [] : env.journal(last)),
  };
}

type Body = (ctx: unknown, id: number) => Promise<unknown>;
/** The ad-hoc definition: one handler taking the id of the function to run. */
type AdHoc = ServiceDefinition<
  typeof NAME,
  { readonly invoke: (ctx: never, id: number) => Promise<unknown> }
>;

/**
 * The ad-hoc definition of a flavour. Workflow flavours use a shared handler at runtime so that
 * every `run` is a new invocation (a workflow's `run` handler would run only once per key); the
 * `ctx` is the same object either way.
 */
function define(flavour: ContextFlavour, body: Body): AdHoc {
  switch (flavour) {
    case "service":
      return service({
        name: NAME,
        handlers: { invoke: (ctx: Context, id: number) => body(ctx, id) },
      });
    case "object":
      return object({
        name: NAME,
        handlers: { invoke: handlers.object.exclusive((ctx, id: number) => body(ctx, id)) },
      });
    case "objectShared":
      return object({
        name: NAME,
        handlers: { invoke: handlers.object.shared((ctx, id: number) => body(ctx, id)) },
      });
    case "workflow":
    case "workflowShared":
      // No `run` handler: each `run` of the mock is a new invocation of the shared handler, which
      // the workflow() typing (requiring `run`) does not foresee.
      return workflow<typeof NAME, { invoke: (ctx: never, id: number) => Promise<unknown> }>({
        name: NAME,
        handlers: {
          invoke: handlers.workflow.shared((ctx, id: number) => body(ctx, id)),
        } as never,
      });
  }
}
