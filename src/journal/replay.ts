// SPDX-License-Identifier: MIT
// The single "next journaled command must match" rule (docs/protocol.md §5.3): which fields of each
// command are compared on replay, and how a difference is shown to the user.
import type { DescField, DescMessage, Message } from "@bufbuild/protobuf";
import type { ProtocolCodec } from "./codec.js";
import { type CommandInit, CommandType, messageTypeName } from "./message-types.js";
import type { CallCommand, OneWayCallCommand, RunCommand } from "./gen/protocol_pb.js";
import { type ProtocolError, type RelatedCommand, protocolErrors } from "./errors.js";

/** protobuf-es's `equals`, from the codec (replay only runs once it is loaded). */
type Equals = ProtocolCodec["equals"];

/** A journaled command waiting to be replayed (decoded once the whole journal has arrived). */
export interface JournaledCommand {
  readonly type: number;
  /** The raw payload; only the InputCommand is read from it (by the hot codec). */
  readonly payload: Uint8Array;
  /** The decoded command, for every command but the InputCommand (undefined: no schema). */
  readonly message: Message | undefined;
}

/** The command the handler produced at a replayed position. */
export interface ProducedCommand<T extends CommandType> {
  readonly index: number;
  readonly type: T;
  readonly init: CommandInit<T>;
}

/**
 * Checks a journaled command against the one the handler produced at the same index: the
 * journaled message when they match, else the 570 to fail with.
 */
export function matchCommand<T extends CommandType>(
  { create, equals, commands }: ProtocolCodec,
  command: JournaledCommand,
  { index, type, init }: ProducedCommand<T>,
  checkPayloads: boolean,
): Message | ProtocolError {
  if (isSameRun(command, type, init)) return command.message!;
  const schema = commands[type];
  const produced = create(schema, init);
  const journaled = command.message;
  // The related command is the journaled entry at this index: its type and its name.
  const name = entryName(journaled ?? produced);
  const related: RelatedCommand = { index, type: command.type, ...(name ? { name } : {}) };
  if (command.type !== type || journaled === undefined) {
    return protocolErrors.journalMismatch(
      related,
      describeCommand(command.type, journaled),
      describeCommand(type, produced),
    );
  }
  const diff = diffCommand(type, schema, journaled, produced, checkPayloads, equals);
  if (diff.length > 0) {
    return protocolErrors.journalMismatch(
      related,
      describeCommand(command.type, journaled),
      `${describeCommand(type, produced)}  (differs in: ${diff.join(", ")})`,
    );
  }
  return journaled;
}

/**
 * True when a journaled RunCommand equals the produced one: the same completion id and name, the
 * only fields the generic comparison looks at for runs. A replay matches one per step, so this
 * spares building the produced message; anything else goes the generic way, mismatches included.
 */
function isSameRun<T extends CommandType>(
  command: JournaledCommand,
  type: T,
  init: CommandInit<T>,
): boolean {
  if (type !== CommandType.Run || command.type !== CommandType.Run) return false;
  const journaled = command.message as RunCommand | undefined;
  const produced = init as CommandInit<typeof CommandType.Run>;
  return (
    journaled !== undefined &&
    journaled.resultCompletionId === (produced.resultCompletionId ?? 0) &&
    journaled.name === (produced.name ?? "")
  );
}

/** The 570 for an await the journal never settles while `next` is still to be replayed. */
export function unsettledAwait(
  index: number,
  next: JournaledCommand,
  awaited: string,
): ProtocolError {
  const name = entryName(next.message);
  const related: RelatedCommand = { index, type: next.type, ...(name ? { name } : {}) };
  return protocolErrors.awaitNeverSettled(related, awaited, messageTypeName(next.type));
}

/** The headers of a journaled Call or OneWayCall command; undefined for any other command. */
export function callHeaders(
  command: JournaledCommand | undefined,
): ReadonlyArray<readonly [string, string]> | undefined {
  if (command?.type !== CommandType.Call && command?.type !== CommandType.OneWayCall) return;
  // The journal reader decoded it with the schema of its type.
  const call = command.message as CallCommand | OneWayCallCommand;
  return call.headers.map((h) => [h.key, h.value] as const);
}

/** A command's entry name: `name`, or `entry_name` for SendSignalCommand. */
export function entryName(command: object | undefined): string {
  const { name, entryName } = (command ?? {}) as { name?: unknown; entryName?: unknown };
  return typeof name === "string" ? name : typeof entryName === "string" ? entryName : "";
}

/** Fields that are *not* compared on replay, per command type. */
const IGNORED_FIELDS: ReadonlyMap<number, ReadonlySet<string>> = new Map([
  [CommandType.Input, new Set(["headers", "value", "name"])],
  [CommandType.Sleep, new Set(["wakeUpTime", "resultCompletionId"])],
  [CommandType.OneWayCall, new Set(["invokeTime"])],
  [CommandType.GetEagerState, new Set(["result"])],
  [CommandType.GetEagerStateKeys, new Set(["value"])],
]);

