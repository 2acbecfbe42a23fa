// SPDX-License-Identifier: MIT
// SQL over the admin API's `POST /query` (DataFusion): string escaping, the invocation filter,
// and typed rows of `sys_invocation` and `sys_journal`.

/**
 * Quotes a value as an SQL string literal. Every user value that reaches SQL goes through here.
 *
 * DataFusion reads `'…'` literally except for the quote itself, which is doubled; a backslash is
 * an ordinary character (observed on 1.7.12: `'a\b'` is the 3-character string `a\b`). Only the
 * `E'…'` form, which this never produces, gives backslashes a meaning.
 *
 * @example
 * sqlString("O'Brien"); // "'O''Brien'"
 */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Statuses in `sys_invocation.status` (1.7); other values may appear in later versions.
 *
 * @example
 * await admin.listInvocations({ status: ["backing-off", "paused"] });
 */
export type InvocationStatus =
  | "pending"
  | "scheduled"
  | "inboxed"
  | "ready"
  | "running"
  | "suspended"
  | "backing-off"
  | "paused"
  | "completed"
  | (string & {});

/**
 * One invocation, a typed and camelCased `sys_invocation` row. Timestamps are `Date`s; columns the
 * server leaves null are absent.
 *
 * @example
 * const row = await admin.getInvocation(id);
 * if (row?.status === "backing-off") console.log(row.retryCount, row.lastFailure);
 */
export interface InvocationRow {
  readonly id: string;
  /** `Service/handler` or `Object/key/handler`. */
  readonly target: string;
  readonly targetServiceName: string;
  readonly targetServiceKey?: string;
  readonly targetHandlerName: string;
  /** `service`, `virtual_object` or `workflow`. */
  readonly targetServiceTy: string;
  readonly status: InvocationStatus;
  readonly idempotencyKey?: string;
  /** `ingress`, `service` or `subscription`. */
  readonly invokedBy?: string;
  readonly invokedById?: string;
  readonly invokedByTarget?: string;
  readonly pinnedDeploymentId?: string;
  readonly journalSize?: number;
  /** Attempts that failed so far (0 when none). */
  readonly retryCount: number;
  readonly lastFailure?: string;
  /** e.g. `RT0007` (handler error) or `RT0016` (journal mismatch). */
  readonly lastFailureErrorCode?: string;
  readonly nextRetryAt?: Date;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
  readonly scheduledStartAt?: Date;
  readonly completedAt?: Date;
  /** `success` or `failure`, once completed. */
  readonly completionResult?: string;
  readonly completionFailure?: string;
}

/**
 * One journal entry, a typed `sys_journal` row; `raw` holds the entry's protobuf bytes.
 *
 * @example
 * const commands = (await admin.exportJournal(id)).filter((e) => e.entryType.startsWith("Command"));
 */
export interface JournalRow {
  readonly index: number;
  /** e.g. `Command: Run`, `Notification: Completion`. */
  readonly entryType: string;
  readonly name?: string;
  readonly completed?: boolean;
  readonly invokedId?: string;
  readonly invokedTarget?: string;
  readonly sleepWakeupAt?: Date;
  readonly promiseName?: string;
  readonly raw: Uint8Array;
  readonly rawLength?: number;
  readonly version?: number;
  readonly entryJson?: string;
  readonly appendedAt?: Date;
}

/**
 * Which invocations `listInvocations` returns; every field narrows the result.
 *
 * @example
 * await admin.listInvocations({ service: "Cart", key: "Mary", status: ["running", "backing-off"] });
 */
export interface InvocationFilter {
  readonly id?: string;
  readonly service?: string;
  readonly handler?: string;
  readonly key?: string;
  readonly idempotencyKey?: string;
  readonly status?: InvocationStatus | readonly InvocationStatus[];
  /** true: only completed invocations; false: only those not completed yet. */
  readonly isCompleted?: boolean;
  /** At most this many rows, newest first (default 100; `Infinity` for all). */
  readonly limit?: number;
}

type Kind = "string" | "number" | "boolean" | "date" | "bytes";

