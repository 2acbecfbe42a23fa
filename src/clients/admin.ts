// SPDX-License-Identifier: MIT
// `connectAdmin()`: the admin API (port 9070) — deployments, services, invocations, Kafka
// subscriptions, and SQL introspection. Admin requests are never retried.
import {
  type BulkResult,
  type Deployment,
  type DeploymentSummary,
  type HandlerInfo,
  type RegisterDeploymentRequest,
  type RegisteredDeployment,
  type ServiceInfo,
  type ServicePatch,
  type Subscription,
  type SubscriptionRequest,
  toDeployment,
  toHandlerInfo,
  toRegisteredDeployment,
  toServiceInfo,
} from "./admin-types.js";
import {
  type InvocationFilter,
  type InvocationRow,
  type JournalRow,
  invocationQuery,
  journalQuery,
  toInvocationRow,
  toJournalRow,
} from "./sql.js";
import { type FetchFn, type HttpRequest, durationParam, makeTransport } from "./transport.js";

/**
 * Where the admin API is; only `url` is required.
 *
 * @example
 * const options: AdminOptions = { url: "http://localhost:9070", headers: {}, fetch: undefined };
 */
export interface AdminOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly fetch: FetchFn | undefined;
}

/**
 * Something to do to one invocation (`PATCH /invocations/{id}/{action}`).
 *
 * @example
 * const action: InvocationAction = "pause";
 */
export type InvocationAction = "cancel" | "kill" | "pause" | "resume" | "purge";

/**
 * The admin client returned by {@link connectAdmin}.
 *
 * @example
 * const admin = connectAdmin({ url: "http://localhost:9070" });
 * const stuck = await admin.listInvocations({ status: "backing-off" });
 */
export interface Admin {
  registerDeployment(request: RegisterDeploymentRequest): Promise<RegisteredDeployment>;
  listDeployments(): Promise<DeploymentSummary[]>;
  getDeployment(id: string): Promise<Deployment>;
  /** Restate 1.7 only removes deployments with `force: true` (it answers 501 otherwise). */
  removeDeployment(id: string, options?: { readonly force?: boolean }): Promise<void>;

  listServices(): Promise<ServiceInfo[]>;
  getService(name: string): Promise<ServiceInfo>;
  listHandlers(service: string): Promise<HandlerInfo[]>;
  patchService(name: string, patch: ServicePatch): Promise<ServiceInfo>;

  /** Runs SQL on the server's introspection tables; rows come back as the server sends them. */
  query<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  listInvocations(filter?: InvocationFilter): Promise<InvocationRow[]>;
  getInvocation(id: string): Promise<InvocationRow | undefined>;
  /** The journal of an invocation, in index order, with each entry's raw bytes. */
  exportJournal(invocationId: string): Promise<JournalRow[]>;

  cancelInvocation(id: string): Promise<void>;
  killInvocation(id: string): Promise<void>;
  pauseInvocation(id: string): Promise<void>;
  resumeInvocation(id: string): Promise<void>;
  purgeInvocation(id: string): Promise<void>;
  /**
   * Cancels every invocation of a target that has not completed. Targets are written as for
   * `restate invocations cancel`: `Service`, `Service/handler`, `Object/key`, `Object/key/handler`.
   */
  cancelInvocations(target: string): Promise<BulkResult>;
  /** Kills every invocation of a target that has not completed (same targets as cancel). */
  killInvocations(target: string): Promise<BulkResult>;

  createSubscription(request: SubscriptionRequest): Promise<Subscription>;
  listSubscriptions(filter?: {
    readonly source?: string;
    readonly sink?: string;
  }): Promise<Subscription[]>;
  getSubscription(id: string): Promise<Subscription>;
  deleteSubscription(id: string): Promise<void>;
}

/**
 * Connects to the Restate admin API (port 9070 by default).
 *
 * @example
 * const admin = connectAdmin({ url: "http://localhost:9070" });
 * await admin.registerDeployment({ uri: "http://localhost:9080" });
 * @see https://docs.restate.dev/adminapi/overview
 */
