// SPDX-License-Identifier: MIT
/**
 * The benchmark services, written once against the API both SDKs share (`service`, `object`,
 * `endpoint`, `RestatePromise`, `ctx.run`, `ctx.sleep`, `ctx.get/set`, `ctx.serviceClient`) and
 * instantiated with either SDK's module namespace.
 *
 * `BenchSdk` is the structural slice of that API the services use; both `restate-hono` and
 * `@restatedev/restate-sdk` are passed to it without casts (see the `endpoint-*.ts` entries).
 */

/** The context operations the services use. */
export interface BenchContext {
  run<T>(name: string, action: () => Promise<T>): PromiseLike<T>;
  sleep(millis: number): PromiseLike<void>;
  serviceClient(definition: BenchDefinition): CalleeClient;
}

/** The object context operations the services use. */
export interface BenchObjectContext extends BenchContext {
  get<T>(name: string): PromiseLike<T | null>;
  set<T>(name: string, value: T): void;
}

/** A service definition value: opaque here, only bound to an endpoint or passed to a client. */
export interface BenchDefinition {
  readonly name: string;
}

/** The client of `Callee`, as `ctx.serviceClient(callee)` returns it. */
export interface CalleeClient {
  echo(value: number): PromiseLike<number>;
}

export interface BenchEndpoint {
  bind(definition: BenchDefinition): BenchEndpoint;
  listen(port?: number): Promise<number>;
}

/**
 * The part of an SDK module namespace the benchmark uses.
 *
 * Method syntax on purpose: TypeScript compares method parameters bivariantly, so each SDK's own,
 * stricter handler typing (`(ctx: Context, input) => Promise<O>` with its own `Context`) is
 * accepted for `handlers: object`. The handlers below are therefore typed against
 * {@link BenchContext}, a subset of both SDKs' `Context` that the compiler does not cross-check;
 * the driver validates every response, so a mismatch shows up as failed invocations.
 */
export interface BenchSdk {
  service(init: { name: string; handlers: object }): BenchDefinition;
  object(init: { name: string; handlers: object }): BenchDefinition;
  endpoint(): BenchEndpoint;
  readonly RestatePromise: {
    all(promises: readonly PromiseLike<unknown>[]): PromiseLike<unknown[]>;
  };
}

/** Fan-out width of `FanOut.fan`. */
export const FAN_OUT = 5;
/** Sleep of `Sleeper.nap`, in milliseconds. */
export const SLEEP_MS = 10;

/**
 * The services: `Greeter.greet` (no context operations), `Steps.run` (n sequential `ctx.run`),
 * `Counter.add` (object state read-modify-write), `FanOut.fan` (5 concurrent calls to
 * `Callee.echo`) and `Sleeper.nap` (a durable sleep).
 *
 * @example
 * const ep = sdk.endpoint();
 * for (const definition of defineBenchServices(sdk)) ep.bind(definition);
 */
export function defineBenchServices(sdk: BenchSdk): readonly BenchDefinition[] {
  const greeter = sdk.service({
    name: "Greeter",
    handlers: {
      greet: async (_ctx: BenchContext, name: string) => `Hello ${name}!`,
    },
  });
  const steps = sdk.service({
    name: "Steps",
    handlers: {
      /** Sums 0..n-1, one `ctx.run` per number, in sequence. */
      run: async (ctx: BenchContext, n: number) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += await ctx.run(`step-${i}`, async () => i);
        return sum;
      },
    },
  });
  const counter = sdk.object({
    name: "Counter",
    handlers: {
      add: async (ctx: BenchObjectContext, by: number) => {
        const next = ((await ctx.get<number>("count")) ?? 0) + by;
        ctx.set("count", next);
        return next;
      },
    },
  });
  const callee = sdk.service({
    name: "Callee",
    handlers: {
      echo: async (_ctx: BenchContext, value: number) => value,
    },
  });
  const fanOut = sdk.service({
    name: "FanOut",
    handlers: {
      /** Calls `Callee.echo(0..n-1)` concurrently and sums the answers. */
      fan: async (ctx: BenchContext, n: number) => {
        const client = ctx.serviceClient(callee);
        const calls = Array.from({ length: n }, (_, i) => client.echo(i));
        const values = await sdk.RestatePromise.all(calls);
        return values.reduce((sum: number, value) => sum + Number(value), 0);
      },
    },
  });
  const sleeper = sdk.service({
    name: "Sleeper",
    handlers: {
      nap: async (ctx: BenchContext, millis: number) => {
        await ctx.sleep(millis);
        return "ok";
      },
    },
  });
  return [greeter, steps, counter, callee, fanOut, sleeper];
}

/**
 * Binds the benchmark services to a new endpoint of `sdk` and listens on HTTP/2 (`port` 0 = any).
 *
 * @example
 * const port = await listenBenchEndpoint(sdk, 0);
 */
export function listenBenchEndpoint(sdk: BenchSdk, port: number): Promise<number> {
  const ep = sdk.endpoint();
  for (const definition of defineBenchServices(sdk)) ep.bind(definition);
  return ep.listen(port);
}
