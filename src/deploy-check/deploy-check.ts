// SPDX-License-Identifier: MIT
// `deployCheck()`: is the new code safe to register next to (or in place of) what runs now?
// Journals, contract, drain and rescue, each from facts the admin API gives.
import { type Admin, connectAdmin } from "../clients/admin.js";
import type { ServiceInfo } from "../clients/admin-types.js";
import { checkContract } from "./contract.js";
import { checkDrain } from "./drain.js";
import { type JournalCheck, checkJournals } from "./journals.js";
import {
  type NewCode,
  codeFromDefinitions,
  codeFromEndpoint,
  codeFromModule,
} from "./load-code.js";
import {
  openCounts,
  openInvocations,
  pendingWork,
  sampledOpenInvocations,
  storedStateKeys,
} from "./queries.js";
import { quotaByGroup } from "./sample.js";
import { type RescueInput, performRescue, planRescue, refusedRescue } from "./rescue.js";
import {
  DEPLOY_CHECK_DEFAULTS,
  type DeployCheckOptions,
  type DeployCheckReport,
  type Finding,
  type JournalReport,
  type RescueReport,
} from "./types.js";

/** Stored state keys sampled per service for the state-key check. */
const STATE_KEY_SAMPLE = 1000;

const NOT_CHECKED: JournalReport = Object.freeze({
  isChecked: false,
  open: 0,
  checked: 0,
  isSampled: false,
  handlers: [],
  diverged: [],
  failed: [],
});

/**
 * Checks new code against a running Restate server: replays the journals of open invocations,
 * diffs the contract, reports which deployments are drained, and optionally removes them or
 * updates a deployment in place. Never throws: what stopped the check is in `problems`.
 *
 * @example
 * const report = await deployCheck({ admin: "http://localhost:9070", services: [orders], replace: "dp_…" });
 * if (report.exitCode !== 0) console.log(formatReport(report));
 * @see https://docs.restate.dev/operate/versioning
 */
