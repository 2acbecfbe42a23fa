// SPDX-License-Identifier: MIT
// Admin API resources (port 9070), camelCased from the server's snake_case JSON. Field names are
// otherwise the server's own (`ty`, `protocolType`…), so the admin API reference applies.

/**
 * A handler as the admin API describes it.
 *
 * @example
 * const shared = (await admin.listHandlers("Cart")).filter((h) => h.ty === "Shared");
 */
export interface HandlerInfo {
  readonly name: string;
  /** `Exclusive`, `Shared` or `Workflow` (absent for plain services). */
  readonly ty?: "Exclusive" | "Shared" | "Workflow";
  readonly public?: boolean;
  readonly inputDescription: string;
  readonly outputDescription: string;
  readonly inputJsonSchema?: unknown;
  readonly outputJsonSchema?: unknown;
  readonly documentation?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly idempotencyRetention?: string;
  readonly journalRetention?: string;
  readonly inactivityTimeout?: string;
  readonly abortTimeout?: string;
  readonly enableLazyState?: boolean;
}

/**
 * The retry policy the server applies to a service.
 *
 * @example
 * const attempts = (await admin.getService("Cart")).retryPolicy?.maxAttempts;
 */
export interface ServiceRetryPolicy {
  readonly initialInterval?: string;
  readonly exponentiationFactor?: number;
  readonly maxAttempts?: number | null;
  readonly maxInterval?: string;
  readonly onMaxAttempts?: string;
}

/**
 * A registered service, virtual object or workflow. Durations are the server's strings (`1d`).
 *
 * @example
 * const { idempotencyRetention } = await admin.getService("Cart");
 */
export interface ServiceInfo {
  readonly name: string;
  readonly ty: "Service" | "VirtualObject" | "Workflow";
  readonly handlers: readonly HandlerInfo[];
  readonly deploymentId: string;
  readonly revision: number;
  readonly public: boolean;
  readonly documentation?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly idempotencyRetention?: string;
  readonly journalRetention?: string;
  readonly workflowCompletionRetention?: string;
  readonly inactivityTimeout?: string;
  readonly abortTimeout?: string;
  readonly enableLazyState?: boolean;
  readonly retryPolicy?: ServiceRetryPolicy;
}

/**
 * A deployment as listed: services by name and revision.
 *
 * @example
 * const uris = (await admin.listDeployments()).map((d) => d.uri);
 */
export interface DeploymentSummary {
  readonly id: string;
  /** HTTP deployments. */
  readonly uri?: string;
  /** Lambda deployments. */
  readonly arn?: string;
  /** `BidiStream` or `RequestResponse`. */
  readonly protocolType?: string;
  readonly httpVersion?: string;
  readonly createdAt: Date;
  readonly minProtocolVersion: number;
  readonly maxProtocolVersion: number;
  readonly sdkVersion?: string;
  readonly additionalHeaders?: Readonly<Record<string, string>>;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly services: readonly { readonly name: string; readonly revision: number }[];
}

/**
 * One deployment with its services in full.
 *
 * @example
 * const { services } = await admin.getDeployment("dp_…");
 */
export interface Deployment extends Omit<DeploymentSummary, "services"> {
  readonly services: readonly ServiceInfo[];
}

/**
 * The admin API's answer to a registration.
 *
 * @example
 * const { id } = await admin.registerDeployment({ uri: "http://localhost:9080" });
 */
export interface RegisteredDeployment {
  readonly id: string;
  readonly services: readonly ServiceInfo[];
  readonly minProtocolVersion?: number;
  readonly maxProtocolVersion?: number;
  readonly sdkVersion?: string;
}

/**
 * A deployment to register; only `uri` is required.
 *
 * @example
 * await admin.registerDeployment({ uri: "http://localhost:9080", useHttp11: true });
 */
