// SPDX-License-Identifier: MIT
// The in-place update (`PATCH /deployments/{id}`, formerly PUT): the same deployment id gets new
// code, and every invocation pinned to it continues on that code by replaying its journal. It is
// made only when every one of those journals replays against the new code.
import type { Admin } from "../clients/admin.js";
import type { InvocationRow } from "../clients/sql.js";
import type { FetchFn } from "../clients/transport.js";
import type { ServiceEntry } from "../definitions/registry.js";
import { type JournalCheck, checkJournals } from "./journals.js";
import { pinnedInvocations } from "./queries.js";
import type { RescueReport } from "./types.js";

/** What a rescue needs besides the admin client. */
export interface RescueInput {
  readonly adminUrl: string;
  readonly fetch: FetchFn;
  readonly code: ReadonlyMap<string, ServiceEntry>;
  readonly deployment: string;
  /** The URI serving the fixed code. */
  readonly uri: string;
  readonly useHttp11: boolean;
  readonly resumeTimeoutMs: number;
  /** Waits between polls of the stuck invocations (injected so tests control it). */
  readonly sleep: (ms: number) => Promise<void>;
  readonly progress: (line: string) => void;
}

const STUCK = new Set(["backing-off", "paused"]);
const SETTLED = new Set(["completed", "suspended"]);
const POLL_MS = 250;

/** The pinned invocations of a deployment, replayed (all of them) against the new code. */
export interface RescuePlan {
  readonly pinned: readonly InvocationRow[];
  /** Those failing before the update: backing off or paused. */
  readonly stuck: readonly InvocationRow[];
  readonly journals: JournalCheck;
  /** Why the update must not be made, if it must not. */
  readonly refusal: string | undefined;
}

/**
 * Replays every invocation pinned to the deployment against the new code.
 *
 * @example
 * const plan = await planRescue(admin, input);
 * if (plan.refusal === undefined) await performRescue(admin, input, plan);
 */
export async function planRescue(admin: Admin, input: RescueInput): Promise<RescuePlan> {
  const pinned = await pinnedInvocations(admin, input.deployment);
  const journals = await checkJournals(admin, input.code, pinned, {
    limit: Infinity,
    seed: 1,
    progress: input.progress,
  });
  return {
    pinned,
    stuck: pinned.filter((r) => STUCK.has(r.status)),
    journals,
    refusal: refusalOf(journals),
  };
}

/**
 * The report of a rescue that was not made.
 *
 * @example
 * const report = refusedRescue(input, plan, "contract errors");
 */
export function refusedRescue(input: RescueInput, plan: RescuePlan, refusal: string): RescueReport {
  return {
    deployment: input.deployment,
    uri: input.uri,
    pinned: plan.pinned.length,
    isUpdated: false,
    refusal,
    stuck: plan.stuck.map((r) => ({
      invocationId: r.id,
      target: r.target,
      outcome: "not-updated" as const,
      status: r.status,
      ...(r.lastFailure !== undefined ? { lastFailure: r.lastFailure } : {}),
    })),
  };
}

/**
 * Updates the deployment in place, resumes the stuck invocations and watches them.
 *
 * @throws Error when the server refuses the update.
 */
export async function performRescue(
  admin: Admin,
  input: RescueInput,
  plan: RescuePlan,
): Promise<RescueReport> {
  await updateDeployment(input);
  input.progress(`deploy-check: updated ${input.deployment} in place with ${input.uri}`);
  for (const row of plan.stuck) {
    // Paused invocations wait for a resume; backing-off ones would otherwise wait for their timer.
    await admin.resumeInvocation(row.id).catch(() => undefined);
  }
  const stuck = await watch(admin, plan.stuck, input);
  return {
    deployment: input.deployment,
    uri: input.uri,
    pinned: plan.pinned.length,
    isUpdated: true,
    stuck,
  };
}

function refusalOf({ report }: JournalCheck): string | undefined {
  const missing = report.handlers.filter((h) => h.isMissing === true).map((h) => h.target);
  if (missing.length > 0) {
    return `the new code has no handler ${missing.join(", ")}, which pinned invocations run`;
  }
  if (report.diverged.length > 0) {
    return `${report.diverged.length} of ${report.open} pinned invocation(s) would not replay their journal on the new code`;
  }
  return undefined;
}

async function updateDeployment(input: RescueInput): Promise<void> {
  const body = JSON.stringify({
    uri: input.uri,
    ...(input.useHttp11 ? { use_http_11: true } : {}),
  });
  const url = `${input.adminUrl.replace(/\/+$/, "")}/deployments/${encodeURIComponent(input.deployment)}`;
  const send = (method: "PATCH" | "PUT") =>
    input.fetch(url, { method, headers: { "content-type": "application/json" }, body });
  let response = await send("PATCH");
  // Restate before 1.6 knows only PUT for this operation.
  if (response.status === 405 || response.status === 404) response = await send("PUT");
  if (!response.ok) {
    throw new Error(
      `The server refused to update ${input.deployment}: ${response.status} ${await response.text()}`,
    );
  }
}

async function watch(
  admin: Admin,
  stuck: readonly InvocationRow[],
  input: RescueInput,
): Promise<RescueReport["stuck"]> {
  const deadline = Date.now() + input.resumeTimeoutMs;
  let latest = new Map<string, InvocationRow>();
  for (;;) {
    latest = new Map();
    for (const row of stuck) {
      const now = await admin.getInvocation(row.id);
      if (now !== undefined) latest.set(row.id, now);
    }
    const isSettled = stuck.every((r) => SETTLED.has(latest.get(r.id)?.status ?? "completed"));
    if (isSettled || Date.now() >= deadline) break;
    await input.sleep(POLL_MS);
  }
  return stuck.map((row) => {
    const now = latest.get(row.id);
    const status = now?.status ?? "completed";
    const outcome =
      status === "completed" ? "completed" : STUCK.has(status) ? "still-failing" : "progressing";
    return {
      invocationId: row.id,
      target: row.target,
      outcome,
      status,
      ...(outcome === "still-failing" && now?.lastFailure !== undefined
        ? { lastFailure: now.lastFailure }
        : {}),
    };
  });
}