/**
 * Where each command carries user payload bytes, skipped on replay when payload checks are off
 * (a journal value codec may encode the same value differently on each attempt). The same fields
 * as the official shared core's: a oneof is skipped only when both sides hold its payload case (a
 * failure, or a value against a failure, is still compared), a message field only when both sides
 * have one. SendSignal keeps its full comparison, as there.
 */
const PAYLOAD_FIELDS: ReadonlyMap<number, { readonly field: string; readonly valueCase?: string }> =
  new Map([
    [CommandType.Output, { field: "result", valueCase: "value" }],
    [CommandType.SetState, { field: "value" }],
    [CommandType.CompletePromise, { field: "completion", valueCase: "completionValue" }],
    [CommandType.CompleteAwakeable, { field: "result", valueCase: "value" }],
    [CommandType.Call, { field: "parameter" }],
    [CommandType.OneWayCall, { field: "parameter" }],
  ]);

/** True when `a` and `b` are both the payload of a field that payload checks skip. */
function isSkippedPayload(type: number, name: string, a: unknown, b: unknown): boolean {
  const payload = PAYLOAD_FIELDS.get(type);
  if (payload?.field !== name) return false;
  if (payload.valueCase !== undefined) {
    const { valueCase } = payload;
    return (
      (a as { case?: string }).case === valueCase && (b as { case?: string }).case === valueCase
    );
  }
  return a instanceof Uint8Array || (a !== undefined && b !== undefined);
}

function compared(type: number, field: DescField | { localName: string }) {
  return IGNORED_FIELDS.get(type)?.has(field.localName) !== true;
}

/**
 * Compares a journaled command with the one the handler produced; returns the names of the
 * differing fields (empty when they match).
 */
export function diffCommand(
  type: number,
  schema: DescMessage,
  journaled: Message,
  produced: Message,
  checkPayloads: boolean,
  equals: Equals,
): string[] {
  const differing: string[] = [];
  const j = journaled as unknown as Record<string, unknown>;
  const p = produced as unknown as Record<string, unknown>;
  for (const member of schema.members) {
    if (!compared(type, member)) continue;
    const a = j[member.localName];
    const b = p[member.localName];
    if (!checkPayloads && isSkippedPayload(type, member.localName, a, b)) continue;
    if (!sameValue(member, a, b, equals)) {
      differing.push(member.localName);
    }
  }
  return differing;
}

function sameValue(
  member: DescMessage["members"][number],
  a: unknown,
  b: unknown,
  equals: Equals,
): boolean {
  if (member.kind === "oneof") {
    const x = a as { case?: string; value?: unknown };
    const y = b as { case?: string; value?: unknown };
    if (x.case !== y.case) return false;
    const field = member.fields.find((f) => f.localName === x.case);
    return field === undefined || sameField(field, x.value, y.value, equals);
  }
  return sameField(member, a, b, equals);
}

function sameField(field: DescField, a: unknown, b: unknown, equals: Equals): boolean {
  if (field.fieldKind === "message" && field.message !== undefined) {
    if (a === undefined || b === undefined) return a === b;
    return equals(field.message, a as Message, b as Message);
  }
  if (field.fieldKind === "list") {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    return x.every((v, i) =>
      field.listKind === "message"
        ? equals(field.message, v as Message, y[i] as Message)
        : sameScalar(v, y[i]),
    );
  }
  return sameScalar(a, b);
}

function sameScalar(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  return a === b;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
const MAX_SHOWN = 80;

function renderBytes(bytes: Uint8Array): string {
  try {
    const text = decoder.decode(bytes);
    if (/^[\x20-\x7e\u00a0-\uffff]*$/u.test(text)) {
      return text.length > MAX_SHOWN
        ? `${JSON.stringify(text.slice(0, MAX_SHOWN))}…`
        : JSON.stringify(text);
    }
  } catch {
    // not UTF-8: fall through to hex
  }
  const hex = Array.from(bytes.subarray(0, 32), (b) => b.toString(16).padStart(2, "0")).join("");
  return `0x${hex}${bytes.length > 32 ? "…" : ""} (${bytes.length} bytes)`;
}

function renderValue(value: unknown): string {
  if (value instanceof Uint8Array) return renderBytes(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(renderValue).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if ("case" in o)
      return o.case === undefined ? "none" : `${o.case as string}: ${renderValue(o.value)}`;
    const parts = Object.entries(o)
      .filter(([k, v]) => k !== "$typeName" && k !== "$unknown" && !isEmpty(v))
      .map(([k, v]) => `${k}: ${renderValue(v)}`);
    return `{${parts.join(", ")}}`;
  }
  return String(value);
}

function isEmpty(v: unknown): boolean {
  return (
    v === undefined ||
    v === "" ||
    v === 0 ||
    v === 0n ||
    v === false ||
    (Array.isArray(v) && v.length === 0) ||
    (v instanceof Uint8Array && v.length === 0) ||
    (typeof v === "object" &&
      v !== null &&
      "case" in v &&
      (v as { case?: unknown }).case === undefined)
  );
}

/** Renders a command readably: `SetStateCommand{key: "a", value: {content: "1"}}`. */
export function describeCommand(type: number, message: Message | undefined): string {
  const name = messageTypeName(type);
  return message === undefined ? name : `${name}${renderValue(message)}`;
}
