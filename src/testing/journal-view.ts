// SPDX-License-Identifier: MIT
// A readable form of a stored journal, for assertions and snapshots: one entry per command, with
// its arguments and the result its completion notification carried.
import { fromBinary } from "@bufbuild/protobuf";
import * as pb from "../journal/gen/protocol_pb.js";
import type { NotificationResult } from "../journal/futures.js";
import { CommandType, isCommandType, messageTypeName } from "../journal/message-types.js";
import { decodeNotification } from "../journal/notification.js";
import type { JournalStore, StoredEntry } from "./journal-store.js";

/** Command kinds as the journal view names them (eager and lazy state reads are merged). */
export type JournalEntryType =
  | "Input"
  | "Output"
  | "GetState"
  | "GetStateKeys"
  | "SetState"
  | "ClearState"
  | "ClearAllState"
  | "GetPromise"
  | "PeekPromise"
  | "CompletePromise"
  | "Sleep"
  | "Call"
  | "OneWayCall"
  | "SendSignal"
  | "Run"
  | "AttachInvocation"
  | "GetInvocationOutput"
  | "CompleteAwakeable";

/**
 * One journaled command, readable. Payloads are shown JSON-decoded when they are JSON, as bytes
 * otherwise; absent fields are omitted so entries compare well with `toEqual` and snapshots.
 *
 * @example
 * expect(env.journal(id)).toContainEqual({ index: 1, type: "Run", name: "charge", result: "ok", completed: true });
 */
export interface JournalEntry {
  /** The command index (InputCommand = 0), as in journal mismatch errors. */
  readonly index: number;
  readonly type: JournalEntryType;
  /** The entry name (run, sleep and call names). */
  readonly name?: string;
  /** The command's arguments: state key, call target and input, sleep duration, … */
  readonly args?: Readonly<Record<string, unknown>>;
  /** What the command completed with. */
  readonly result?: unknown;
  /** The terminal failure the command completed with. */
  readonly failure?: { readonly code: number; readonly message: string };
  /** For commands that wait for a notification: whether it arrived. */
  readonly completed?: boolean;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes a payload for display: JSON if it parses, `undefined` if empty, else the bytes. */
export function displayValue(bytes: Uint8Array): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(utf8.decode(bytes)) as unknown;
  } catch {
    return bytes;
  }
}

/** The readable entries of a journal. */
export function journalView(journal: JournalStore): JournalEntry[] {
  const completions = new Map<number, NotificationResult>();
  for (const entry of journal.entries) {
    if (entry.leaf?.kind === "completion") {
      completions.set(entry.leaf.id, decodeNotification(entry.type, entry.payload).result);
    }
  }
  return journal.commands().map(({ index, entry }) => describe(index, entry, completions));
}

type Completions = ReadonlyMap<number, NotificationResult>;

/** A journal entry before its `undefined` fields are dropped. */
type Draft = { [K in keyof JournalEntry]: JournalEntry[K] | undefined } & {
  readonly index: number;
  readonly type: JournalEntryType;
};

function describe(index: number, entry: StoredEntry, done: Completions): JournalEntry {
  return finish(draft(index, entry, done));
}

