// SPDX-License-Identifier: MIT
// `connect()`: the typed ingress client. Every method is one or two HTTP requests to the ingress
// (paths observed on restate-server 1.7.12; docs/clients.md lists them).
import { json } from "../serde/json.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";
import type { Serde } from "../serde/serde.js";
import type { DescriptorLike } from "./descriptor-types.js";
import { isHttpCallError } from "./http-call-error.js";
import type { Ingress, ScopedIngress } from "./ingress-api.js";
import {
  type Connection,
  type Target,
  callHandler,
  contentType,
  decode,
  requestOptions,
  seg,
  sendToHandler,
  splitArgs,
} from "./invoke.js";
import { type RetrySetting, resolveRetry } from "./retry.js";
import { type Opts, isRpcOptions } from "./rpc.js";
import { type FetchFn, makeTransport } from "./transport.js";
import type { AttachOptions, Output, Send } from "./types.js";

/**
 * Where the ingress is and how to reach it (the official client's `ConnectionOpts`); only `url`
 * is required.
 *
 * @example
 * const options: ConnectionOpts = { url: "http://localhost:8080", retry: true, serde: serde.json };
 */
export interface ConnectionOpts {
  /** Base URL of the ingress, e.g. `http://localhost:8080` (a path prefix is kept). */
  readonly url: string;
  /** Sent with every request (e.g. `authorization`). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Retries of requests that are safe to repeat: `true` or a {@link RetryPolicy} (the official
   * shape), or `{ retries, minTimeout, maxTimeout, factor }`; `{}` uses {@link RETRY_DEFAULTS}.
   */
  readonly retry?: RetrySetting | undefined;
  /** The serde of inputs, outputs and awakeable payloads when a call names none (JSON). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one serde for payloads of every type, as in the official client
  readonly serde?: Serde<any> | undefined;
  /** Transforms every payload after serializing and before deserializing (experimental). */
  readonly journalValueCodec?: JournalValueCodec | undefined;
  /** Replaces the global `fetch`. */
  readonly fetch?: FetchFn | undefined;
}

/** The former name of {@link ConnectionOpts}. */
export type ConnectOptions = ConnectionOpts;

/** A definition or descriptor, as far as the client needs it at run time. */
type Named = { readonly name: string };

/**
 * Connects to the Restate ingress (port 8080 by default) and returns typed clients.
 *
 * @example
 * import type { Greeter } from "./services.js";
 * const ingress = connect({ url: "http://localhost:8080", retry: { retries: 5 } });
 * const text = await ingress.serviceClient<Greeter>({ name: "greeter" }).greet("Till");
 * @see https://docs.restate.dev/invoke/http
 */
