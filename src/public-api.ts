// SPDX-License-Identifier: MIT
// The runtime-neutral public API, shared by the main entry (`restate-hono`, Node) and
// `restate-hono/fetch` (Workers, Deno, Bun): everything except the endpoints. Nothing imported from
// here may reach a `node:` module, Node's globals or `@hono/node-server`.
export { service, object, workflow, handlers } from "./definitions/service.js";
export type {
  ServiceDefinition,
  ServiceKind,
  HandlerKind,
  AnyDefinition,
  DefinitionInit,
} from "./definitions/service.js";
export type {
  HandlerOptions,
  ServiceOptions,
  RetryPolicy,
  CommonOptions,
} from "./definitions/options.js";
export type { Duration } from "./definitions/duration.js";
export type {
  ServiceRef,
  ObjectRef,
  WorkflowRef,
  HandlerInput,
  HandlerOutput,
  HandlersOf,
  NameOf,
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
  StateKey,
  StateValue,
  IsUntyped,
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
  ScopedContext,
} from "./context/types.js";
export { RestatePromise, CombineablePromise, isRestatePromise } from "./context/combinators.js";
export type { CombinedValues, CombinedSettled } from "./context/combinators.js";
export type { Target } from "./context/types.js";
export type {
  Client,
  SendClient,
  ClientFromDescriptors,
  SendClientFromDescriptors,
  InferArg,
  ClientMethod,
} from "./context/client-types.js";
export { Opts, SendOpts } from "./context/call-options.js";
export type { ClientCallOptions, ClientSendOptions } from "./context/call-options.js";
export * as rpc from "./context/rpc.js";
export { InvocationIdParser } from "./context/invocation-id.js";
export {
  createServiceHandler,
  createObjectHandler,
  createObjectSharedHandler,
  createWorkflowHandler,
  createWorkflowSharedHandler,
} from "./definitions/handler-aliases.js";
export { iface } from "./definitions/descriptors.js";
export type {
  Descriptor,
  DescriptorOpts,
  HandlerDescriptor,
  ServiceDescriptor,
  ObjectDescriptor,
  WorkflowDescriptor,
  ServiceInterface,
  InferInput,
  InferOutput,
  SerdeType,
  SchemaOut,
} from "./definitions/descriptors.js";
export { implement } from "./definitions/implement.js";
export type {
  FnOf,
  ImplConfig,
  ImplementedDefinition,
  ImplementedServiceDefinition,
  ImplementedObjectDefinition,
  ImplementedWorkflowDefinition,
  ServiceImplHandlers,
  ObjectImplHandlers,
  WorkflowImplHandlers,
  ServicePerHandlerOpts,
  ObjectPerHandlerOpts,
  WorkflowPerHandlerOpts,
} from "./definitions/implement.js";
export type {
  VirtualObjectDefinition,
  WorkflowDefinition,
  ServiceDefinitionFrom,
  VirtualObjectDefinitionFrom,
  WorkflowDefinitionFrom,
  Service,
  VirtualObject,
  Workflow,
  ServiceHandler,
  ObjectHandler,
  WorkflowHandler,
  WorkflowSharedHandler,
  RestateContext,
  RestateObjectContext,
  RestateObjectSharedContext,
  RestateWorkflowContext,
  RestateWorkflowSharedContext,
  HandlerFn,
} from "./definitions/types.js";
export type { ServiceOpts, ObjectOpts, WorkflowOpts } from "./definitions/service.js";
export type { RemoveVoidArgument } from "./definitions/handlers.js";
export type {
  ObjectOptions,
  WorkflowOptions,
  DefaultServiceOptions,
  ServiceHandlerOpts,
  ObjectHandlerOpts,
  WorkflowHandlerOpts,
} from "./definitions/options.js";
export type { RunOptions } from "./context/run-options.js";
export type { Logger } from "./context/logger.js";
export {
  RestateLogLevel,
  LogSource,
  LoggerContext,
  type LogMetadata,
  type LoggerTransport,
} from "./context/log-transport.js";
export type {
  Hooks,
  HooksProvider,
  Interceptor,
  HookContext,
  OutgoingCall,
  RunInfo,
} from "./context/hooks.js";
export { isSuspendedError } from "./context/attempt-hooks.js";

export { serde } from "./serde/index.js";
export type {
  Serde,
  JsonSerde,
  MsgpackSerde,
  StandardSchemaV1,
  StandardSchemaV1InferOutput,
  StandardSchemaV1Issue,
  StandardSchemaV1Options,
  StandardSchemaV1PathSegment,
  StandardSchemaV1Props,
  StandardSchemaV1Result,
  StandardSchemaV1Types,
} from "./serde/index.js";
export type { JournalValueCodec } from "./serde/journal-value-codec.js";

export {
  RestateError,
  TerminalError,
  TimeoutError,
  CancelledError,
  RetryableError,
  PauseError,
  isTerminalError,
  isCancelledError,
  isTimeoutError,
  isRetryableError,
  isPauseError,
} from "./errors.js";
export type { RestateErrorOptions, TerminalErrorOptions, RetryableErrorOptions } from "./errors.js";
export * as internal from "./internal.js";
