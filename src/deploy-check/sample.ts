// SPDX-License-Identifier: MIT
// Choosing which journals to replay when there are too many: a seeded sample that takes from every
// handler in turn, so a rarely-called handler is not crowded out by a busy one.

/**
 * Up to `limit` items, drawn round-robin from the groups `groupOf` makes, each group shuffled with
 * a generator seeded by `seed`. All items (in their order) when there are no more than `limit`.
 *
 * @example
 * sampleByGroup(rows, 100, (r) => `${r.targetServiceName}/${r.targetHandlerName}`, 7);
 */
export function sampleByGroup<T>(
  items: readonly T[],
  limit: number,
  groupOf: (item: T) => string,
  seed: number,
): T[] {
  if (items.length <= limit) return [...items];
  const random = mulberry32(seed);
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = groupOf(item);
    const group = groups.get(key) ?? [];
    group.push(item);
    groups.set(key, group);
  }
  const queues = [...groups.values()].map((group) => shuffle(group, random));
  const picked: T[] = [];
  while (picked.length < limit) {
    for (const queue of queues) {
      const next = queue.pop();
      if (next !== undefined && picked.length < limit) picked.push(next);
    }
  }
  return picked;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** A small seeded generator (mulberry32): the same seed gives the same sample. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How many of each group a sample of `limit` takes: one from each group in turn (in name order)
 * until the limit or every group is exhausted.
 *
 * @example
 * quotaByGroup(new Map([["a", 90], ["b", 3]]), 10); // Map { "a" => 7, "b" => 3 }
 */
export function quotaByGroup(
  counts: ReadonlyMap<string, number>,
  limit: number,
): Map<string, number> {
  const groups = [...counts.keys()].sort();
  const quota = new Map(groups.map((g) => [g, 0]));
  let left = limit;
  let isProgress = true;
  while (left > 0 && isProgress) {
    isProgress = false;
    for (const g of groups) {
      const taken = quota.get(g) ?? 0;
      if (left > 0 && taken < (counts.get(g) ?? 0)) {
        quota.set(g, taken + 1);
        left--;
        isProgress = true;
      }
    }
  }
  return new Map([...quota].filter(([, n]) => n > 0));
}