export function connect(options: ConnectionOpts): Ingress {
  const transport = makeTransport({
    url: options.url,
    headers: options.headers ?? {},
    fetch: options.fetch,
    retry: resolveRetry(options.retry),
  });
  const conn: Connection = {
    transport,
    serde: (options.serde as Serde<unknown> | undefined) ?? json,
    codec: options.journalValueCodec,
  };
  const read = async <O>(path: string, opts: AttachOptions<O> | undefined): Promise<O> => {
    const reply = await transport({
      method: "GET",
      path,
      isIdempotent: true,
      isCounted: true,
      ...requestOptions(opts ?? {}),
    });
    return decode(conn, opts?.output, reply.body);
  };
  const output = <O>(path: string, opts: AttachOptions<O> | undefined): Promise<Output<O>> =>
    read(path, opts).then(
      (result) => ({ ready: true, result }),
      (error: unknown) => {
        // 470: "the invocation exists but has not completed yet".
        if (isHttpCallError(error) && error.status === 470) return { ready: false };
        throw error;
      },
    );
  const workflowPath = (name: string, id: string, what: "attach" | "output"): string =>
    `/restate/workflow/${seg(name)}/${seg(id)}/${what}`;

  // The typed surface (types.ts) promises each handler's output type; what arrives is whatever the
  // chosen serde decodes. Results cross that boundary as `never`: the proxies and the workflow
  // methods below.
  const clients = (
    scope: string | undefined,
  ): ScopedIngress & Pick<Ingress, "workflowSendClient"> => {
    const target = (kind: Target["kind"], def: Named, key: string | undefined, handler: string) =>
      targetOf(kind, def, key, handler, scope);
    const proxy = (kind: Target["kind"], def: Named, key: string | undefined, isSend: boolean) =>
      clientProxy((h, args) =>
        isSend
          ? sendToHandler(conn, target(kind, def, key, h), args)
          : callHandler(conn, target(kind, def, key, h), args),
      );
    const submit = (def: Named, id: string, args: readonly unknown[]) =>
      sendToHandler(conn, target("workflow", def, id, "run"), args);
    const runOutput = (def: Named) => descriptorSerdes(def, "run").outputSerde;
    const withRunSerde = (def: Named, opts?: AttachOptions | Opts): AttachOptions => ({
      ...(runOutput(def) !== undefined ? { output: runOutput(def) } : {}),
      ...(isRpcOptions(opts) ? opts.opts : opts),
    });
    const descriptorKind = (def: DescriptorLike) =>
      def._kind === "service" ? "service" : "object";
    return {
      serviceClient: (def) => proxy("service", def, undefined, false),
      objectClient: (def, key) => proxy("object", def, key, false),
      workflowClient: (def, id) =>
        clientProxy((h, args) => callHandler(conn, target("workflow", def, id, h), args), {
          workflowSubmit: (...args: unknown[]) => submit(def, id, args),
          workflowAttach: (opts?: AttachOptions | Opts) =>
            read(workflowPath(def.name, id, "attach"), withRunSerde(def, opts)),
          workflowOutput: (opts?: AttachOptions | Opts) =>
            output(workflowPath(def.name, id, "output"), withRunSerde(def, opts)),
        }),
      serviceSendClient: (def) => proxy("service", def, undefined, true),
      objectSendClient: (def, key) => proxy("object", def, key, true),
      workflowSendClient: (def, id) => proxy("workflow", def, id, true),
      client: (def: DescriptorLike, key?: string) => proxy(descriptorKind(def), def, key, false),
      sendClient: (def: DescriptorLike, key?: string) => proxy(descriptorKind(def), def, key, true),
    };
  };
  const unscoped = clients(undefined);

  const ingress: Ingress = {
    ...unscoped,
    scope: (scopeKey) => Object.freeze(clients(scopeKey)),
    call: ({ service, handler, key, scope, parameter, opts }) =>
      callHandler(conn, rawTarget(service, handler, key, scope), [parameter, opts]) as never,
    send: ({ service, handler, key, scope, parameter, opts }) =>
      sendToHandler(conn, rawTarget(service, handler, key, scope), [parameter, opts]),
    result: <O>(sent: Send<O>, opts?: AttachOptions<O> | Serde<O>): Promise<O> =>
      read<O>(invocationPath(sent.invocationId, "attach"), {
        output: (sent as Send).outputSerde as Serde<O>,
        ...(isSerde(opts) ? { output: opts } : opts),
      }),
    attach: (invocation: string | IdempotentRef, opts?: AttachOptions) =>
      read(invocationPath(invocation, "attach"), opts),
    output: (invocation: string | IdempotentRef, opts?: AttachOptions) =>
      output(invocationPath(invocation, "output"), opts),
    workflowSubmit: (def, id, ...args) => unscoped.workflowClient(def, id).workflowSubmit(...args),
    workflowAttach: (def, id, opts) => unscoped.workflowClient(def, id).workflowAttach(opts),
    workflowOutput: (def, id, opts) => unscoped.workflowClient(def, id).workflowOutput(opts),
    runOrAttach: async (def, id, ...args) => {
      const { options: opts } = splitArgs(args);
      const deadline = opts?.timeout !== undefined ? Date.now() + opts.timeout : undefined;
      const sent = await unscoped.workflowClient(def, id).workflowSubmit(...args);
      const result = await read(workflowPath(def.name, id, "attach"), {
        output: (sent as Send).outputSerde,
        ...(opts?.headers !== undefined ? { headers: opts.headers } : {}),
        ...(opts?.signal !== undefined ? { signal: opts.signal } : {}),
        ...(deadline !== undefined ? { timeout: Math.max(0, deadline - Date.now()) } : {}),
      });
      return result as never;
    },
    resolveAwakeable: async (id, value, serde) => {
      const s = (serde as Serde<unknown> | undefined) ?? conn.serde;
      const bytes = s.serialize(value);
      const body = conn.codec !== undefined ? conn.codec.encode(bytes) : bytes;
      await transport({
        method: "POST",
        path: `/restate/a/${seg(id)}/resolve`,
        headers: contentType(s),
        body,
        isIdempotent: true,
      });
    },
    rejectAwakeable: async (id, reason) => {
      await transport({
        method: "POST",
        path: `/restate/a/${seg(id)}/reject`,
        defaultHeaders: { "Content-Type": "text/plain" },
        body: new TextEncoder().encode(reason),
        isIdempotent: true,
      });
    },
  };
  return Object.freeze(ingress);
}

