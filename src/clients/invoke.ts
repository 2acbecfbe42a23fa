// SPDX-License-Identifier: MIT
// One handler invocation through the ingress: the arguments (input and options, or options alone
// for a handler without input), the URL (plain, or within a scope), the headers, and the reply.
import { json } from "../serde/json.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";
import type { Serde } from "../serde/serde.js";
import { type IngressSendOptions, isRpcOptions } from "./rpc.js";
import { type Transport, durationParam } from "./transport.js";
import type { AttachOptions, Send } from "./types.js";

/** A connection's transport and payload settings. */
export interface Connection {
  readonly transport: Transport;
  /** The serde of inputs and outputs when the call names none (JSON by default). */
  readonly serde: Serde<unknown>;
  readonly codec: JournalValueCodec | undefined;
}

/** What a handler request is aimed at. */
export interface Target {
  readonly kind: "service" | "object" | "workflow";
  readonly service: string;
  readonly key: string | undefined;
  readonly handler: string;
  readonly scope?: string | undefined;
  /** Serdes declared by an interface descriptor, used when the call names none. */
  readonly inputSerde?: Serde<unknown> | undefined;
  readonly outputSerde?: Serde<unknown> | undefined;
}

type AnyOptions = IngressSendOptions;

/**
 * Splits the arguments of a client method: `(input, options)`, or `(options)` alone when it is an
 * `Opts`/`SendOpts` (the official clients' rule for handlers without input).
 */
export function splitArgs(args: readonly unknown[]): {
  input: unknown;
  options: AnyOptions | undefined;
} {
  const unwrap = (o: unknown): AnyOptions | undefined =>
    isRpcOptions(o) ? o.opts : (o as AnyOptions | undefined);
  if (args.length === 1 && isRpcOptions(args[0]))
    return { input: undefined, options: args[0].opts };
  return { input: args[0], options: unwrap(args[1]) };
}

/** Serializes the input; the codec, if any, then transforms the bytes. */
function encode(
  conn: Connection,
  target: Target,
  input: unknown,
  options: AnyOptions | undefined,
): { body: Uint8Array; headers: Record<string, string> } {
  const serde = options?.input ?? target.inputSerde ?? conn.serde;
  const bytes = serde.serialize(input);
  const body = conn.codec !== undefined ? conn.codec.encode(bytes) : bytes;
  return { body, headers: contentType(serde) };
}

/** Reads a reply's payload with the codec (if any), then the serde. */
export async function decode<O>(
  conn: Connection,
  serde: Serde<O> | undefined,
  body: Uint8Array,
): Promise<O> {
  const bytes = conn.codec !== undefined ? await conn.codec.decode(body) : body;
  return (serde ?? (conn.serde as Serde<O>)).deserialize(bytes);
}

/** Calls a handler and waits for its output. */
export async function callHandler(
  conn: Connection,
  target: Target,
  args: readonly unknown[],
): Promise<unknown> {
  const { input, options } = splitArgs(args);
  const { body, headers } = encode(conn, target, input, options);
  const reply = await conn.transport({
    method: "POST",
    path: handlerPath(target, "call"),
    ...requestOptions(options ?? {}, headers),
    ...(body.length > 0 ? { body } : {}),
    isIdempotent: options?.idempotencyKey !== undefined,
    isCounted: true,
  });
  return decode(conn, options?.output ?? target.outputSerde, reply.body);
}

/** Sends to a handler: resolves once the invocation is accepted. */
export async function sendToHandler(
  conn: Connection,
  target: Target,
  args: readonly unknown[],
): Promise<Send> {
  const { input, options } = splitArgs(args);
  const { body, headers } = encode(conn, target, input, options);
  const delay = options?.delay;
  const query = delay === undefined ? "" : `?delay=${encodeURIComponent(durationParam(delay))}`;
  // Workflow `run` is keyed by the workflow id, so submitting it twice is harmless.
  const isWorkflowRun = target.kind === "workflow" && target.handler === "run";
  const reply = await conn.transport({
    method: "POST",
    path: `${handlerPath(target, "send")}${query}`,
    ...requestOptions(options ?? {}, headers),
    ...(body.length > 0 ? { body } : {}),
    isIdempotent: options?.idempotencyKey !== undefined || isWorkflowRun,
    isCounted: true,
  });
  return parseSend(
    reply.body,
    options?.output ?? target.outputSerde ?? conn.serde,
    options?.idempotencyKey !== undefined || isWorkflowRun,
  );
}

function parseSend(body: Uint8Array, outputSerde: Serde<unknown>, attachable: boolean): Send {
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
    attachable,
    ...(typeof executionTime === "string" ? { executionTime: new Date(executionTime) } : {}),
  };
  Object.defineProperty(send, "outputSerde", { value: outputSerde, enumerable: false });
  return Object.freeze(send) as Send;
}

/**
 * Headers, timeout and signal of a request with these options. The call's own `headers` come
 * first, so the serde's content type, the idempotency key and the limit key replace a header
 * spelled alike, and are sent beside one spelled in another case, as with the official client.
 */
export function requestOptions(
  options: AttachOptions & { readonly idempotencyKey?: string; readonly limitKey?: string },
  serdeHeaders: Record<string, string> = {},
) {
  return {
    headers: {
      ...options.headers,
      ...serdeHeaders,
      ...(options.idempotencyKey !== undefined
        ? { "idempotency-key": options.idempotencyKey }
        : {}),
      ...(options.limitKey !== undefined ? { "x-restate-limit-key": options.limitKey } : {}),
    },
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
  };
}

/** The serde's content type, unless there is no body (void inputs send none). */
export function contentType(serde: { readonly contentType?: string }): Record<string, string> {
  // Also for an empty body (a handler without input), as the official client sends it.
  // Spelled as the official client spells it: a header of the caller's is replaced only when
  // spelled alike.
  return serde.contentType !== undefined ? { "Content-Type": serde.contentType } : {};
}

/**
 * The ingress path of a handler: `/Service[/key]/handler[/send]`, or within a scope
 * `/restate/scope/<scope>/<call|send>/Service[/key]/handler`.
 */
function handlerPath({ service, key, handler, scope }: Target, mode: "call" | "send"): string {
  const rest = `${seg(service)}${key !== undefined ? `/${seg(key)}` : ""}/${seg(handler)}`;
  if (scope !== undefined) return `/restate/scope/${seg(scope)}/${mode}/${rest}`;
  return mode === "send" ? `/${rest}/send` : `/${rest}`;
}

/** One percent-encoded path segment. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
