// SPDX-License-Identifier: MIT
// The public API of `restate-hono`. Names and shapes follow the official TypeScript SDK, so that
// switching is a one-line import change.

export { service, object, workflow, handlers } from "./definitions/service.js";
export type { ServiceDefinition, ServiceKind, HandlerKind } from "./definitions/service.js";
export type {
  HandlerOptions,
  ServiceOptions,
  RetryPolicy,
  CommonOptions,
} from "./definitions/options.js";
export type { Duration } from "./definitions/duration.js";
export type {
  Client,
  SendClient,
  ServiceRef,
  ObjectRef,
  WorkflowRef,
  HandlerInput,
  HandlerOutput,
} from "./definitions/clients.js";

export type {
  Context,
  ObjectContext,
  ObjectSharedContext,
  WorkflowContext,
  WorkflowSharedContext,
  KeyValueStore,
  KeyValueStoreReader,
  TypedState,
  UntypedState,
  DurablePromise,
  InvocationPromise,
  InvocationHandle,
  InvocationId,
  InvocationReference,
  InvocationTarget,
  OutputResult,
  SignalReference,
  Awakeable,
  Request,
  Rand,
  ContextDate,
  ContextConsole,
  CallOptions,
  SendOptions,
  GenericCall,
  GenericSend,
  RunAction,
} from "./context/types.js";
export { RestatePromise } from "./context/combinators.js";
export { rpc } from "./context/clients.js";
export type { RunOptions } from "./context/run-options.js";
export type { Logger } from "./context/logger.js";

export { serde } from "./serde/index.js";
export type { Serde, JsonSerde, MsgpackSerde, SchemaOptions } from "./serde/index.js";

export {
  RestateError,
  TerminalError,
  TimeoutError,
  CancelledError,
  RetryableError,
  isTerminalError,
  isCancelledError,
  isTimeoutError,
  isRetryableError,
} from "./errors.js";

export { endpoint, RestateEndpoint } from "./endpoint/endpoint.js";
export { serve } from "./endpoint/serve.js";
export type { ServeOptions } from "./endpoint/serve.js";
