// SPDX-License-Identifier: MIT
// The `Ingress` interface: what `connect()` returns. Type-only.
import type { HandlerOutput, ServiceRef } from "../definitions/clients.js";
import type { Serde } from "../serde/serde.js";
import type {
  DescriptorLike,
  HandlerDescriptorLike,
  IngressClientFromDescriptors,
  IngressSendClientFromDescriptors,
} from "./descriptor-types.js";
import type { Opts, SendOpts } from "./rpc.js";
import type {
  AttachOptions,
  IdempotentInvocation,
  IngressClient,
  IngressHandlerName,
  IngressHandlers,
  IngressRunHandler,
  IngressSendClient,
  IngressWorkflowClient,
  Output,
  RawInvocation,
  Send,
  SendArgs,
  WorkflowSubmission,
} from "./types.js";

/**
 * The ingress client returned by `connect`.
 *
 * @example
 * const ingress = connect({ url: "http://localhost:8080" });
 * await ingress.objectClient(counter, "a").add(1);
 */
export interface Ingress {
  serviceClient<D>(service: ServiceRef<D> & { readonly name: string }): IngressClient<D>;
  objectClient<D>(object: ServiceRef<D> & { readonly name: string }, key: string): IngressClient<D>;
  workflowClient<D>(
    workflow: ServiceRef<D> & { readonly name: string },
    id: string,
  ): IngressWorkflowClient<D>;
  serviceSendClient<D>(service: ServiceRef<D> & { readonly name: string }): IngressSendClient<D>;
  objectSendClient<D>(
    object: ServiceRef<D> & { readonly name: string },
    key: string,
  ): IngressSendClient<D>;
  workflowSendClient<D>(
    workflow: ServiceRef<D> & { readonly name: string },
    id: string,
  ): IngressSendClient<D>;

  /** A client from a service interface descriptor (`iface.service(…)`). */
  client<H extends Record<string, HandlerDescriptorLike>>(
    service: DescriptorLike<H>,
  ): IngressClientFromDescriptors<H>;
  /** A client from an object or workflow interface descriptor, for one key. */
  client<H extends Record<string, HandlerDescriptorLike>>(
    objectOrWorkflow: DescriptorLike<H>,
    key: string,
  ): IngressClientFromDescriptors<H>;
  /** A one-way client from a service interface descriptor. */
  sendClient<H extends Record<string, HandlerDescriptorLike>>(
    service: DescriptorLike<H>,
  ): IngressSendClientFromDescriptors<H>;
  /** A one-way client from an object or workflow interface descriptor, for one key. */
  sendClient<H extends Record<string, HandlerDescriptorLike>>(
    objectOrWorkflow: DescriptorLike<H>,
    key: string,
  ): IngressSendClientFromDescriptors<H>;

  /** Calls a handler by name (the connection's serde unless `opts` names serdes). */
  call<I = Uint8Array, O = Uint8Array>(invocation: RawInvocation<I, Opts<I, O>>): Promise<O>;
  /** Sends to a handler by name, without waiting for it. */
  send<I = Uint8Array>(invocation: RawInvocation<I, SendOpts<I>>): Promise<Send>;
  /**
   * Clients that route every invocation within a scope (a V7 server with flow control enabled).
   *
   * @example
   * await ingress.scope("tenant-1").serviceClient(greeter).greet("Till");
   */
  scope(scopeKey: string): ScopedIngress;

  /** Waits for a sent invocation to finish and returns its output. */
  result<O>(
    send: Send<O> | WorkflowSubmission<O>,
    options?: AttachOptions<O> | Serde<O>,
  ): Promise<O>;
  /** Waits for an invocation, by id or by idempotency key, and returns its output. */
  attach<O = unknown>(invocationId: string, options?: AttachOptions<O>): Promise<O>;
  attach<D extends { readonly name: string }, H extends IngressHandlerName<D>>(
    invocation: IdempotentInvocation<D, H>,
    options?: AttachOptions<HandlerOutput<IngressHandlers<D>[H]>>,
  ): Promise<HandlerOutput<IngressHandlers<D>[H]>>;
  /** The output of an invocation, by id or by idempotency key, if it has finished. */
  output<O = unknown>(invocationId: string, options?: AttachOptions<O>): Promise<Output<O>>;
  output<D extends { readonly name: string }, H extends IngressHandlerName<D>>(
    invocation: IdempotentInvocation<D, H>,
    options?: AttachOptions<HandlerOutput<IngressHandlers<D>[H]>>,
  ): Promise<Output<HandlerOutput<IngressHandlers<D>[H]>>>;

  /** Starts a workflow's `run` unless this id already ran. */
  workflowSubmit<D>(
    workflow: ServiceRef<D> & { readonly name: string },
    id: string,
    ...args: SendArgs<IngressRunHandler<D>>
  ): Promise<WorkflowSubmission<HandlerOutput<IngressRunHandler<D>>>>;
  /** Waits for a workflow's `run` to finish and returns its output. */
  workflowAttach<D>(
    workflow: ServiceRef<D> & { readonly name: string },
    id: string,
    options?: AttachOptions<HandlerOutput<IngressRunHandler<D>>>,
  ): Promise<HandlerOutput<IngressRunHandler<D>>>;
  /** The output of a workflow's `run`, if it has finished. */
  workflowOutput<D>(
    workflow: ServiceRef<D> & { readonly name: string },
    id: string,
    options?: AttachOptions<HandlerOutput<IngressRunHandler<D>>>,
  ): Promise<Output<HandlerOutput<IngressRunHandler<D>>>>;
  /** Submits the workflow if this id is new, then waits for it (new, running or finished). */
  runOrAttach<D>(
    workflow: ServiceRef<D> & { readonly name: string },
    id: string,
    ...args: SendArgs<IngressRunHandler<D>>
  ): Promise<HandlerOutput<IngressRunHandler<D>>>;

  /** Completes an awakeable, with a value (the connection's serde unless `serde` is given). */
  resolveAwakeable<T>(id: string, value?: T, serde?: Serde<T>): Promise<void>;
  /** Fails an awakeable; the awaiting handler sees a terminal error with this message. */
  rejectAwakeable(id: string, reason: string): Promise<void>;
}

/**
 * The clients of an {@link Ingress} that route within one scope.
 *
 * @example
 * const scoped: ScopedIngress = ingress.scope("tenant-1");
 */
export type ScopedIngress = Pick<
  Ingress,
  | "serviceClient"
  | "serviceSendClient"
  | "objectClient"
  | "objectSendClient"
  | "workflowClient"
  | "client"
  | "sendClient"
>;