export async function deployCheck(
  options: Pick<DeployCheckOptions, "admin"> & Partial<DeployCheckOptions>,
): Promise<DeployCheckReport> {
  const opts: DeployCheckOptions = { ...DEPLOY_CHECK_DEFAULTS, ...options };
  const problems: string[] = [];
  const findings: Finding[] = [];
  let services: readonly string[] = [];
  let journals: JournalReport = NOT_CHECKED;
  let drain: DeployCheckReport["drain"];
  let rescue: RescueReport | undefined;
  try {
    const code = await loadNewCode(opts);
    services = code.services.map((s) => s.name);
    const admin = connectAdmin({ url: opts.admin, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
    const registered = await admin.listServices();
    const outcome =
      opts.update !== undefined
        ? await checkUpdate(admin, code, registered, opts)
        : await checkRelease(admin, code, registered, opts);
    journals = outcome.journals;
    rescue = outcome.rescue;
    findings.push(...outcome.findings);
    problems.push(...outcome.problems);
    drain = await checkDrain(admin, await admin.listServices(), {
      remove: opts.removeDrained,
      progress: opts.progress,
    });
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  const hasErrors = findings.some((f) => f.severity === "error");
  const verdict = problems.length > 0 ? "unknown" : hasErrors ? "unsafe" : "safe";
  return {
    verdict,
    exitCode: verdict === "safe" ? 0 : verdict === "unsafe" ? 1 : 2,
    problems,
    services,
    ...(opts.replace !== undefined ? { replace: opts.replace } : {}),
    findings,
    journals,
    drain,
    rescue,
  };
}

interface Outcome {
  readonly journals: JournalReport;
  readonly rescue: RescueReport | undefined;
  readonly findings: readonly Finding[];
  readonly problems: readonly string[];
}

async function loadNewCode(opts: DeployCheckOptions): Promise<NewCode> {
  if (opts.update !== undefined && opts.endpoint === undefined) {
    throw new Error(
      "An update needs the endpoint URL serving the new code (endpoint / --endpoint)",
    );
  }
  if (opts.services !== undefined) return codeFromDefinitions(opts.services);
  if (opts.module !== undefined) return codeFromModule(opts.module);
  if (opts.endpoint !== undefined) return codeFromEndpoint(opts.endpoint, opts.fetch);
  throw new Error("No new code given: pass services, a module or an endpoint URL");
}

/** A release next to (or replacing) the running deployments: journals, contract. */
async function checkRelease(
  admin: Admin,
  code: NewCode,
  registered: readonly ServiceInfo[],
  opts: DeployCheckOptions,
): Promise<Outcome> {
  const filter = {
    services: code.services.map((s) => s.name),
    ...(opts.replace !== undefined ? { deployment: opts.replace } : {}),
  };
  const counts = await openCounts(admin, filter);
  const open = [...counts.values()].reduce((sum, n) => sum + n, 0);
  opts.progress(`deploy-check: ${open} open invocation(s) of the new code's services`);
  const problems: string[] = [];
  let journals: JournalCheck | undefined;
  if (code.entries !== undefined) {
    const rows =
      open <= opts.limit
        ? await openInvocations(admin, filter)
        : await sampledOpenInvocations(admin, filter, quotaByGroup(counts, opts.limit), opts.seed);
    journals = await checkJournals(admin, code.entries, rows, { ...opts, openCounts: counts });
  } else if (open > 0) {
    problems.push(
      `${open} open invocation(s) could not be replayed: the new code was given as an endpoint URL only (give the module too)`,
    );
  }
  const contract = await contractFindings(admin, code, registered, opts.replace, journals);
  return {
    journals: journals?.report ?? NOT_CHECKED,
    rescue: undefined,
    findings: [...journalFindings(journals?.report), ...contract],
    problems,
  };
}

/** An in-place update: every pinned journal must replay, and the contract must hold. */
async function checkUpdate(
  admin: Admin,
  code: NewCode,
  registered: readonly ServiceInfo[],
  opts: DeployCheckOptions,
): Promise<Outcome> {
  const deployment = opts.update ?? "";
  if (code.entries === undefined) {
    throw new Error("An update replays every pinned journal: give the new code as a module too");
  }
  const input: RescueInput = {
    adminUrl: opts.admin,
    fetch: opts.fetch ?? fetch,
    code: code.entries,
    deployment,
    uri: opts.endpoint ?? "",
    useHttp11: opts.useHttp11,
    resumeTimeoutMs: opts.resumeTimeoutMs,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    progress: opts.progress,
  };
  const plan = await planRescue(admin, input);
  const contract = await contractFindings(admin, code, registered, deployment, plan.journals);
  const findings = [...journalFindings(plan.journals.report), ...contract];
  const blockers = findings.filter((f) => f.severity === "error");
  const refusal =
    plan.refusal ??
    (blockers.length > 0 ? `${blockers.length} contract error(s), see the findings` : undefined);
  const rescue =
    refusal === undefined
      ? await performRescue(admin, input, plan)
      : refusedRescue(input, plan, refusal);
  return {
    journals: plan.journals.report,
    rescue,
    findings: [...findings, ...rescueFindings(rescue)],
    problems: [],
  };
}

async function contractFindings(
  admin: Admin,
  code: NewCode,
  registered: readonly ServiceInfo[],
  replace: string | undefined,
  journals: JournalCheck | undefined,
): Promise<Finding[]> {
  return checkContract({
    next: code.services,
    registered,
    pending: await pendingWork(admin),
    replace,
    stateKeysRead: journals?.stateKeysRead ?? new Map(),
    storedKeys: (service) => storedStateKeys(admin, service, STATE_KEY_SAMPLE),
  });
}

function journalFindings(report: JournalReport | undefined): Finding[] {
  if (report === undefined) return [];
  const findings: Finding[] = [];
  for (const handler of report.handlers) {
    const first = report.diverged.find((d) => d.handler === handler.target);
    if (handler.diverged > 0 && first !== undefined) {
      const where = first.location ? ` (${first.location.file}:${first.location.line})` : "";
      findings.push({
        severity: "error",
        check: "journals",
        code: "journal-divergence",
        target: handler.target,
        message: `${handler.diverged} of ${handler.checked} replayed invocation(s) of ${handler.target} would diverge; first at command #${first.commandIndex}: journaled ${first.journaled}, new code ${first.produced}${where}`,
      });
    }
    if (handler.failed > 0) {
      const failure = report.failed.find((f) => f.handler === handler.target)?.failure;
      findings.push({
        severity: "warning",
        check: "journals",
        code: "replay-failed",
        target: handler.target,
        message: `${handler.failed} invocation(s) of ${handler.target} replay, then fail on the new code: ${failure ?? ""}`,
      });
    }
  }
  return findings;
}

function rescueFindings(rescue: RescueReport): Finding[] {
  if (!rescue.isUpdated) {
    return [
      {
        severity: "error",
        check: "rescue",
        code: "update-refused",
        target: rescue.deployment,
        message: `Not updating ${rescue.deployment} in place: ${rescue.refusal ?? ""}`,
      },
    ];
  }
  return rescue.stuck
    .filter((s) => s.outcome === "still-failing")
    .map((s) => ({
      severity: "warning" as const,
      check: "rescue" as const,
      code: "still-failing",
      target: s.target,
      message: `${s.invocationId} (${s.target}) still fails after the update: ${s.lastFailure ?? s.status ?? ""}`,
    }));
}
