// SPDX-License-Identifier: MIT
// `ctx.scope(key)`: the typed clients of a context with every call and send routed into one scope
// (protocol V7; docs/protocol.md §6.3). The engine refuses a scope on V5/V6 with 573.
import type { OutgoingCalls } from "./outgoing-calls.js";
import type {
  Client,
  ClientFromDescriptors,
  SendClient,
  SendClientFromDescriptors,
} from "./client-types.js";
import type {
  Service,
  ServiceDefinitionFrom,
  VirtualObject,
  VirtualObjectDefinitionFrom,
  Workflow,
  WorkflowDefinitionFrom,
} from "../definitions/types.js";
import type { Descriptor, HandlerDescriptor } from "../definitions/descriptors.js";
import type { ScopedContext, SendOptions } from "./types.js";

/** The clients of one scope; built by `ctx.scope(key)`. */
export class ScopedClients implements ScopedContext {
  readonly #calls: OutgoingCalls;
  readonly #scope: string;

  constructor(calls: OutgoingCalls, scope: string) {
    this.#calls = calls;
    this.#scope = scope;
  }

  serviceClient<D>(service: ServiceDefinitionFrom<D>): Client<Service<D>> {
    return this.#calls.client(service, undefined, this.#scope) as Client<Service<D>>;
  }
  objectClient<D>(object: VirtualObjectDefinitionFrom<D>, key: string): Client<VirtualObject<D>> {
    return this.#calls.client(object, key, this.#scope) as Client<VirtualObject<D>>;
  }
  workflowClient<D>(workflow: WorkflowDefinitionFrom<D>, key: string): Client<Workflow<D>> {
    return this.#calls.client(workflow, key, this.#scope) as Client<Workflow<D>>;
  }
  serviceSendClient<D>(
    service: ServiceDefinitionFrom<D>,
    options?: SendOptions,
  ): SendClient<Service<D>> {
    const client = this.#calls.sendClient(service, undefined, options, this.#scope);
    return client as SendClient<Service<D>>;
  }
  objectSendClient<D>(
    object: VirtualObjectDefinitionFrom<D>,
    key: string,
    options?: SendOptions,
  ): SendClient<VirtualObject<D>> {
    return this.#calls.sendClient(object, key, options, this.#scope) as SendClient<
      VirtualObject<D>
    >;
  }
  workflowSendClient<D>(
    workflow: WorkflowDefinitionFrom<D>,
    key: string,
    options?: SendOptions,
  ): SendClient<Workflow<D>> {
    return this.#calls.sendClient(workflow, key, options, this.#scope) as SendClient<Workflow<D>>;
  }
  client<P extends string, H extends Record<string, HandlerDescriptor>>(
    description: Descriptor<P, H>,
    key?: string,
  ): ClientFromDescriptors<H> {
    return this.#calls.client(description, key, this.#scope) as ClientFromDescriptors<H>;
  }
  sendClient<P extends string, H extends Record<string, HandlerDescriptor>>(
    description: Descriptor<P, H>,
    key?: string,
  ): SendClientFromDescriptors<H> {
    const client = this.#calls.sendClient(description, key, undefined, this.#scope);
    return client as SendClientFromDescriptors<H>;
  }
}
