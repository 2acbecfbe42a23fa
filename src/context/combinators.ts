// SPDX-License-Identifier: MIT
// `RestatePromise.all/race/any/allSettled`: combinators the runtime understands, so an invocation
// waiting on one can suspend and resume with the same winner (PROTOCOL.md §7.1).
import type { CombinatorKind, Future, Outcome } from "../journal/futures.js";
import type { Duration } from "../definitions/duration.js";
import { DurablePromiseNode, childOutcome } from "./restate-promise.js";
import type { RestatePromise as RestatePromiseType } from "./types.js";

/** A promise whose result is known without the runtime (`RestatePromise.resolve/reject`). */
class SettledPromise<T> implements RestatePromiseType<T> {
  readonly [Symbol.toStringTag] = "RestatePromise";
  readonly isFailed: boolean;
  readonly value: T | undefined;
  readonly error: unknown;

  constructor(isFailed: boolean, value: T | undefined, error: unknown) {
    this.isFailed = isFailed;
    this.value = value;
    this.error = error;
  }
  private get native(): Promise<T> {
    // The reason is whatever the user rejected with, exactly as `Promise.reject` would keep it.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- user-chosen reason
    return this.isFailed ? Promise.reject(this.error) : Promise.resolve(this.value as T);
  }
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.native.then(onfulfilled, onrejected);
  }
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.native.catch(onrejected);
  }
  finally(onfinally?: (() => void) | null): Promise<T> {
    return this.native.finally(onfinally);
  }
  orTimeout(_duration: Duration): RestatePromiseType<T> {
    return this;
  }
  map<U>(mapper: (value?: T, failure?: unknown) => U): RestatePromiseType<U> {
    try {
      return new SettledPromise<U>(
        false,
        this.isFailed ? mapper(undefined, this.error) : mapper(this.value),
        undefined,
      );
    } catch (e) {
      return new SettledPromise<U>(true, undefined, e);
    }
  }
  decode(): T {
    if (this.isFailed) throw this.error;
    return this.value as T;
  }
}

type Node = DurablePromiseNode<unknown> | SettledPromise<unknown>;

function nodes(promises: readonly RestatePromiseType<unknown>[]): Node[] {
  return promises.map((p) => {
    if (p instanceof DurablePromiseNode || p instanceof SettledPromise) return p as Node;
    throw new TypeError("RestatePromise combinators accept only promises created by ctx");
  });
}

function futureOf(node: Node): Future {
  return node instanceof SettledPromise ? { kind: "settled", failed: node.isFailed } : node.future;
}

function decodeChild(node: Node, outcome: Outcome | undefined): unknown {
  if (node instanceof SettledPromise) return node.decode();
  if (outcome === undefined) throw new Error("combinator child not settled");
  return node.decode(outcome);
}

function combine<R>(
  kind: CombinatorKind,
  promises: readonly RestatePromiseType<unknown>[],
  decode: (children: Node[], outcome: Outcome) => R,
  fallback: (natives: Promise<unknown>[]) => Promise<R>,
): RestatePromiseType<R> {
  const children = nodes(promises);
  const owner = children.find(
    (c): c is DurablePromiseNode<unknown> => c instanceof DurablePromiseNode,
  );
  if (owner === undefined) {
    // Only settled values: nothing to journal, plain promise semantics apply.
    const result = fallback(children.map((c) => Promise.resolve(c)));
    return new DeferredSettled(result);
  }
  const future: Future = { kind, children: children.map(futureOf) };
  return new DurablePromiseNode(owner.scheduler, owner.timers, future, (o) => decode(children, o));
}

/** A settled-only combinator's result: already a native promise. */
class DeferredSettled<T> extends SettledPromise<T> {
  private readonly result: Promise<T>;
  constructor(result: Promise<T>) {
    super(false, undefined, undefined);
    this.result = result;
  }
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.result.then(onfulfilled, onrejected);
  }
}

type Values<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };
type Settled<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: PromiseSettledResult<Awaited<T[K]>>;
};

/**
 * Durable combinators over promises created by `ctx`, with the semantics of their `Promise`
 * namesakes. Use them instead of `Promise.all` & co. so that replays take the same branch.
 *
 * @example
 * const [a, b] = await RestatePromise.all([ctx.run(() => 1), ctx.sleep(10).map(() => 2)]);
 */
export const RestatePromise = Object.freeze({
  all<T extends readonly RestatePromiseType<unknown>[]>(
    promises: T,
  ): RestatePromiseType<Values<T>> {
    return combine(
      "all",
      promises,
      (children, o) => {
        const { winner } = o as { winner: number };
        if (o.failed && winner >= 0)
          return decodeChild(children[winner]!, childOutcome(o, winner)) as never;
        return children.map((c, i) => decodeChild(c, childOutcome(o, i))) as Values<T>;
      },
      (natives) => Promise.all(natives) as Promise<Values<T>>,
    );
  },
  race<T extends readonly RestatePromiseType<unknown>[]>(
    promises: T,
  ): RestatePromiseType<Awaited<T[number]>> {
    return combine(
      "race",
      promises,
      (children, o) => {
        const { winner } = o as { winner: number };
        return decodeChild(children[winner]!, childOutcome(o, winner)) as Awaited<T[number]>;
      },
      (natives) => Promise.race(natives) as Promise<Awaited<T[number]>>,
    );
  },
  any<T extends readonly RestatePromiseType<unknown>[]>(
    promises: T,
  ): RestatePromiseType<Awaited<T[number]>> {
    return combine(
      "any",
      promises,
      (children, o) => {
        const { winner } = o as { winner: number };
        if (!o.failed)
          return decodeChild(children[winner]!, childOutcome(o, winner)) as Awaited<T[number]>;
        const errors = children.map((c, i) => {
          try {
            decodeChild(c, childOutcome(o, i));
            return undefined;
          } catch (e) {
            return e;
          }
        });
        throw new AggregateError(errors, "All promises were rejected");
      },
      (natives) => Promise.any(natives) as Promise<Awaited<T[number]>>,
    );
  },
  allSettled<T extends readonly RestatePromiseType<unknown>[]>(
    promises: T,
  ): RestatePromiseType<Settled<T>> {
    return combine(
      "allSettled",
      promises,
      (children, o) =>
        children.map((c, i): PromiseSettledResult<unknown> => {
          try {
            return { status: "fulfilled", value: decodeChild(c, childOutcome(o, i)) };
          } catch (reason) {
            return { status: "rejected", reason };
          }
        }) as Settled<T>,
      (natives) => Promise.allSettled(natives) as Promise<Settled<T>>,
    );
  },
  resolve<T>(value: T): RestatePromiseType<Awaited<T>> {
    return new SettledPromise(false, value as Awaited<T>, undefined);
  },
  reject<T = never>(reason: unknown): RestatePromiseType<T> {
    return new SettledPromise<T>(true, undefined, reason);
  },
});
