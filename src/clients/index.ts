// SPDX-License-Identifier: MIT
// The public API of `restate-hono/clients`: typed ingress and admin clients for applications
// outside Restate. Definitions are only ever imported as types, so a client can use
// `import type { Greeter } from "./services.js"` without loading the services' code.

export { connect } from "./ingress.js";
export type { ConnectOptions } from "./ingress.js";
export type {
  Ingress,
  IngressClient,
  IngressSendClient,
  IngressWorkflowClient,
  IdempotentInvocation,
  AttachOptions,
  CallArgs,
  SendArgs,
  Send,
  Output,
} from "./types.js";
export { rpc } from "./rpc.js";
export type { IngressCallOptions, IngressSendOptions, CallOpts, SendOpts } from "./rpc.js";
export { HttpCallError, isHttpCallError } from "./http-call-error.js";
export type { HttpCallErrorInit, HttpCallErrorSource } from "./http-call-error.js";
export { RETRY_DEFAULTS, isRetryableFailure } from "./retry.js";
export type { RetryOptions } from "./retry.js";
export type { FetchFn } from "./transport.js";
export { serde } from "../serde/index.js";
export type { Serde } from "../serde/serde.js";
export { connectAdmin } from "./admin.js";
export type { Admin, AdminOptions, InvocationAction } from "./admin.js";
export type {
  BulkResult,
  Deployment,
  DeploymentSummary,
  HandlerInfo,
  RegisterDeploymentRequest,
  RegisteredDeployment,
  ServiceInfo,
  ServicePatch,
  ServiceRetryPolicy,
  Subscription,
  SubscriptionRequest,
} from "./admin-types.js";
export { sqlString } from "./sql.js";
export type { InvocationFilter, InvocationRow, InvocationStatus, JournalRow } from "./sql.js";
