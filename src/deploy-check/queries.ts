// SPDX-License-Identifier: MIT
// The SQL deploy-check runs on the server's introspection tables (`sys_invocation`, `state`),
// through the admin client. Every value reaching SQL goes through `sqlString`.
import type { Admin } from "../clients/admin.js";
import { type InvocationRow, sqlString, toInvocationRow } from "../clients/sql.js";

const INVOCATION_COLUMNS = [
  "id",
  "target",
  "target_service_name",
  "target_service_key",
  "target_handler_name",
  "target_service_ty",
  "status",
  "idempotency_key",
  "pinned_deployment_id",
  "retry_count",
  "last_failure",
  "last_failure_error_code",
  "created_at",
  "modified_at",
]
  .map((c) => `"${c}"`)
  .join(", ");

/** Which open invocations: of these services, pinned to this deployment (or not pinned yet). */
export interface OpenFilter {
  readonly services: readonly string[];
  readonly deployment?: string;
}

function openWhere(filter: OpenFilter): string {
  const where = [
    "status <> 'completed'",
    `target_service_name IN (${filter.services.map(sqlString).join(", ") || "''"})`,
  ];
  if (filter.deployment !== undefined) {
    where.push(
      `(pinned_deployment_id = ${sqlString(filter.deployment)} OR pinned_deployment_id IS NULL)`,
    );
  }
  return where.join(" AND ");
}

/** Open invocations per `Service/handler` (counted by the server, whatever their number). */
export async function openCounts(admin: Admin, filter: OpenFilter): Promise<Map<string, number>> {
  const rows = await admin.query<{
    target_service_name?: string;
    target_handler_name?: string;
    n?: number;
  }>(
    `SELECT target_service_name, target_handler_name, COUNT(*) AS n FROM sys_invocation WHERE ${openWhere(filter)} GROUP BY target_service_name, target_handler_name`,
  );
  return new Map(
    rows.map((r) => [`${r.target_service_name ?? ""}/${r.target_handler_name ?? ""}`, Number(r.n)]),
  );
}

/**
 * The open invocations of the new code's services (all of them); with `deployment`, only those
 * pinned to it or not pinned yet (they will start on whatever code is registered when they run).
 */
export async function openInvocations(admin: Admin, filter: OpenFilter): Promise<InvocationRow[]> {
  if (filter.services.length === 0) return [];
  const rows = await admin.query<Record<string, unknown>>(
    `SELECT ${INVOCATION_COLUMNS} FROM sys_invocation WHERE ${openWhere(filter)} ORDER BY created_at`,
  );
  return rows.map(toInvocationRow);
}

/**
 * A sample of the open invocations: `quota` per `Service/handler`, chosen by the server in an order
 * the seed fixes (a hash of id and seed), so only the sample crosses the wire.
 */
export async function sampledOpenInvocations(
  admin: Admin,
  filter: OpenFilter,
  quota: ReadonlyMap<string, number>,
  seed: number,
): Promise<InvocationRow[]> {
  const rows: InvocationRow[] = [];
  for (const [target, n] of quota) {
    const slash = target.indexOf("/");
    const [service, handler] = [target.slice(0, slash), target.slice(slash + 1)];
    const sample = await admin.query<Record<string, unknown>>(
      `SELECT ${INVOCATION_COLUMNS} FROM sys_invocation WHERE ${openWhere({ ...filter, services: [service] })} AND target_handler_name = ${sqlString(handler)} ORDER BY md5(concat(id, ${sqlString(String(seed))})) LIMIT ${n}`,
    );
    rows.push(...sample.map(toInvocationRow));
  }
  return rows;
}

/** The invocations pinned to one deployment that have not completed. */
export async function pinnedInvocations(
  admin: Admin,
  deployment: string,
): Promise<InvocationRow[]> {
  const rows = await admin.query<Record<string, unknown>>(
    `SELECT ${INVOCATION_COLUMNS} FROM sys_invocation WHERE status <> 'completed' AND pinned_deployment_id = ${sqlString(deployment)} ORDER BY created_at`,
  );
  return rows.map(toInvocationRow);
}

/**
 * What still refers to one handler by name.
 *
 * @example
 * const work: PendingWork = { inFlight: 2, scheduled: 1, retained: 0 };
 */
export interface PendingWork {
  /** Started or queued, not completed. */
  readonly inFlight: number;
  /** Waiting for their start time (delayed sends). */
  readonly scheduled: number;
  /** Completed, and kept for their idempotency key (a repeated request attaches to them). */
  readonly retained: number;
}

/** Pending work per `Service/handler`. */
export async function pendingWork(admin: Admin): Promise<Map<string, PendingWork>> {
  const rows = await admin.query<{
    target_service_name?: string;
    target_handler_name?: string;
    status?: string;
    is_idempotent?: boolean;
    n?: number;
  }>(
    "SELECT target_service_name, target_handler_name, status, idempotency_key IS NOT NULL AS is_idempotent, COUNT(*) AS n FROM sys_invocation GROUP BY target_service_name, target_handler_name, status, idempotency_key IS NOT NULL",
  );
  const work = new Map<string, { inFlight: number; scheduled: number; retained: number }>();
  for (const row of rows) {
    const target = `${row.target_service_name ?? ""}/${row.target_handler_name ?? ""}`;
    const entry = work.get(target) ?? { inFlight: 0, scheduled: 0, retained: 0 };
    const n = Number(row.n ?? 0);
    if (row.status === "scheduled") entry.scheduled += n;
    else if (row.status === "completed") entry.retained += row.is_idempotent === true ? n : 0;
    else entry.inFlight += n;
    work.set(target, entry);
  }
  return work;
}

/** Not-completed invocations per pinned deployment id. */
export async function pinnedCounts(admin: Admin): Promise<Map<string, number>> {
  const rows = await admin.query<{ pinned_deployment_id?: string; n?: number }>(
    "SELECT pinned_deployment_id, COUNT(*) AS n FROM sys_invocation WHERE status <> 'completed' AND pinned_deployment_id IS NOT NULL GROUP BY pinned_deployment_id",
  );
  return new Map(rows.map((r) => [r.pinned_deployment_id ?? "", Number(r.n ?? 0)]));
}

/** Up to `limit` distinct state keys stored for a virtual object or workflow. */
export async function storedStateKeys(
  admin: Admin,
  service: string,
  limit: number,
): Promise<string[]> {
  const rows = await admin.query<{ key?: string }>(
    `SELECT DISTINCT key FROM state WHERE service_name = ${sqlString(service)} LIMIT ${Math.max(1, Math.floor(limit))}`,
  );
  return rows.map((r) => r.key ?? "").filter((k) => k !== "");
}
