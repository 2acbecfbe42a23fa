// SPDX-License-Identifier: MIT
// What `deployCheck` takes and what it reports.
import type { AnyDefinition } from "../definitions/service.js";
import type { FetchFn } from "../clients/transport.js";
import type { SourceLocation } from "./call-site.js";

/**
 * What to check. Give the new code as `services` (or a `module` exporting them), or only as an
 * `endpoint` URL serving it (then journals cannot be replayed, only the contract is compared).
 *
 * @example
 * const options: Partial<DeployCheckOptions> = { admin: "http://localhost:9070", module: "./dist/services.js" };
 */
export interface DeployCheckOptions {
  /** The admin API URL. */
  readonly admin: string;
  /** The new code's definitions. */
  readonly services: readonly AnyDefinition[] | undefined;
  /** A module whose exports (definitions, or arrays of them) are the new code. */
  readonly module: string | undefined;
  /** A URL serving the new code (its `/discover` manifest); also the URI `update` registers. */
  readonly endpoint: string | undefined;
  /** The deployment the new code would replace: its pinned invocations are the ones checked. */
  readonly replace: string | undefined;
  /** At most this many journals are replayed; beyond it a sample per handler is drawn. */
  readonly limit: number;
  /** Seed of the sample, so a check can be repeated exactly. */
  readonly seed: number;
  /** Remove the deployments nothing is pinned to any more (and nothing routes to). */
  readonly removeDrained: boolean;
  /** Update this deployment in place with `endpoint`, if every pinned journal replays. */
  readonly update: string | undefined;
  /** Register `endpoint` over HTTP/1.1 when updating. */
  readonly useHttp11: boolean;
  /** How long to watch the stuck invocations after an update. */
  readonly resumeTimeoutMs: number;
  /** Progress lines (the command writes them to stderr). */
  readonly progress: (line: string) => void;
  readonly fetch: FetchFn | undefined;
}

/** Defaults of {@link DeployCheckOptions}. */
export const DEPLOY_CHECK_DEFAULTS: Readonly<Omit<DeployCheckOptions, "admin">> = Object.freeze({
  services: undefined,
  module: undefined,
  endpoint: undefined,
  replace: undefined,
  limit: 1000,
  seed: 1,
  removeDrained: false,
  update: undefined,
  useHttp11: false,
  resumeTimeoutMs: 30_000,
  progress: () => undefined,
  fetch: undefined,
});

/**
 * One problem found. Errors make the verdict unsafe; warnings are reported only.
 *
 * @example
 * const f: Finding = { severity: "error", check: "contract", code: "handler-removed", target: "Orders/cancel", message: "…" };
 */
export interface Finding {
  readonly severity: "error" | "warning";
  readonly check: "journals" | "contract" | "drain" | "rescue";
  /** A stable identifier of the kind of finding (`journal-divergence`, `handler-removed`…). */
  readonly code: string;
  /** `Service` or `Service/handler`. */
  readonly target?: string;
  readonly message: string;
}

/**
 * An invocation whose journal the new code does not reproduce.
 *
 * @example
 * console.log(`${d.invocationId} ${d.target}: ${d.journaled} ≠ ${d.produced}`);
 */
export interface DivergedInvocation {
  readonly invocationId: string;
  /** `Service/handler` or `Object/key/handler`. */
  readonly target: string;
  /** `Service/handler`. */
  readonly handler: string;
  readonly status: string;
  /** Index of the journaled command that no longer matches (InputCommand = 0). */
  readonly commandIndex: number;
  readonly journaled: string;
  readonly produced: string;
  /** The handler line that called the mismatching `ctx` operation. */
  readonly location?: SourceLocation;
}

/**
 * Journal replays of one handler.
 *
 * @example
 * const s: HandlerSummary = { target: "Orders/place", open: 40, checked: 10, replayed: 9, diverged: 1, failed: 0, notStarted: 0 };
 */
export interface HandlerSummary {
  readonly target: string;
  /** Not-completed invocations in scope. */
  readonly open: number;
  /** Replayed (all of them, or a sample). */
  readonly checked: number;
  readonly replayed: number;
  readonly diverged: number;
  /** Replayed, then failed with an error of the new code. */
  readonly failed: number;
  /** No journal yet: they will simply start on the new code. */
  readonly notStarted: number;
  /** The new code has no such handler. */
  readonly isMissing?: boolean;
}

/**
 * The journal part of the report.
 *
 * @example
 * if (report.journals.diverged.length > 0) process.exitCode = 1;
 */
export interface JournalReport {
  /** False when journals could not be replayed (no code given, only an endpoint). */
  readonly isChecked: boolean;
  readonly open: number;
  readonly checked: number;
  readonly isSampled: boolean;
  readonly handlers: readonly HandlerSummary[];
  readonly diverged: readonly DivergedInvocation[];
  readonly failed: readonly {
    readonly invocationId: string;
    readonly target: string;
    readonly handler: string;
    readonly failure: string;
  }[];
}

/**
 * One deployment and what still needs it.
 *
 * @example
 * const removable = report.drain.deployments.filter((d) => d.canRemove);
 */
export interface DeploymentDrain {
  readonly id: string;
  readonly uri?: string;
  readonly createdAt: string;
  /** Not-completed invocations pinned to it. */
  readonly pinned: number;
  /** Services whose current revision it serves: new invocations go to it. */
  readonly serves: readonly string[];
  readonly canRemove: boolean;
  readonly reason: string;
}

/**
 * Deployments, and which could go.
 *
 * @example
 * console.log(report.drain.removed);
 */
export interface DrainReport {
  readonly deployments: readonly DeploymentDrain[];
  /** Deployments removed by `removeDrained`. */
  readonly removed: readonly string[];
}

/**
 * What an in-place update did.
 *
 * @example
 * if (!report.rescue?.isUpdated) console.log(report.rescue?.refusal);
 */
export interface RescueReport {
  readonly deployment: string;
  readonly uri: string;
  readonly isUpdated: boolean;
  /** Why the update was not made. */
  readonly refusal?: string;
  /** Not-completed invocations pinned to the deployment (all replayed, never sampled). */
  readonly pinned: number;
  /** The pinned invocations that were failing (backing off or paused) before the update. */
  readonly stuck: readonly {
    readonly invocationId: string;
    readonly target: string;
    /** After the update: finished, making progress, or failing still. */
    readonly outcome: "completed" | "progressing" | "still-failing" | "not-updated";
    readonly status?: string;
    readonly lastFailure?: string;
  }[];
}

/**
 * The whole report. `exitCode` is 0 (safe), 1 (unsafe) or 2 (could not check).
 *
 * @example
 * const report = await deployCheck({ admin, module: "./dist/services.js" });
 * process.exitCode = report.exitCode;
 */
export interface DeployCheckReport {
  readonly verdict: "safe" | "unsafe" | "unknown";
  readonly exitCode: 0 | 1 | 2;
  /** Why the check could not be completed (verdict `unknown`). */
  readonly problems: readonly string[];
  readonly services: readonly string[];
  readonly replace?: string;
  readonly findings: readonly Finding[];
  readonly journals: JournalReport;
  readonly drain: DrainReport | undefined;
  readonly rescue: RescueReport | undefined;
}
