// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { AttemptRegistry } from "./attempt-registry.js";

function attempt(log: string[], name: string) {
  return { drain: () => void log.push(`drain ${name}`) };
}

describe("AttemptRegistry", () => {
  it("drains every running attempt and resolves once the last one is gone", async () => {
    const log: string[] = [];
    const registry = new AttemptRegistry();
    const a = attempt(log, "a");
    const b = attempt(log, "b");
    registry.add(a);
    registry.add(b);
    let isDone = false;
    const drained = registry.drain().then(() => (isDone = true));
    expect(log).toEqual(["drain a", "drain b"]);
    expect(registry.isDraining).toBe(true);
    registry.delete(a);
    await Promise.resolve();
    expect(isDone).toBe(false);
    registry.delete(b);
    await drained;
    expect(isDone).toBe(true);
  });

  it("resolves at once with nothing running, and drains late arrivals immediately", async () => {
    const log: string[] = [];
    const registry = new AttemptRegistry();
    await registry.drain();
    registry.add(attempt(log, "late"));
    expect(log).toEqual(["drain late"]);
  });
});
