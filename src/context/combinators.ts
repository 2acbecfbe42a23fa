// SPDX-License-Identifier: MIT
// `RestatePromise.all/race/any/allSettled`: combinators the runtime understands, so an invocation
// waiting on one can suspend and resume with the same winner (docs/protocol.md §7.1).
import type { CombinatorKind, Future, Outcome } from "../journal/futures.js";
import type { TerminalError } from "../errors.js";
import { FuturePromise, childOutcome } from "./restate-promise.js";
import { SettledPromise, settleFuture } from "./settled-promise.js";
import type { Duration } from "../definitions/duration.js";
import { type Decoded, isPending } from "./scheduler.js";

/** A combinator child: a promise created by `ctx` or by `RestatePromise` itself. */
type Node = FuturePromise<unknown> | SettledPromise<unknown>;

/** Objects that stand for a durable promise they can hand out (a workflow's `ctx.promise`). */
interface Delegating {
  get(): RestatePromise<unknown>;
}

function toNode(p: RestatePromise<unknown>): Node {
  if (p instanceof FuturePromise || p instanceof SettledPromise) return p as Node;
  const get = (p as Partial<Delegating>).get;
  if (typeof get === "function") {
    const inner = get.call(p);
    if (inner instanceof FuturePromise || inner instanceof SettledPromise) {
      return inner as Node;
    }
  }
  throw new TypeError(
    "RestatePromise combinators accept only promises created by ctx or RestatePromise",
  );
}

function decodeChild(node: Node, outcome: Outcome | undefined): unknown {
  if (outcome === undefined) throw new Error("combinator child not settled");
  return node.decode(outcome);
}

/** One child's `PromiseSettledResult` (a promise of it while a journal value codec decodes). */
function settledChild(
  node: Node,
  outcome: Outcome | undefined,
): Decoded<PromiseSettledResult<unknown>> {
  try {
    const value = decodeChild(node, outcome);
    if (!isPending(value)) return { status: "fulfilled", value };
    return value.then(
      (v): PromiseSettledResult<unknown> => ({ status: "fulfilled", value: v }),
      (reason: unknown): PromiseSettledResult<unknown> => ({ status: "rejected", reason }),
    );
  } catch (reason) {
    return { status: "rejected", reason };
  }
}

/**
 * Builds the combinator's future over its children's futures. With at least one child created by
 * `ctx`, the result is awaited through that context's scheduler (and can suspend); with settled
 * children only, the engine's evaluation decides it at once, exactly as it would on the runtime.
 */
function combine<R>(
  kind: CombinatorKind,
  promises: readonly RestatePromise<unknown>[],
  decode: (children: Node[], outcome: Outcome) => Decoded<R>,
): RestatePromise<R> {
  const children = promises.map(toNode);
  const future: Future = { kind, children: children.map((c) => c.future) };
  const owner = children.find((c): c is FuturePromise<unknown> => c instanceof FuturePromise);
  const decoder = (o: Outcome) => decode(children, o);
  // Settled children hold their values already: nothing is left for a journal value codec to
  // decode, and a promise among the values is adopted when the result is awaited.
  if (owner === undefined) return settleFuture(future, decoder as (o: Outcome) => R);
  return new FuturePromise(owner.scheduler, owner.timers, future, decoder);
}

/** The deciding child of a race/any/failing-all outcome. */
function winnerOf(outcome: Outcome): number {
  return outcome.kind === "combinator" ? outcome.winner : -1;
}

/** What `RestatePromise.all` fulfils with: each child's value, in order. */
export type CombinedValues<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: Awaited<T[K]>;
};
/** What `RestatePromise.allSettled` fulfils with: each child's outcome, in order. */
export type CombinedSettled<T extends readonly unknown[]> = {
  -readonly [K in keyof T]: PromiseSettledResult<Awaited<T[K]>>;
};

/**
 * A durable promise: awaitable like a `Promise`, and combinable with the `RestatePromise`
 * combinators so that the runtime can suspend the invocation while it waits.
 *
 * Awaiting one is an await point: when the result is not in the journal yet and nothing else can
 * progress, the invocation suspends until the runtime delivers it (it then replays to here).
 * The same name is the combinators' value, so `RestatePromise<T>` and `RestatePromise.all` both
 * work.
 *
 * @example
 * const greeting = await ctx.run("greet", () => "hi").orTimeout({ seconds: 5 });
 */
export interface RestatePromise<T> extends Promise<T> {
  /**
   * Races this promise against a durable timer: rejects with a `TimeoutError` (code 408) if it
   * has not settled within `duration`. Journals a Sleep command for the timer; a promise that is
   * already settled (`RestatePromise.resolve`) is returned as is.
   *
   * @throws TimeoutError when awaited, if the timer fires first.
   */
  orTimeout(duration: Duration): RestatePromise<T>;
  /**
   * Transforms the outcome once settled. The mapper gets the value, or `(undefined, failure)` for
   * a `TerminalError`; what it returns, or a `TerminalError` it throws, becomes the new outcome.
   * Any other error it throws ends the attempt (the runtime retries), as with the official SDK,
   * except on a promise settled without the runtime (`RestatePromise.resolve`), whose await it
   * rejects. Other errors pass through unmapped. Journals nothing; the mapping runs again on replay.
   */
  map<U>(mapper: (value?: T, failure?: TerminalError) => U): RestatePromise<U>;
}