export interface RegisterDeploymentRequest {
  readonly uri: string;
  /** Discover and invoke it over HTTP/1.1 (request/response) instead of HTTP/2. */
  readonly useHttp11?: boolean;
  /** Replace a deployment with the same URI. */
  readonly force?: boolean;
  /** Allow incompatible changes to existing services. */
  readonly breaking?: boolean;
  /** Only discover and validate. */
  readonly dryRun?: boolean;
  /** Headers the server adds to every request to the deployment. */
  readonly additionalHeaders?: Readonly<Record<string, string>>;
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * Changes to a service's options. Durations are milliseconds or strings the server parses
 * (`"5 hours"`, `"PT1H"`, `"10s"`).
 *
 * @example
 * await admin.patchService("Greeter", { idempotencyRetention: "2h" });
 */
export interface ServicePatch {
  readonly public?: boolean;
  readonly idempotencyRetention?: number | string;
  readonly journalRetention?: number | string;
  readonly workflowCompletionRetention?: number | string;
  readonly inactivityTimeout?: number | string;
  readonly abortTimeout?: number | string;
}

/**
 * A Kafka subscription: records of `source` are sent to `sink`.
 *
 * @example
 * const ids = (await admin.listSubscriptions()).map((s) => s.id);
 */
export interface Subscription {
  readonly id: string;
  /** `kafka://cluster/topic`. */
  readonly source: string;
  /** `service://Service/handler`. */
  readonly sink: string;
  /** Consumer options (`auto.offset.reset`, `group.id`…). */
  readonly options: Readonly<Record<string, string>>;
}

/**
 * A subscription to create.
 *
 * @example
 * await admin.createSubscription({ source: "kafka://my-cluster/orders", sink: "service://Orders/add" });
 */
export interface SubscriptionRequest {
  readonly source: string;
  readonly sink: string;
  readonly options?: Readonly<Record<string, string>>;
}

/**
 * What a bulk cancel or kill did: the invocations acted on, and those that failed.
 *
 * @example
 * const { succeeded, failed } = await admin.cancelInvocations("Cart/Mary");
 */
export interface BulkResult {
  readonly succeeded: readonly string[];
  readonly failed: readonly { readonly id: string; readonly error: Error }[];
}

// The mappers below trust replies to follow the admin API's OpenAPI schema (1.7): they rename
// keys and convert dates, but do not validate, hence the casts.
type Json = Record<string, unknown>;

/** Renames the top-level keys of a server object; nested maps (metadata, headers) keep theirs. */
function camelKeys(value: unknown): Json {
  const out: Json = {};
  for (const [key, v] of Object.entries(value as Json)) {
    if (v !== null) out[key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = v;
  }
  return out;
}

/** Maps a server `HandlerMetadata`. */
export function toHandlerInfo(json: unknown): HandlerInfo {
  return camelKeys(json) as unknown as HandlerInfo;
}

/** Maps a server `ServiceMetadata`. */
export function toServiceInfo(json: unknown): ServiceInfo {
  const service = camelKeys(json);
  const { handlers, retryPolicy } = service;
  return {
    ...service,
    handlers: Array.isArray(handlers) ? handlers.map(toHandlerInfo) : [],
    ...(retryPolicy !== undefined ? { retryPolicy: camelKeys(retryPolicy) } : {}),
  } as unknown as ServiceInfo;
}

/** Maps a server deployment (listed, or in full when `isDetailed`). */
export function toDeployment(json: unknown, isDetailed: true): Deployment;
export function toDeployment(json: unknown, isDetailed: false): DeploymentSummary;
export function toDeployment(json: unknown, isDetailed: boolean): Deployment | DeploymentSummary {
  const deployment = camelKeys(json);
  const services = Array.isArray(deployment["services"]) ? deployment["services"] : [];
  return {
    ...deployment,
    createdAt: new Date(String(deployment["createdAt"])),
    services: isDetailed ? services.map(toServiceInfo) : services,
  } as unknown as Deployment | DeploymentSummary;
}

/** Maps a server registration reply. */
export function toRegisteredDeployment(json: unknown): RegisteredDeployment {
  const reply = camelKeys(json);
  const services = Array.isArray(reply["services"]) ? reply["services"] : [];
  return { ...reply, services: services.map(toServiceInfo) } as unknown as RegisteredDeployment;
}
