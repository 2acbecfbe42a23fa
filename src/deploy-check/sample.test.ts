// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { quotaByGroup, sampleByGroup } from "./sample.js";

const items = [
  ...Array.from({ length: 90 }, (_, i) => `busy-${i}`),
  ...Array.from({ length: 3 }, (_, i) => `rare-${i}`),
];
const group = (item: string) => item.split("-")[0] ?? "";

describe("sampleByGroup", () => {
  it("keeps everything, in order, under the limit", () => {
    expect(sampleByGroup(items, 100, group, 1)).toEqual(items);
  });

  it("draws from every group in turn, the same way for the same seed", () => {
    const sample = sampleByGroup(items, 10, group, 7);
    expect(sample).toHaveLength(10);
    expect(new Set(sample).size).toBe(10);
    expect(sample.filter((s) => s.startsWith("rare"))).toHaveLength(3);
    expect(sampleByGroup(items, 10, group, 7)).toEqual(sample);
    expect(sampleByGroup(items, 10, group, 8)).not.toEqual(sample);
  });
});

describe("quotaByGroup", () => {
  it("shares the limit out one per group in turn, never more than a group holds", () => {
    const counts = new Map([
      ["b", 3],
      ["a", 90],
      ["c", 0],
    ]);
    expect(quotaByGroup(counts, 10)).toEqual(
      new Map([
        ["a", 7],
        ["b", 3],
      ]),
    );
    expect(quotaByGroup(counts, 1)).toEqual(new Map([["a", 1]]));
    expect(quotaByGroup(counts, 1000)).toEqual(
      new Map([
        ["a", 90],
        ["b", 3],
      ]),
    );
  });
});