function draft(index: number, entry: StoredEntry, done: Completions): Draft {
  const { type, payload } = entry;
  const base = (t: JournalEntryType, name: string, args?: Record<string, unknown>): Draft => ({
    index,
    type: t,
    name: name || undefined,
    args: nonEmpty(args && compact(args)),
  });
  const awaited = (
    t: JournalEntryType,
    name: string,
    id: number,
    args?: Record<string, unknown>,
  ): Draft => ({ ...base(t, name, args), ...outcome(done.get(id)), completed: done.has(id) });
  switch (type) {
    case CommandType.Input: {
      const m = fromBinary(pb.InputCommandSchema, payload);
      const headers =
        m.headers.length > 0
          ? Object.fromEntries(m.headers.map((h) => [h.key, h.value]))
          : undefined;
      return base("Input", m.name, {
        input: displayValue(m.value?.content ?? new Uint8Array()),
        headers,
      });
    }
    case CommandType.Output: {
      const m = fromBinary(pb.OutputCommandSchema, payload);
      return { ...base("Output", m.name), ...oneof(m.result) };
    }
    case CommandType.GetEagerState: {
      const m = fromBinary(pb.GetEagerStateCommandSchema, payload);
      return {
        ...base("GetState", m.name, { key: text(m.key) }),
        ...oneof(m.result),
        completed: true,
      };
    }
    case CommandType.GetLazyState: {
      const m = fromBinary(pb.GetLazyStateCommandSchema, payload);
      return awaited("GetState", m.name, m.resultCompletionId, { key: text(m.key), lazy: true });
    }
    case CommandType.GetEagerStateKeys: {
      const m = fromBinary(pb.GetEagerStateKeysCommandSchema, payload);
      const keys = (m.value?.keys ?? []).map(text);
      return { ...base("GetStateKeys", m.name), result: keys, completed: true };
    }
    case CommandType.GetLazyStateKeys: {
      const m = fromBinary(pb.GetLazyStateKeysCommandSchema, payload);
      return awaited("GetStateKeys", m.name, m.resultCompletionId, { lazy: true });
    }
    case CommandType.SetState: {
      const m = fromBinary(pb.SetStateCommandSchema, payload);
      const value = displayValue(m.value?.content ?? new Uint8Array());
      return base("SetState", m.name, { key: text(m.key), value });
    }
    case CommandType.ClearState: {
      const m = fromBinary(pb.ClearStateCommandSchema, payload);
      return base("ClearState", m.name, { key: text(m.key) });
    }
    case CommandType.ClearAllState:
      return base("ClearAllState", fromBinary(pb.ClearAllStateCommandSchema, payload).name);
    case CommandType.GetPromise: {
      const m = fromBinary(pb.GetPromiseCommandSchema, payload);
      return awaited("GetPromise", m.name, m.resultCompletionId, { key: m.key });
    }
    case CommandType.PeekPromise: {
      const m = fromBinary(pb.PeekPromiseCommandSchema, payload);
      return awaited("PeekPromise", m.name, m.resultCompletionId, { key: m.key });
    }
    case CommandType.CompletePromise: {
      const m = fromBinary(pb.CompletePromiseCommandSchema, payload);
      const c = m.completion;
      const args =
        c.case === "completionFailure"
          ? { key: m.key, failure: { code: c.value.code, message: c.value.message } }
          : { key: m.key, value: displayValue(c.value?.content ?? new Uint8Array()) };
      return awaited("CompletePromise", m.name, m.resultCompletionId, args);
    }
    case CommandType.Sleep: {
      const m = fromBinary(pb.SleepCommandSchema, payload);
      const wakeUpTime = Number(m.wakeUpTime);
      const args = { wakeUpTime, duration: wakeUpTime - entry.appendedAt };
      return awaited("Sleep", m.name, m.resultCompletionId, args);
    }
    case CommandType.Call: {
      const m = fromBinary(pb.CallCommandSchema, payload);
      const invocationId = idOf(done.get(m.invocationIdNotificationIdx));
      return awaited("Call", m.name, m.resultCompletionId, { ...callArgs(m), invocationId });
    }
    case CommandType.OneWayCall: {
      const m = fromBinary(pb.OneWayCallCommandSchema, payload);
      const at = Number(m.invokeTime);
      const invocationId = idOf(done.get(m.invocationIdNotificationIdx));
      const args = {
        ...callArgs(m),
        delay: at > 0 ? at - entry.appendedAt : undefined,
        invocationId,
      };
      return { ...base("OneWayCall", m.name, args), completed: invocationId !== undefined };
    }
    case CommandType.SendSignal: {
      const m = fromBinary(pb.SendSignalCommandSchema, payload);
      const id = m.signalId;
      const signal = id.case === "idx" && id.value === 1 ? "cancel" : id.value;
      return base("SendSignal", m.entryName, {
        target: m.targetInvocationId,
        signal,
        ...oneofArg(m.result),
      });
    }
    case CommandType.Run: {
      const m = fromBinary(pb.RunCommandSchema, payload);
      return awaited("Run", m.name, m.resultCompletionId);
    }
    case CommandType.AttachInvocation:
    case CommandType.GetInvocationOutput: {
      const m = fromBinary(pb.AttachInvocationCommandSchema, payload);
      const t = type === CommandType.AttachInvocation ? "AttachInvocation" : "GetInvocationOutput";
      return awaited(t, m.name, m.resultCompletionId, { target: targetArg(m.target) });
    }
    case CommandType.CompleteAwakeable: {
      const m = fromBinary(pb.CompleteAwakeableCommandSchema, payload);
      return base("CompleteAwakeable", m.name, { id: m.awakeableId, ...oneofArg(m.result) });
    }
    default:
      throw new TypeError(
        `Unexpected ${isCommandType(type) ? messageTypeName(type) : type} in a journal`,
      );
  }
}

