// SPDX-License-Identifier: MIT
// Typed ingress clients from interface descriptors (`iface.service(…)` and friends): a code-free
// value naming a service and the serdes of its handlers. Structural, so any descriptor of that
// shape works, including the official SDK's.
import type { Serde } from "../serde/serde.js";
import type { Opts, SendOpts } from "./rpc.js";
import type { Send } from "./types.js";

/**
 * What the ingress client reads from one handler descriptor: its input and output serdes.
 *
 * @example
 * const greet: HandlerDescriptorLike<string, string> = { _inputSerde: serde.json, _outputSerde: serde.json };
 */
export interface HandlerDescriptorLike<I = unknown, O = unknown> {
  readonly _inputSerde?: Serde<I>;
  readonly _outputSerde?: Serde<O>;
}

/**
 * A service, object or workflow descriptor, as made by `iface.service/object/workflow`.
 *
 * @example
 * const api: DescriptorLike = { name: "Greeter", _kind: "service", _handlers: {} };
 */
export interface DescriptorLike<
  H extends Record<string, HandlerDescriptorLike> = Record<string, HandlerDescriptorLike>,
> {
  readonly name: string;
  readonly _kind: "service" | "object" | "workflow";
  readonly _handlers: H;
}

/**
 * The input type of a handler descriptor (`unknown` when it names no input serde).
 *
 * @example
 * type Input = DescriptorInput<typeof greeterApi._handlers.greet>; // string
 */
export type DescriptorInput<D> = D extends HandlerDescriptorLike<infer I, unknown> ? I : unknown;

/**
 * The output type of a handler descriptor (`unknown` when it names no output serde).
 *
 * @example
 * type Output = DescriptorOutput<typeof greeterApi._handlers.greet>; // string
 */
export type DescriptorOutput<D> = D extends HandlerDescriptorLike<unknown, infer O> ? O : unknown;

/**
 * A request/response client from a descriptor's handlers.
 *
 * @example
 * const hello: string = await ingress.client(greeterApi).greet("Till");
 */
export type IngressClientFromDescriptors<H extends Record<string, HandlerDescriptorLike>> = {
  readonly [K in keyof H]: [DescriptorInput<H[K]>] extends [void]
    ? (
        opts?: Opts<DescriptorInput<H[K]>, DescriptorOutput<H[K]>>,
      ) => Promise<DescriptorOutput<H[K]>>
    : (
        input: DescriptorInput<H[K]>,
        opts?: Opts<DescriptorInput<H[K]>, DescriptorOutput<H[K]>>,
      ) => Promise<DescriptorOutput<H[K]>>;
};

/**
 * A one-way client from a descriptor's handlers.
 *
 * @example
 * const { invocationId } = await ingress.sendClient(greeterApi).greet("Till");
 */
export type IngressSendClientFromDescriptors<H extends Record<string, HandlerDescriptorLike>> = {
  readonly [K in keyof H]: [DescriptorInput<H[K]>] extends [void]
    ? (opts?: SendOpts<DescriptorInput<H[K]>>) => Promise<Send<DescriptorOutput<H[K]>>>
    : (
        input: DescriptorInput<H[K]>,
        opts?: SendOpts<DescriptorInput<H[K]>>,
      ) => Promise<Send<DescriptorOutput<H[K]>>>;
};
