// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { formatReport } from "./format-report.js";
import type { DeployCheckReport } from "./types.js";

const unsafe: DeployCheckReport = {
  verdict: "unsafe",
  exitCode: 1,
  problems: [],
  services: ["Orders", "Reminders"],
  replace: "dp_old",
  journals: {
    isChecked: true,
    open: 3,
    checked: 3,
    isSampled: false,
    handlers: [
      {
        target: "Orders/place",
        open: 2,
        checked: 2,
        replayed: 1,
        diverged: 1,
        failed: 0,
        notStarted: 0,
      },
      {
        target: "Reminders/remind",
        open: 1,
        checked: 0,
        replayed: 0,
        diverged: 0,
        failed: 0,
        notStarted: 0,
        isMissing: true,
      },
    ],
    diverged: [
      {
        invocationId: "inv_1a",
        target: "Orders/o-1/place",
        handler: "Orders/place",
        status: "suspended",
        commandIndex: 2,
        journaled: 'RunCommand{name: "reserve"}',
        produced: 'RunCommand{name: "charge"}',
        location: { file: "/app/src/orders.ts", line: 31, column: 17 },
      },
    ],
    failed: [],
  },
  findings: [
    {
      severity: "error",
      check: "journals",
      code: "journal-divergence",
      target: "Orders/place",
      message: "1 of 2 diverge",
    },
    {
      severity: "warning",
      check: "contract",
      code: "handler-removed",
      target: "Reminders/remind",
      message: "removed",
    },
  ],
  drain: {
    deployments: [
      {
        id: "dp_old",
        uri: "http://old",
        createdAt: "2026-01-01T00:00:00.000Z",
        pinned: 2,
        serves: [],
        canRemove: false,
        reason: "2 invocation(s) still pinned to it",
      },
      {
        id: "dp_older",
        uri: "http://older",
        createdAt: "2025-01-01T00:00:00.000Z",
        pinned: 0,
        serves: [],
        canRemove: true,
        reason: "drained: nothing pinned, nothing routed to it",
      },
    ],
    removed: ["dp_older"],
  },
  rescue: undefined,
};

describe("formatReport", () => {
  it("shows the verdict, per-handler summaries, each divergence with its line, deployments and findings", () => {
    expect(formatReport(unsafe, { cwd: "/app" })).toBe(
      [
        "deploy-check: UNSAFE (exit 1)",
        "New code: Orders, Reminders, replacing dp_old",
        "",
        "Journals: 3 of 3 open invocation(s) replayed",
        "  Orders/place      open 2  checked 2  replayed 1  diverged 1  failed 0  not started 0",
        "  Reminders/remind  open 1  checked 0  replayed 0  diverged 0  failed 0  not started 0  not in the new code",
        "  ✗ inv_1a Orders/o-1/place (suspended) diverges at command #2",
        '      journaled: RunCommand{name: "reserve"}',
        '      new code:  RunCommand{name: "charge"}',
        "      at src/orders.ts:31:17",
        "",
        "Deployments:",
        "  dp_old http://old  pinned 2  keep: 2 invocation(s) still pinned to it",
        "  dp_older http://older  pinned 0  can be removed: drained: nothing pinned, nothing routed to it, removed",
        "",
        "Findings:",
        "  error   [journal-divergence] 1 of 2 diverge",
        "  warning [handler-removed] removed",
        "",
        "1 error(s), 1 warning(s)",
        "",
      ].join("\n"),
    );
  });

  it("says what stopped a check, and caps the divergences it lists", () => {
    const many = {
      ...unsafe,
      journals: {
        ...unsafe.journals,
        isSampled: true,
        diverged: Array.from({ length: 3 }, (_, i) => ({
          ...unsafe.journals.diverged[0]!,
          invocationId: `inv_${i}`,
        })),
      },
    };
    const text = formatReport(many, { cwd: "/app", maxDiverged: 1 });
    expect(text).toContain("Journals: 3 of 3 open invocation(s) replayed (sampled)");
    expect(text).toContain("✗ inv_0 ");
    expect(text).not.toContain("✗ inv_1 ");
    expect(text).toContain("… and 2 more diverged invocation(s) (see --json)");

    const unknown: DeployCheckReport = {
      ...unsafe,
      verdict: "unknown",
      exitCode: 2,
      problems: ["fetch failed"],
      findings: [],
      drain: undefined,
      journals: { ...unsafe.journals, isChecked: false },
    };
    expect(formatReport(unknown, { cwd: "/app" }).split("\n").slice(0, 5)).toEqual([
      "deploy-check: COULD NOT CHECK (exit 2)",
      "New code: Orders, Reminders, replacing dp_old",
      "Could not check: fetch failed",
      "",
      "Journals: not replayed",
    ]);
  });
});
