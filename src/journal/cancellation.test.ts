// SPDX-License-Identifier: MIT
// The cancel leaf every await listens to: one object per cancel signal, not one per await.
import { describe, expect, it } from "vitest";
import { CANCEL_SIGNAL_ID, Cancellation } from "./cancellation.js";
import { NotificationTable } from "./futures.js";

describe("the cancel leaf", () => {
  it("is the same object for every await until a cancel is consumed, then the next arrival's", () => {
    const table = new NotificationTable();
    const cancellation = new Cancellation(table, true);
    const first = cancellation.leaf;
    expect(first).toEqual({ kind: "signal", id: CANCEL_SIGNAL_ID, nth: 0 });
    expect(cancellation.decide({ kind: "completion", id: 1 })).toBeUndefined();
    expect(cancellation.leaf).toBe(first);

    table.add({ kind: "signal", id: CANCEL_SIGNAL_ID }, { kind: "void" });
    expect(cancellation.isReceived).toBe(true);
    expect(cancellation.decide({ kind: "completion", id: 1 })).toEqual({ kind: "cancel", seq: 0 });
    expect(cancellation.consume()).toEqual([]);
    const second = cancellation.leaf;
    expect(second).toEqual({ kind: "signal", id: CANCEL_SIGNAL_ID, nth: 1 });
    expect(cancellation.leaf).toBe(second);
    expect(cancellation.decide({ kind: "completion", id: 1 })).toBeUndefined();
  });
});