function callArgs(m: pb.CallCommand | pb.OneWayCallCommand): Record<string, unknown> {
  return {
    service: m.serviceName,
    handler: m.handlerName,
    key: m.key || undefined,
    input: displayValue(m.parameter),
    headers:
      m.headers.length > 0 ? Object.fromEntries(m.headers.map((h) => [h.key, h.value])) : undefined,
    idempotencyKey: m.idempotencyKey,
  };
}

function targetArg(t: pb.AttachInvocationCommand["target"]): unknown {
  switch (t.case) {
    case "invocationId":
      return t.value;
    case "workflowTarget":
      return { workflow: t.value.workflowName, key: t.value.workflowKey };
    case "idempotentRequestTarget":
      return compact({
        service: t.value.serviceName,
        handler: t.value.handlerName,
        key: t.value.serviceKey,
        idempotencyKey: t.value.idempotencyKey,
      });
    default:
      return undefined;
  }
}

type ResultOneof =
  | { case: "value"; value: pb.Value }
  | { case: "failure"; value: pb.Failure }
  | { case: "void"; value: pb.Void }
  | { case: undefined; value?: undefined };

/** A command's own result oneof (Output, GetEagerState) as `result` / `failure` fields. */
function oneof(r: ResultOneof): Pick<Draft, "result" | "failure"> {
  if (r.case === "value") return { result: displayValue(r.value.content), failure: undefined };
  if (r.case === "failure") {
    return { result: undefined, failure: { code: r.value.code, message: r.value.message } };
  }
  return { result: undefined, failure: undefined };
}

/** A command's payload oneof (signals, awakeables) as `value` / `failure` arguments. */
function oneofArg(r: ResultOneof): Record<string, unknown> {
  const { result, failure } = oneof(r);
  return { value: result, failure };
}

function outcome(result: NotificationResult | undefined): Pick<Draft, "result" | "failure"> {
  switch (result?.kind) {
    case "value":
      return { result: displayValue(result.value) };
    case "failure":
      return { failure: { code: result.code, message: result.message } };
    case "stateKeys":
      return { result: [...result.keys] };
    case "invocationId":
      return { result: result.invocationId };
    default:
      return {};
  }
}

function idOf(result: NotificationResult | undefined): string | undefined {
  return result?.kind === "invocationId" ? result.invocationId : undefined;
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

/** Drops `undefined` fields. */
function compact(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

function nonEmpty(value: Record<string, unknown> | undefined) {
  return value !== undefined && Object.keys(value).length > 0 ? value : undefined;
}

/** A draft without its `undefined` fields is a journal entry. */
function finish(value: Draft): JournalEntry {
  return compact(value) as unknown as JournalEntry;
}