// Keyed by field so the compiler checks that every field of the row types has a column; the
// column is the field name in snake_case.
const INVOCATION_FIELDS: { readonly [K in keyof InvocationRow]-?: Kind } = {
  id: "string",
  target: "string",
  targetServiceName: "string",
  targetServiceKey: "string",
  targetHandlerName: "string",
  targetServiceTy: "string",
  status: "string",
  idempotencyKey: "string",
  invokedBy: "string",
  invokedById: "string",
  invokedByTarget: "string",
  pinnedDeploymentId: "string",
  journalSize: "number",
  retryCount: "number",
  lastFailure: "string",
  lastFailureErrorCode: "string",
  nextRetryAt: "date",
  createdAt: "date",
  modifiedAt: "date",
  scheduledStartAt: "date",
  completedAt: "date",
  completionResult: "string",
  completionFailure: "string",
};

const JOURNAL_FIELDS: { readonly [K in keyof JournalRow]-?: Kind } = {
  index: "number",
  entryType: "string",
  name: "string",
  completed: "boolean",
  invokedId: "string",
  invokedTarget: "string",
  sleepWakeupAt: "date",
  promiseName: "string",
  raw: "bytes",
  rawLength: "number",
  version: "number",
  entryJson: "string",
  appendedAt: "date",
};

const DEFAULT_LIMIT = 100;

/**
 * The `SELECT` behind `listInvocations`.
 *
 * @throws RangeError when `limit` is not a positive integer or `Infinity`.
 */
export function invocationQuery(filter: InvocationFilter = {}): string {
  const where: string[] = [];
  const equal = (column: string, value: string | undefined): void => {
    if (value !== undefined) where.push(`${column} = ${sqlString(value)}`);
  };
  equal("id", filter.id);
  equal("target_service_name", filter.service);
  equal("target_handler_name", filter.handler);
  equal("target_service_key", filter.key);
  equal("idempotency_key", filter.idempotencyKey);
  if (filter.status !== undefined) {
    const statuses: readonly string[] =
      typeof filter.status === "string" ? [filter.status] : filter.status;
    where.push(statuses.length > 0 ? `status IN (${statuses.map(sqlString).join(", ")})` : "FALSE");
  }
  if (filter.isCompleted !== undefined) {
    where.push(`status ${filter.isCompleted ? "=" : "<>"} 'completed'`);
  }
  const limit = filter.limit ?? DEFAULT_LIMIT;
  if (limit !== Infinity && !(Number.isSafeInteger(limit) && limit > 0)) {
    throw new RangeError(`Invalid limit ${limit}: must be a positive integer or Infinity`);
  }
  return [
    `SELECT ${columns(INVOCATION_FIELDS)} FROM sys_invocation`,
    where.length > 0 ? `WHERE ${where.join(" AND ")}` : "",
    "ORDER BY created_at DESC",
    limit === Infinity ? "" : `LIMIT ${limit}`,
  ]
    .filter((part) => part !== "")
    .join(" ");
}

/** The `SELECT` of one invocation's journal, in index order. */
export function journalQuery(invocationId: string): string {
  return `SELECT ${columns(JOURNAL_FIELDS)} FROM sys_journal WHERE id = ${sqlString(invocationId)} ORDER BY "index"`;
}

/** Maps a JSON row of {@link invocationQuery} to an {@link InvocationRow}. */
export function toInvocationRow(row: Record<string, unknown>): InvocationRow {
  return { retryCount: 0, ...decode(INVOCATION_FIELDS, row) } as InvocationRow;
}

/** Maps a JSON row of {@link journalQuery} to a {@link JournalRow}. */
export function toJournalRow(row: Record<string, unknown>): JournalRow {
  return { raw: new Uint8Array(0), ...decode(JOURNAL_FIELDS, row) } as JournalRow;
}

function columns(fields: Readonly<Record<string, Kind>>): string {
  // Quoted: `index` is a keyword.
  return Object.keys(fields)
    .map((field) => `"${snakeCase(field)}"`)
    .join(", ");
}

function decode(fields: Readonly<Record<string, Kind>>, row: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(fields)) {
    const value = row[snakeCase(field)];
    if (value !== undefined && value !== null) out[field] = convert(kind, value, field);
  }
  return out;
}

function convert(kind: Kind, value: unknown, field: string): unknown {
  switch (kind) {
    case "string":
    case "number":
    case "boolean":
      if (typeof value !== kind) throw new TypeError(`Column ${field}: expected a ${kind}`);
      return value;
    case "date":
      return new Date(String(value));
    case "bytes":
      return hexToBytes(String(value), field);
  }
}

/** The query endpoint renders binary columns as lowercase hex (1.7.12). */
function hexToBytes(hex: string, field: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError(`Column ${field}: expected hex-encoded bytes`);
  }
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function snakeCase(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
