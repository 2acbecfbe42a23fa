// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { sampleByGroup } from "./sample.js";

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