export function connectAdmin(options: Pick<AdminOptions, "url"> & Partial<AdminOptions>): Admin {
  const transport = makeTransport({
    url: options.url,
    headers: { accept: "application/json", ...options.headers },
    fetch: options.fetch,
    retry: undefined,
  });
  const request = async <T>(
    method: HttpRequest["method"],
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const reply = await transport({
      method,
      path,
      isIdempotent: false,
      ...(body !== undefined
        ? {
            headers: { "content-type": "application/json" },
            body: new TextEncoder().encode(JSON.stringify(body)),
          }
        : {}),
    });
    const text = new TextDecoder().decode(reply.body);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  };
  const query = async <T>(sql: string): Promise<T[]> =>
    (await request<{ rows: T[] }>("POST", "/query", { query: sql })).rows;
  const act = async (id: string, action: InvocationAction): Promise<void> => {
    await request("PATCH", `/invocations/${seg(id)}/${action}`);
  };
  const listInvocations = async (filter?: InvocationFilter): Promise<InvocationRow[]> =>
    (await query<Record<string, unknown>>(invocationQuery(filter))).map(toInvocationRow);
  const getService = async (name: string): Promise<ServiceInfo> =>
    toServiceInfo(await request("GET", `/services/${seg(name)}`));

  const bulk = async (target: string, action: "cancel" | "kill"): Promise<BulkResult> => {
    const filter = await targetFilter(target, async (service) => (await getService(service)).ty);
    const rows = await listInvocations({ ...filter, isCompleted: false, limit: Infinity });
    const succeeded: string[] = [];
    const failed: { id: string; error: Error }[] = [];
    for (const { id } of rows) {
      try {
        await act(id, action);
        succeeded.push(id);
      } catch (error) {
        failed.push({ id, error: error instanceof Error ? error : new Error(String(error)) });
      }
    }
    return { succeeded, failed };
  };

  return Object.freeze({
    registerDeployment: async (r: RegisterDeploymentRequest) =>
      toRegisteredDeployment(
        await request("POST", "/deployments", {
          uri: r.uri,
          ...(r.useHttp11 !== undefined ? { use_http_11: r.useHttp11 } : {}),
          ...(r.force !== undefined ? { force: r.force } : {}),
          ...(r.breaking !== undefined ? { breaking: r.breaking } : {}),
          ...(r.dryRun !== undefined ? { dry_run: r.dryRun } : {}),
          ...(r.additionalHeaders !== undefined ? { additional_headers: r.additionalHeaders } : {}),
          ...(r.metadata !== undefined ? { metadata: r.metadata } : {}),
        }),
      ),
    listDeployments: async () =>
      (await request<{ deployments: unknown[] }>("GET", "/deployments")).deployments.map((d) =>
        toDeployment(d, false),
      ),
    getDeployment: async (id: string) =>
      toDeployment(await request("GET", `/deployments/${seg(id)}`), true),
    removeDeployment: async (id: string, opts?: { readonly force?: boolean }) => {
      await request(
        "DELETE",
        `/deployments/${seg(id)}${opts?.force === true ? "?force=true" : ""}`,
      );
    },
    listServices: async () =>
      (await request<{ services: unknown[] }>("GET", "/services")).services.map(toServiceInfo),
    getService,
    listHandlers: async (service: string) =>
      (
        await request<{ handlers: unknown[] }>("GET", `/services/${seg(service)}/handlers`)
      ).handlers.map(toHandlerInfo),
    patchService: async (name: string, patch: ServicePatch) =>
      toServiceInfo(await request("PATCH", `/services/${seg(name)}`, servicePatchBody(patch))),
    query,
    listInvocations,
    getInvocation: async (id: string) => (await listInvocations({ id, limit: 1 }))[0],
    exportJournal: async (invocationId: string) =>
      (await query<Record<string, unknown>>(journalQuery(invocationId))).map(toJournalRow),
    cancelInvocation: (id: string) => act(id, "cancel"),
    killInvocation: (id: string) => act(id, "kill"),
    pauseInvocation: (id: string) => act(id, "pause"),
    resumeInvocation: (id: string) => act(id, "resume"),
    purgeInvocation: (id: string) => act(id, "purge"),
    cancelInvocations: (target: string) => bulk(target, "cancel"),
    killInvocations: (target: string) => bulk(target, "kill"),
    createSubscription: async (r: SubscriptionRequest) =>
      request<Subscription>("POST", "/subscriptions", {
        source: r.source,
        sink: r.sink,
        ...(r.options !== undefined ? { options: r.options } : {}),
      }),
    listSubscriptions: async (filter?: { readonly source?: string; readonly sink?: string }) => {
      const params = new URLSearchParams();
      if (filter?.source !== undefined) params.set("source", filter.source);
      if (filter?.sink !== undefined) params.set("sink", filter.sink);
      const query = params.size > 0 ? `?${params.toString()}` : "";
      return (await request<{ subscriptions: Subscription[] }>("GET", `/subscriptions${query}`))
        .subscriptions;
    },
    getSubscription: (id: string) => request<Subscription>("GET", `/subscriptions/${seg(id)}`),
    deleteSubscription: async (id: string) => {
      await request("DELETE", `/subscriptions/${seg(id)}`);
    },
  });
}

/**
 * Reads a bulk target (`Service`, `Service/handler`, `Object/key`, `Object/key/handler`). A
 * two-part target is ambiguous until the service's type is known, so `typeOf` asks the server.
 *
 * @throws TypeError for an empty part, more than three parts, or a key on a plain service.
 */
export async function targetFilter(
  target: string,
  typeOf: (service: string) => Promise<ServiceInfo["ty"]>,
): Promise<InvocationFilter> {
  const parts = target.split("/");
  if (parts.length > 3 || parts.some((part) => part === "")) {
    throw new TypeError(
      `Invalid target "${target}": expected Service, Service/handler, Object/key or Object/key/handler`,
    );
  }
  const [service = "", second, handler] = parts;
  if (second === undefined) return { service };
  const isKeyed = (await typeOf(service)) !== "Service";
  if (handler !== undefined && !isKeyed) {
    throw new TypeError(`Invalid target "${target}": ${service} is a service and has no keys`);
  }
  if (!isKeyed) return { service, handler: second };
  return { service, key: second, ...(handler !== undefined ? { handler } : {}) };
}

function servicePatchBody(patch: ServicePatch): Record<string, unknown> {
  const durations = {
    idempotency_retention: patch.idempotencyRetention,
    journal_retention: patch.journalRetention,
    workflow_completion_retention: patch.workflowCompletionRetention,
    inactivity_timeout: patch.inactivityTimeout,
    abort_timeout: patch.abortTimeout,
  };
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(durations)) {
    if (value !== undefined) body[field] = durationParam(value);
  }
  if (patch.public !== undefined) body["public"] = patch.public;
  return body;
}

function seg(value: string): string {
  return encodeURIComponent(value);
}
