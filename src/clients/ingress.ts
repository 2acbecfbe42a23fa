// SPDX-License-Identifier: MIT
// `connect()`: the typed ingress client. Every method is one or two HTTP requests to the ingress
// (paths observed on restate-server 1.7.12; see shared/SERVER.md).
import { json } from "../serde/json.js";
import type { Serde } from "../serde/serde.js";
import { isHttpCallError } from "./http-call-error.js";
import { RETRY_DEFAULTS, type RetryOptions } from "./retry.js";
import { type IngressCallOptions, type IngressSendOptions, isRpcOptions } from "./rpc.js";
import { type FetchFn, type Transport, durationParam, makeTransport } from "./transport.js";
import type { AttachOptions, Ingress, Output, Send } from "./types.js";

/**
 * Where the ingress is and how to reach it; only `url` is required.
 *
 * @example
 * const options: ConnectOptions = { url: "http://localhost:8080", headers: {}, fetch: undefined, retry: {} };
 */
export interface ConnectOptions {
  /** Base URL of the ingress, e.g. `http://localhost:8080` (a path prefix is kept). */
  readonly url: string;
  /** Sent with every request (e.g. `authorization`). */
  readonly headers: Readonly<Record<string, string>>;
  /** Replaces the global `fetch`. */
  readonly fetch: FetchFn | undefined;
  /** Turns on retries of requests that are safe to repeat; `{}` uses {@link RETRY_DEFAULTS}. */
  readonly retry: Partial<RetryOptions> | undefined;
}

/** What a handler, attach or awakeable request is aimed at. */
interface Target {
  readonly kind: "service" | "object" | "workflow";
  readonly service: string;
  readonly key: string | undefined;
  readonly handler: string;
}

type AnyOptions = IngressCallOptions & IngressSendOptions;

/**
 * Connects to the Restate ingress (port 8080 by default) and returns typed clients.
 *
 * @example
 * import type { Greeter } from "./services.js";
 * const ingress = connect({ url: "http://localhost:8080", retry: { retries: 5 } });
 * const text = await ingress.serviceClient<Greeter>({ name: "greeter" }).greet("Till");
 * @see https://docs.restate.dev/invoke/http
 */