/**
 * True for durable promises made by `ctx` or `RestatePromise` (and thus accepted by the
 * combinators), false for plain promises.
 *
 * @example
 * if (!isRestatePromise(p)) throw new TypeError("combine only ctx promises");
 */
export function isRestatePromise<T>(p: Promise<T>): p is RestatePromise<T> {
  if (p instanceof FuturePromise || p instanceof SettledPromise) return true;
  const get = (p as Partial<Delegating>).get;
  return (
    typeof get === "function" &&
    (p as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === "DurablePromise"
  );
}

/**
 * Durable combinators over promises created by `ctx`, with the semantics of their `Promise`
 * namesakes. Use them instead of `Promise.all` & co.: the runtime records which child decided, so
 * a replay takes the same branch, and the invocation can suspend while it waits.
 *
 * Combining only `RestatePromise.resolve/reject` values needs no runtime and settles at once.
 *
 * @example
 * const [a, b] = await RestatePromise.all([ctx.run(() => 1), ctx.sleep(10).map(() => 2)]);
 */
export const RestatePromise = Object.freeze({
  /**
   * Fulfils with every child's value, in order. Journals nothing itself; awaiting it suspends
   * until the children it needs have completed.
   *
   * @throws the first child failure (in delivery order) when awaited.
   */
  all<const T extends readonly RestatePromise<unknown>[]>(
    promises: T,
  ): RestatePromise<CombinedValues<T>> {
    return combine("all", promises, (children, o) => {
      const winner = winnerOf(o);
      // The failing child's decode throws its failure.
      if (o.failed && winner >= 0) decodeChild(children[winner]!, childOutcome(o, winner));
      const values = children.map((c, i) => decodeChild(c, childOutcome(o, i)));
      // Values a journal value codec is still decoding are awaited together.
      return (values.some(isPending) ? Promise.all(values) : values) as Decoded<CombinedValues<T>>;
    });
  },
  /**
   * Settles like the first child to settle, in the order the runtime delivered the results, so a
   * replay picks the same child. Journals nothing itself; awaiting it suspends until one settles.
   * `race([])` never settles.
   */
  race<const T extends readonly RestatePromise<unknown>[]>(
    promises: T,
  ): RestatePromise<Awaited<T[number]>> {
    return combine("race", promises, (children, o) => {
      const winner = winnerOf(o);
      return decodeChild(children[winner]!, childOutcome(o, winner)) as Awaited<T[number]>;
    });
  },
  /**
   * Fulfils with the first child to fulfil. Journals nothing itself; awaiting it suspends until a
   * child fulfils or all have failed.
   *
   * @throws AggregateError when awaited, if every child failed (its `errors` in child order).
   */
  any<const T extends readonly RestatePromise<unknown>[]>(
    promises: T,
  ): RestatePromise<Awaited<T[number]>> {
    return combine("any", promises, (children, o) => {
      const winner = winnerOf(o);
      if (!o.failed) {
        return decodeChild(children[winner]!, childOutcome(o, winner)) as Awaited<T[number]>;
      }
      const errors = children.map((c, i) => {
        try {
          decodeChild(c, childOutcome(o, i));
          return undefined;
        } catch (e) {
          return e;
        }
      });
      throw new AggregateError(errors, "All promises were rejected");
    });
  },
  /**
   * Fulfils, once every child has settled, with their `PromiseSettledResult`s; never rejects.
   * Journals nothing itself; awaiting it suspends until every child has settled.
   */
  allSettled<const T extends readonly RestatePromise<unknown>[]>(
    promises: T,
  ): RestatePromise<CombinedSettled<T>> {
    return combine("allSettled", promises, (children, o) => {
      const results: unknown[] = children.map((c, i) => settledChild(c, childOutcome(o, i)));
      return (results.some(isPending) ? Promise.all(results) : results) as Decoded<
        CombinedSettled<T>
      >;
    });
  },
  /** A promise already fulfilled with `value`; journals nothing. */
  resolve<T>(value: T): RestatePromise<Awaited<T>> {
    return new SettledPromise<Awaited<T>>({ state: "fulfilled", value: value as Awaited<T> });
  },
  /** A promise already rejected with `reason`; journals nothing. */
  reject<T = never>(reason: TerminalError): RestatePromise<T> {
    return new SettledPromise<T>({ state: "rejected", error: reason });
  },
});

/**
 * The former name of {@link RestatePromise}, kept for code written against older SDK versions.
 *
 * @deprecated Use `RestatePromise`.
 */
export const CombineablePromise = RestatePromise;
/** @deprecated Use `RestatePromise`. */
export type CombineablePromise<T> = RestatePromise<T>;
