// SPDX-License-Identifier: MIT
// Recorded journals as JSON files: what `restate-hono-journal export` writes and `replayJournal`
// reads back (through `loadRecording`), so a journal from production can be replayed in a test.
import { messageTypeName } from "../journal/message-types.js";
import type { RecordedEntry, RecordedJournal } from "./replay-journal.js";

/** The `format` tag of a recording file. */
export const RECORDING_FORMAT = "restate-hono/journal-recording";

/**
 * A recorded journal as JSON: {@link RecordedJournal} with hex payloads and the seed as a decimal
 * string, plus the handler it belongs to.
 *
 * @example
 * const file: RecordingFile = JSON.parse(await readFile("journal.json", "utf8"));
 */
export interface RecordingFile {
  readonly format: typeof RECORDING_FORMAT;
  readonly version: 1;
  readonly invocationId?: string;
  readonly service?: string;
  readonly handler?: string;
  readonly key?: string;
  /** `StartMessage.random_seed` as a decimal string (JSON has no 64-bit integers). */
  readonly seed?: string;
  readonly entries: readonly {
    /** The protocol type id of the entry. */
    readonly type: number;
    /** The type's name, for readers (ignored when loading). */
    readonly typeName?: string;
    /** The entry's protobuf payload, hex-encoded. */
    readonly payload: string;
  }[];
}

/**
 * A recording loaded from a file: the journal, and the handler it was recorded from if known.
 *
 * @example
 * const recording: LoadedRecording = loadRecording(text);
 * await replayJournal(cart, recording.handler ?? "checkout", recording);
 */
export interface LoadedRecording extends RecordedJournal {
  readonly service?: string;
  readonly handler?: string;
}

/**
 * Writes a recorded journal (e.g. `env.rawJournal(id)`) as recording-file JSON.
 *
 * @example
 * await writeFile("checkout.json", toRecordingJson(env.rawJournal(handle), { service: "Cart", handler: "checkout" }));
 */
export function toRecordingJson(
  journal: RecordedJournal,
  target: { readonly service?: string; readonly handler?: string } = {},
): string {
  const file: RecordingFile = {
    format: RECORDING_FORMAT,
    version: 1,
    ...(journal.invocationId !== undefined ? { invocationId: journal.invocationId } : {}),
    ...(target.service !== undefined ? { service: target.service } : {}),
    ...(target.handler !== undefined ? { handler: target.handler } : {}),
    ...(journal.key !== undefined ? { key: journal.key } : {}),
    ...(journal.seed !== undefined ? { seed: journal.seed.toString() } : {}),
    entries: journal.entries.map((e) => ({
      type: e.type,
      typeName: messageTypeName(e.type),
      payload: toHex(e.payload),
    })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Reads recording-file JSON (text or parsed) into a journal `replayJournal` accepts.
 *
 * @throws TypeError when the value is not a recording file of a known version.
 * @example
 * const recording = loadRecording(await readFile("checkout.json", "utf8"));
 * expect((await replayJournal(cart, "checkout", recording)).ok).toBe(true);
 */
export function loadRecording(json: unknown): LoadedRecording {
  const file: unknown = typeof json === "string" ? JSON.parse(json) : json;
  if (!isObject(file) || file["format"] !== RECORDING_FORMAT) {
    throw new TypeError(`Not a journal recording: expected "format": "${RECORDING_FORMAT}"`);
  }
  if (file["version"] !== 1) {
    throw new TypeError(`Unsupported journal recording version ${String(file["version"])}`);
  }
  const entries = file["entries"];
  if (!Array.isArray(entries)) throw new TypeError("A journal recording needs an entries array");
  const strings = ["invocationId", "service", "handler", "key", "seed"] as const;
  const fields: Record<string, string> = {};
  for (const name of strings) {
    const value = file[name];
    if (value === undefined) continue;
    if (typeof value !== "string") throw new TypeError(`Recording field ${name} must be a string`);
    fields[name] = value;
  }
  const { seed, ...rest } = fields;
  if (seed !== undefined && !/^\d+$/.test(seed)) {
    throw new TypeError("Recording field seed must be a decimal integer");
  }
  return {
    ...rest,
    ...(seed !== undefined ? { seed: BigInt(seed) } : {}),
    entries: entries.map(toEntry),
  };
}

function toEntry(entry: unknown, index: number): RecordedEntry {
  if (
    !isObject(entry) ||
    !Number.isInteger(entry["type"]) ||
    typeof entry["payload"] !== "string"
  ) {
    throw new TypeError(`Recording entry ${index} needs a numeric type and a hex payload`);
  }
  return { type: entry["type"] as number, payload: fromHex(entry["payload"], index) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(hex: string, index: number): Uint8Array {
  if (hex.length % 2 !== 0 || /[^0-9a-f]/i.test(hex)) {
    throw new TypeError(`Recording entry ${index}: payload is not hex`);
  }
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) =>
    parseInt(hex.slice(2 * i, 2 * i + 2), 16),
  );
}
