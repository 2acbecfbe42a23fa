// SPDX-License-Identifier: MIT
// The public API of `restate-hono/clients`: typed ingress and admin clients for applications
// outside Restate. Definitions are only ever imported as types, so a client can use
// `import type { Greeter } from "./services.js"` without loading the services' code.

export { connect } from "./ingress.js";
export type { ConnectionOpts, ConnectOptions } from "./ingress.js";
export type { Ingress, ScopedIngress } from "./ingress-api.js";
export type {
  IngressClient,
  IngressSendClient,
  IngressWorkflowClient,
  IngressHandlers,
  IngressHandlerName,
  IngressRunHandler,
  IdempotentInvocation,
  AttachOptions,
  CallArgs,
  SendArgs,
  Send,
  WorkflowSubmission,
  RawInvocation,
  InferArgType,
  Output,
} from "./types.js";
export type {
  DescriptorInput,
  DescriptorLike,
  DescriptorOutput,
  HandlerDescriptorLike,
  IngressClientFromDescriptors,
  IngressSendClientFromDescriptors,
} from "./descriptor-types.js";
// A module namespace, so that `rpc` is also a namespace to TypeScript, as in the official client.
export * as rpc from "./rpc-namespace.js";
export { Opts, SendOpts } from "./rpc.js";
export type { CallOpts, IngressCallOptions, IngressSendOptions } from "./rpc.js";
export { HttpCallError, isHttpCallError } from "./http-call-error.js";
export type { HttpCallErrorInit, HttpCallErrorSource } from "./http-call-error.js";
export { RETRY_DEFAULTS, defaultShouldRetry, isRetryableFailure } from "./retry.js";
export type { RetryFailure, RetryOptions, RetryPolicy, RetrySetting } from "./retry.js";
export type { FetchFn } from "./transport.js";
export { serde } from "../serde/index.js";
export type { Serde } from "../serde/serde.js";
export type { JournalValueCodec } from "../serde/journal-value-codec.js";
export type { Duration } from "../definitions/duration.js";
export type { HandlerInput, HandlerOutput } from "../definitions/clients.js";
// The definition types, as the official client re-exports them: a client types its stubs with them
// (`const greeter: ServiceDefinition<"Greeter", GreeterApi> = { name: "Greeter" }`).
export type {
  Service,
  ServiceDefinition,
  ServiceDefinitionFrom,
  VirtualObject,
  VirtualObjectDefinition,
  VirtualObjectDefinitionFrom,
  Workflow,
  WorkflowDefinition,
  WorkflowDefinitionFrom,
} from "../definitions/types.js";
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