function targetOf(
  kind: Target["kind"],
  def: Named,
  key: string | undefined,
  handler: string,
  scope: string | undefined,
): Target {
  return { kind, service: def.name, key, handler, scope, ...descriptorSerdes(def, handler) };
}

function rawTarget(
  service: string,
  handler: string,
  key: string | undefined,
  scope: string | undefined,
): Target {
  // As in the official client, raw calls use the connection's serde unless their options name one.
  return { kind: key === undefined ? "service" : "object", service, key, handler, scope };
}

/** The serdes an interface descriptor declares for a handler, if `def` is a descriptor. */
function descriptorSerdes(
  def: Named,
  handler: string,
): { inputSerde?: Serde<unknown>; outputSerde?: Serde<unknown> } {
  const handlers = (def as Partial<DescriptorLike>)._handlers;
  const descriptor = handlers?.[handler];
  if (descriptor === undefined) return {};
  return {
    ...(descriptor._inputSerde !== undefined ? { inputSerde: descriptor._inputSerde } : {}),
    ...(descriptor._outputSerde !== undefined ? { outputSerde: descriptor._outputSerde } : {}),
  };
}

function isSerde<O>(value: AttachOptions<O> | Serde<O> | undefined): value is Serde<O> {
  return (
    typeof value === "object" &&
    typeof (value as Partial<Serde<O>>).serialize === "function" &&
    typeof (value as Partial<Serde<O>>).deserialize === "function"
  );
}

interface IdempotentRef {
  readonly service: { readonly name: string };
  readonly handler: string;
  readonly key?: string;
  readonly idempotencyKey: string;
}

function invocationPath(invocation: string | IdempotentRef, what: "attach" | "output"): string {
  if (typeof invocation === "string") return `/restate/invocation/${seg(invocation)}/${what}`;
  const { service, key, handler, idempotencyKey } = invocation;
  const keyPart = key !== undefined ? `/${seg(key)}` : "";
  return `/restate/invocation/${seg(service.name)}${keyPart}/${seg(handler)}/${seg(idempotencyKey)}/${what}`;
}

/**
 * A client whose methods are handler names. `then` is never a handler here: without that rule,
 * `await`ing the client (or returning it from an async function) would call a handler "then".
 */
function clientProxy(
  invoke: (handler: string, args: readonly unknown[]) => Promise<unknown>,
  extra: Record<string, unknown> = {},
): never {
  return new Proxy(extra, {
    get(target, property) {
      if (typeof property !== "string" || property === "then") return undefined;
      if (Object.hasOwn(target, property)) return target[property];
      return (...args: unknown[]) => invoke(property, args);
    },
  }) as never;
}
