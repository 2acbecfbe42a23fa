// SPDX-License-Identifier: MIT
import { describe, expect, it, vi } from "vitest";
import { TerminalError } from "../errors.js";
import { CommandType } from "../journal/message-types.js";
import { completion, result, signal } from "../journal/testing/journal-case.js";
import { RestatePromise } from "./combinators.js";
import type { RestatePromise as RestatePromiseType } from "./types.js";
import { harness } from "./__fixtures__/harness.js";

type Kind = "all" | "race" | "any" | "allSettled";
const KINDS: readonly Kind[] = ["all", "race", "any", "allSettled"];

/** A combinator by name, over durable promises or over native ones (the oracle). */
const durable = (kind: Kind, ps: RestatePromiseType<unknown>[]) =>
  RestatePromise[kind](ps) as RestatePromiseType<unknown>;
const native = (kind: Kind, ps: Promise<unknown>[]): Promise<unknown> => {
  switch (kind) {
    case "all":
      return Promise.all(ps);
    case "race":
      return Promise.race(ps);
    case "any":
      return Promise.any(ps);
    case "allSettled":
      return Promise.allSettled(ps);
  }
};

/** A comparable description of a settled value or failure. */
function describeValue(v: unknown): unknown {
  if (v instanceof AggregateError) return { aggregate: v.errors.map(describeValue) };
  if (v instanceof Error) return { error: v.message };
  if (Array.isArray(v)) return v.map(describeValue);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, describeValue(x)]));
  }
  return v;
}

async function settle(p: PromiseLike<unknown>): Promise<unknown> {
  try {
    return { ok: describeValue(await p) };
  } catch (e) {
    return { failed: describeValue(e) };
  }
}