export function connect(options: Pick<ConnectOptions, "url"> & Partial<ConnectOptions>): Ingress {
  const retry = options.retry === undefined ? undefined : { ...RETRY_DEFAULTS, ...options.retry };
  const transport = makeTransport({
    url: options.url,
    headers: options.headers ?? {},
    fetch: options.fetch,
    retry,
  });
  const call = (target: Target, args: readonly unknown[]): Promise<unknown> =>
    callHandler(transport, target, args);
  const send = (target: Target, args: readonly unknown[]): Promise<Send> =>
    sendToHandler(transport, target, args);
  const read = async <O>(path: string, opts: AttachOptions<O> | undefined): Promise<O> => {
    const reply = await transport({
      method: "GET",
      path,
      isIdempotent: true,
      ...requestOptions(opts ?? {}),
    });
    return (opts?.output ?? json).deserialize<O>(reply.body);
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
  const submit = (name: string, id: string, args: readonly unknown[]): Promise<Send> =>
    send({ kind: "workflow", service: name, key: id, handler: "run" }, args);

  // The typed surface (types.ts) promises each handler's output type; what arrives is whatever the
  // chosen serde decodes. Results cross that boundary as `never`: the proxies and the two
  // workflow methods below.

  const ingress: Ingress = {
    serviceClient: (def) => clientProxy((h, args) => call(service(def, h), args)),
    objectClient: (def, key) => clientProxy((h, args) => call(keyed("object", def, key, h), args)),
    workflowClient: (def, id) =>
      clientProxy((h, args) => call(keyed("workflow", def, id, h), args), {
        workflowSubmit: (...args: unknown[]) => submit(def.name, id, args),
        workflowAttach: (opts?: AttachOptions) => read(workflowPath(def.name, id, "attach"), opts),
        workflowOutput: (opts?: AttachOptions) =>
          output(workflowPath(def.name, id, "output"), opts),
      }),
    serviceSendClient: (def) => clientProxy((h, args) => send(service(def, h), args)),
    objectSendClient: (def, key) =>
      clientProxy((h, args) => send(keyed("object", def, key, h), args)),
    workflowSendClient: (def, id) =>
      clientProxy((h, args) => send(keyed("workflow", def, id, h), args)),
    result: (sent, opts) =>
      read(invocationPath(sent.invocationId, "attach"), { output: sent.outputSerde, ...opts }),
    attach: (invocation: string | IdempotentRef, opts?: AttachOptions) =>
      read(invocationPath(invocation, "attach"), opts),
    output: (invocation: string | IdempotentRef, opts?: AttachOptions) =>
      output(invocationPath(invocation, "output"), opts),
    workflowSubmit: (def, id, ...args) => submit(def.name, id, args) as Promise<never>,
    workflowAttach: (def, id, opts) => read(workflowPath(def.name, id, "attach"), opts),
    workflowOutput: (def, id, opts) => output(workflowPath(def.name, id, "output"), opts),
    runOrAttach: async (def, id, ...args) => {
      const { options: opts } = splitArgs(args);
      const deadline = opts?.timeout !== undefined ? Date.now() + opts.timeout : undefined;
      const sent = await submit(def.name, id, args);
      const result = await read(workflowPath(def.name, id, "attach"), {
        output: sent.outputSerde,
        ...(opts?.headers !== undefined ? { headers: opts.headers } : {}),
        ...(opts?.signal !== undefined ? { signal: opts.signal } : {}),
        ...(deadline !== undefined ? { timeout: Math.max(0, deadline - Date.now()) } : {}),
      });
      return result as never;
    },
    resolveAwakeable: async (id, value, serde) => {
      const s = serde ?? json;
      const body = s.serialize(value);
      await transport({
        method: "POST",
        path: `/restate/awakeables/${seg(id)}/resolve`,
        headers: contentType(s, body),
        body,
        isIdempotent: true,
      });
    },
    rejectAwakeable: async (id, reason) => {
      await transport({
        method: "POST",
        path: `/restate/awakeables/${seg(id)}/reject`,
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: new TextEncoder().encode(reason),
        isIdempotent: true,
      });
    },
  };
  return Object.freeze(ingress);
}

interface IdempotentRef {
  readonly service: { readonly name: string };
  readonly handler: string;
  readonly key?: string;
  readonly idempotencyKey: string;
}

async function callHandler(
  transport: Transport,
  target: Target,
  args: readonly unknown[],
): Promise<unknown> {
  const { input, options } = splitArgs(args);
  const inputSerde = options?.input ?? json;
  const body = inputSerde.serialize(input);
  const reply = await transport({
    method: "POST",
    path: handlerPath(target),
    ...requestOptions(options ?? {}, contentType(inputSerde, body)),
    ...(body.length > 0 ? { body } : {}),
    isIdempotent: options?.idempotencyKey !== undefined,
  });
  return (options?.output ?? json).deserialize(reply.body);
}

async function sendToHandler(
  transport: Transport,
  target: Target,
  args: readonly unknown[],
): Promise<Send> {
  const { input, options } = splitArgs(args);
  const inputSerde = options?.input ?? json;
  const body = inputSerde.serialize(input);
  const delay = options?.delay;
  const query = delay === undefined ? "" : `?delay=${encodeURIComponent(durationParam(delay))}`;
  // Workflow `run` is keyed by the workflow id, so submitting it twice is harmless.
  const isWorkflowRun = target.kind === "workflow" && target.handler === "run";
  const reply = await transport({
    method: "POST",
    path: `${handlerPath(target)}/send${query}`,
    ...requestOptions(options ?? {}, contentType(inputSerde, body)),
    ...(body.length > 0 ? { body } : {}),
    isIdempotent: options?.idempotencyKey !== undefined || isWorkflowRun,
  });
  return parseSend(reply.body, options?.output ?? json);
}

function parseSend(body: Uint8Array, outputSerde: Serde<unknown>): Send {
  const reply = json.deserialize<Record<string, unknown>>(body);
  const { invocationId, status, executionTime } = reply ?? {};
  if (
    typeof invocationId !== "string" ||
    (status !== "Accepted" && status !== "PreviouslyAccepted")
  ) {
    throw new TypeError(`Unexpected reply to a send: ${new TextDecoder().decode(body)}`);
  }
  const send = {
    invocationId,
    status,
    ...(typeof executionTime === "string" ? { executionTime: new Date(executionTime) } : {}),
  };
  Object.defineProperty(send, "outputSerde", { value: outputSerde, enumerable: false });
  return Object.freeze(send) as Send;
}

/** Splits `(input, options)`, or `(rpc.opts(…))` for handlers without input. */
function splitArgs(args: readonly unknown[]): { input: unknown; options: AnyOptions | undefined } {
  if (args.length === 1 && isRpcOptions(args[0])) return { input: undefined, options: args[0] };
  return { input: args[0], options: args[1] as AnyOptions | undefined };
}

function requestOptions(
  options: AttachOptions & { readonly idempotencyKey?: string },
  serdeHeaders: Record<string, string> = {},
) {
  return {
    headers: {
      ...serdeHeaders,
      ...(options.idempotencyKey !== undefined
        ? { "idempotency-key": options.idempotencyKey }
        : {}),
      ...options.headers,
    },
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
}

/** The serde's content type, unless there is no body (void inputs send none). */
function contentType(
  serde: { readonly contentType?: string },
  body: Uint8Array,
): Record<string, string> {
  return serde.contentType !== undefined && body.length > 0
    ? { "content-type": serde.contentType }
    : {};
}

function service(def: { readonly name: string }, handler: string): Target {
  return { kind: "service", service: def.name, key: undefined, handler };
}

function keyed(
  kind: "object" | "workflow",
  def: { readonly name: string },
  key: string,
  handler: string,
): Target {
  return { kind, service: def.name, key, handler };
}

function handlerPath({ service, key, handler }: Target): string {
  return `/${seg(service)}${key !== undefined ? `/${seg(key)}` : ""}/${seg(handler)}`;
}

function invocationPath(invocation: string | IdempotentRef, what: "attach" | "output"): string {
  if (typeof invocation === "string") return `/restate/invocation/${seg(invocation)}/${what}`;
  const { service, key, handler, idempotencyKey } = invocation;
  const keyPart = key !== undefined ? `/${seg(key)}` : "";
  return `/restate/invocation/${seg(service.name)}${keyPart}/${seg(handler)}/${seg(idempotencyKey)}/${what}`;
}

function seg(value: string): string {
  return encodeURIComponent(value);
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
