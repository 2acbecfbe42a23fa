// SPDX-License-Identifier: MIT
// The contract check: the new code's manifest against the services registered now, weighed by
// what still refers to them (pending invocations, stored state).
import type { HandlerInfo, ServiceInfo } from "../clients/admin-types.js";
import type { HandlerManifest, ServiceManifest } from "../endpoint/discovery.js";
import type { PendingWork } from "./queries.js";
import { compareSchemas } from "./schema-compat.js";
import type { Finding } from "./types.js";

/** What the contract check compares. */
export interface ContractInput {
  readonly next: readonly ServiceManifest[];
  readonly registered: readonly ServiceInfo[];
  readonly pending: ReadonlyMap<string, PendingWork>;
  /** The deployment being replaced: its services missing from the new code are removed. */
  readonly replace: string | undefined;
  /** State keys the new code was seen reading, per service. */
  readonly stateKeysRead: ReadonlyMap<string, ReadonlySet<string>>;
  /** A sample of the keys stored for a service. */
  storedKeys(service: string): Promise<readonly string[]>;
}

const SERVICE_TY: Record<ServiceManifest["ty"], ServiceInfo["ty"]> = {
  SERVICE: "Service",
  VIRTUAL_OBJECT: "VirtualObject",
  WORKFLOW: "Workflow",
};

/**
 * Every contract finding, in service order.
 *
 * @example
 * const findings = await checkContract({ next, registered, pending, replace: undefined, stateKeysRead, storedKeys });
 */
export async function checkContract(input: ContractInput): Promise<Finding[]> {
  const findings: Finding[] = [];
  const next = new Map(input.next.map((s) => [s.name, s]));
  for (const old of input.registered) {
    const service = next.get(old.name);
    if (service === undefined) {
      if (input.replace !== undefined && old.deploymentId === input.replace) {
        for (const h of old.handlers)
          findings.push(removed(`${old.name}/${h.name}`, input, "service"));
      }
      continue;
    }
    if (SERVICE_TY[service.ty] !== old.ty) {
      findings.push({
        severity: "error",
        check: "contract",
        code: "service-type-changed",
        target: old.name,
        message: `${old.name} changes from ${old.ty} to ${SERVICE_TY[service.ty]}: keys, state and locking of its invocations change meaning`,
      });
      continue;
    }
    const handlers = new Map(service.handlers.map((h) => [h.name, h]));
    for (const oldHandler of old.handlers) {
      const target = `${old.name}/${oldHandler.name}`;
      const handler = handlers.get(oldHandler.name);
      if (handler === undefined) findings.push(removed(target, input, "handler"));
      else findings.push(...compareHandler(target, oldHandler, handler));
    }
  }
  findings.push(...(await checkStateKeys(input)));
  return findings;
}

function removed(target: string, input: ContractInput, what: "service" | "handler"): Finding {
  const work = input.pending.get(target) ?? { inFlight: 0, scheduled: 0, retained: 0 };
  const gone = what === "service" ? "its service is not in the new code" : "removed";
  const base = { check: "contract", target } as const;
  if (work.inFlight + work.scheduled > 0) {
    return {
      ...base,
      severity: "error",
      code: `${what}-removed`,
      message: `${target} is ${gone}, but ${work.inFlight} invocation(s) in flight and ${work.scheduled} scheduled (delayed sends) still target it; they would fail once it is gone`,
    };
  }
  if (work.retained > 0) {
    return {
      ...base,
      severity: "warning",
      code: `${what}-removed`,
      message: `${target} is ${gone}; ${work.retained} completed invocation(s) are retained for their idempotency keys, and requests repeating those keys would no longer find the handler`,
    };
  }
  return {
    ...base,
    severity: "warning",
    code: `${what}-removed`,
    message: `${target} is ${gone} (nothing pending targets it; callers in other services may still)`,
  };
}

function compareHandler(target: string, old: HandlerInfo, next: HandlerManifest): Finding[] {
  const findings: Finding[] = [];
  const oldKind = old.ty?.toUpperCase();
  if (oldKind !== next.ty) {
    findings.push({
      severity: "error",
      check: "contract",
      code: "handler-kind-changed",
      target,
      message: `${target} changes from ${old.ty ?? "plain"} to ${kindName(next.ty)}: queued and running invocations would run with different locking`,
    });
  }
  const input = compareSchemas(old.inputJsonSchema, next.input.jsonSchema);
  if (input.verdict !== "compatible") {
    const isIntroduced = old.inputJsonSchema === undefined;
    findings.push({
      severity: input.verdict === "narrowed" && !isIntroduced ? "error" : "warning",
      check: "contract",
      code: isIntroduced ? "input-schema-introduced" : `input-schema-${input.verdict}`,
      target,
      message: isIntroduced
        ? `${target} now validates its input against a JSON schema; inputs sent before may not match it`
        : `${target} input schema ${input.verdict === "narrowed" ? "rejects inputs the old one accepted" : "may reject inputs the old one accepted"}: ${input.reasons.join("; ")}`,
    });
  }
  const output = compareSchemas(next.output.jsonSchema, old.outputJsonSchema);
  if (output.verdict !== "compatible") {
    findings.push({
      severity: output.verdict === "narrowed" ? "error" : "warning",
      check: "contract",
      code: `output-schema-${output.verdict === "narrowed" ? "widened" : "unknown"}`,
      target,
      message: `${target} output ${output.verdict === "narrowed" ? "includes values" : "may include values"} the old output schema did not allow, which callers may not read: ${output.reasons.join("; ")}`,
    });
  }
  return findings;
}

function kindName(ty: HandlerManifest["ty"]): string {
  return ty === undefined ? "plain" : ty.charAt(0) + ty.slice(1).toLowerCase();
}

async function checkStateKeys(input: ContractInput): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [service, keys] of input.stateKeysRead) {
    if (keys.size === 0) continue;
    const stored = new Set(await input.storedKeys(service));
    if (stored.size === 0) continue;
    const unknown = [...keys].filter((k) => !stored.has(k)).sort();
    if (unknown.length === 0) continue;
    findings.push({
      severity: "warning",
      check: "contract",
      code: "state-key-unknown",
      target: service,
      message: `${service} reads state ${unknown.map((k) => `"${k}"`).join(", ")}, which no stored state of ${service} holds (stored keys sampled: ${[
        ...stored,
      ]
        .sort()
        .map((k) => `"${k}"`)
        .join(", ")}); a renamed key reads as empty`,
    });
  }
  return findings;
}