function deferredPromise() {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<unknown>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  // The oracle's rejections are observed through the combinators, not here.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Lets every pending continuation run (combinator chains here are a few promises deep). */
async function flush(): Promise<void> {
  for (let i = 0; i < 12; i++) await Promise.resolve();
}

/** Leaf i: fulfils with `v<i>` or rejects with a terminal `e<i>`. */
type Leaf = { readonly ok: boolean };
const value = (i: number) => `v${i}`;
const failure = (i: number) => `e${i}`;

/**
 * `outer([inner([leaf0, leaf1]), leaf2])` over three awakeables completed in `order`, against the
 * same tree of native promises resolved in the same order (with every continuation run between).
 */
async function nested(outer: Kind, inner: Kind, leaves: readonly Leaf[], order: number[]) {
  const h = harness();
  const awakeables = leaves.map(() => h.ctx.awakeable<string>());
  const [a, b, c] = awakeables.map((x) => x.promise);
  const ours = durable(outer, [durable(inner, [a!, b!]), c!]);
  const observed = settle(ours);

  const deferred = leaves.map(() => deferredPromise());
  const [x, y, z] = deferred.map((d) => d.promise);
  const theirs = settle(native(outer, [native(inner, [x!, y!]), z!]));

  for (const i of order) {
    const leaf = leaves[i]!;
    h.send(
      signal(
        17 + i,
        leaf.ok ? result.value(JSON.stringify(value(i))) : result.failure(500, failure(i)),
      ),
    );
    if (leaf.ok) deferred[i]!.resolve(value(i));
    else deferred[i]!.reject(new TerminalError(failure(i)));
    await flush();
  }
  return { ours: await observed, theirs: await theirs };
}

const LEAF_SETS: Leaf[][] = [0, 1, 2, 3, 4, 5, 6, 7].map((bits) =>
  [0, 1, 2].map((i) => ({ ok: (bits & (1 << i)) === 0 })),
);
// The outer sibling last, between the two inner leaves, and first (with the inner leaves swapped).
const ORDERS = [
  [0, 1, 2],
  [1, 2, 0],
  [2, 1, 0],
];

describe("every combinator nested in every other", () => {
  for (const outer of KINDS) {
    for (const inner of KINDS) {
      it(`${outer}([${inner}([a, b]), c]) settles like its Promise namesake`, async () => {
        for (const leaves of LEAF_SETS) {
          for (const order of ORDERS) {
            const { ours, theirs } = await nested(outer, inner, leaves, order);
            expect(ours, `leaves ${JSON.stringify(leaves)} order ${order.join("")}`).toEqual(
              theirs,
            );
          }
        }
      });
    }
  }
});

describe("combinators over settled values only", () => {
  // Settled values decide in their order in the tree, as durable promises completed in that order.
  const settledLeaf = (i: number, leaf: Leaf) =>
    leaf.ok
      ? RestatePromise.resolve(value(i))
      : RestatePromise.reject<string>(new TerminalError(failure(i)));

  for (const outer of KINDS) {
    for (const inner of KINDS) {
      it(`${outer}([${inner}([a, b]), c]) decides like completed durable promises`, async () => {
        for (const leaves of LEAF_SETS) {
          const [a, b, c] = leaves.map((leaf, i) => settledLeaf(i, leaf));
          const ours = await settle(durable(outer, [durable(inner, [a!, b!]), c!]));
          const { ours: completed } = await nested(outer, inner, leaves, [0, 1, 2]);
          expect(ours, JSON.stringify(leaves)).toEqual(completed);
        }
      });
    }
  }

  it("all([reject(e)]) rejects, so catch handlers run", async () => {
    const e = new TerminalError("boom");
    const handler = vi.fn((reason: unknown) => reason);
    await expect(RestatePromise.all([RestatePromise.reject(e)]).catch(handler)).resolves.toBe(e);
    expect(handler).toHaveBeenCalledWith(e);
  });

  it("all([]) maps its real value", async () => {
    const mapper = vi.fn((v?: unknown[]) => v?.length);
    await expect(RestatePromise.all([]).map(mapper)).resolves.toBe(0);
    expect(mapper).toHaveBeenCalledWith([]);
  });

  it("finally runs on settled combinators, keeping their outcome", async () => {
    const onFinally = vi.fn();
    const e = new TerminalError("x");
    await expect(RestatePromise.race([RestatePromise.reject(e)]).finally(onFinally)).rejects.toBe(
      e,
    );
    await expect(RestatePromise.any([RestatePromise.resolve(1)]).finally(onFinally)).resolves.toBe(
      1,
    );
    expect(onFinally).toHaveBeenCalledTimes(2);
  });

  it("empty combinators: all → [], allSettled → [], any → AggregateError, race never settles", async () => {
    await expect(RestatePromise.all([])).resolves.toEqual([]);
    await expect(RestatePromise.allSettled([])).resolves.toEqual([]);
    await expect(RestatePromise.any([])).rejects.toBeInstanceOf(AggregateError);
    const h = harness();
    const raced = RestatePromise.race([
      RestatePromise.race([]),
      h.ctx.sleep(10).map(() => "slept"),
    ]);
    const observed = settle(raced);
    h.send(completion(CommandType.Sleep, 1, result.void()));
    expect(await observed).toEqual({ ok: "slept" });
  });
});

describe("settled values inside durable combinators", () => {
  it("all([sleep, all([resolve(5)])]) yields the inner array", async () => {
    const h = harness();
    const p = RestatePromise.all([h.ctx.sleep(1), RestatePromise.all([RestatePromise.resolve(5)])]);
    h.send(completion(CommandType.Sleep, 1, result.void()));
    await expect(p).resolves.toEqual([undefined, [5]]);
  });

  it("a settled rejection decides a durable all at once", async () => {
    const h = harness();
    const e = new TerminalError("early");
    const p = RestatePromise.all([h.ctx.sleep(1), RestatePromise.reject(e)]);
    await expect(p).rejects.toBe(e);
  });

  it("a settled value wins a race against a pending durable promise", async () => {
    const h = harness();
    const p = RestatePromise.race([
      h.ctx.sleep(1).map(() => "late"),
      RestatePromise.resolve("now"),
    ]);
    await expect(p).resolves.toBe("now");
  });

  it("a workflow promise can be combined", async () => {
    const h = harness();
    const p = RestatePromise.all([h.ctx.promise<string>("p"), RestatePromise.resolve(1)]);
    const observed = settle(p);
    // GetPromise is the first command after the input: completion id 1.
    h.send(completion(CommandType.GetPromise, 1, result.value('"done"')));
    expect(await observed).toEqual({ ok: ["done", 1] });
  });

  it("refuses promises not created by ctx or RestatePromise", () => {
    expect(() => RestatePromise.all([Promise.resolve(1) as RestatePromiseType<number>])).toThrow(
      TypeError,
    );
  });
});
