// SPDX-License-Identifier: MIT
// A context over a real engine, fed frame by frame like a runtime in bidi mode: no sockets, no
// endpoint, no clock (the context's `now` is a fixed value the test controls).
import { encodeFrame } from "../../journal/framing.js";
import { JournalVm, type ProtocolVersion } from "../../journal/vm.js";
import {
  type Frame,
  type OutputFrame,
  concat,
  decodeOutput,
  type StartOptions,
  inputCommand,
  journalCase,
} from "../../journal/testing/journal-case.js";
import type { HandlerEntry } from "../../definitions/registry.js";
import { json } from "../../serde/json.js";
import { InvocationContext } from "../invocation-context.js";
import { Scheduler } from "../scheduler.js";
import { AttemptSignals } from "../attempt-signals.js";
import type { Logger } from "../logger.js";
import { LOADED_CODEC } from "../../journal/testing/codec.js";
import type { JournalValueCodec } from "../../serde/journal-value-codec.js";

/** A logger that keeps what it is given. */
export function memoryLogger(): Logger & { lines: Array<[string, unknown[]]> } {
  const lines: Array<[string, unknown[]]> = [];
  const at =
    (level: string) =>
    (...args: unknown[]) =>
      void lines.push([level, args]);
  return {
    lines,
    trace: at("trace"),
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
}

export interface HarnessOptions {
  readonly version: ProtocolVersion;
  readonly key: string;
  readonly input: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly now: number;
  readonly logger: Logger;
  /** Replayed entries after the input (commands and notifications). */
  readonly journal: readonly Frame[];
  /** StartMessage fields besides the key (e.g. the V7 scope). */
  readonly start: Partial<StartOptions>;
  /** The endpoint's journal value codec (none: values are journaled as is). */
  readonly valueCodec: JournalValueCodec;
  /** The handler observes cancellation itself (`ctx.cancellation()`). */
  readonly explicitCancellation: boolean;
}

export interface Harness {
  readonly ctx: InvocationContext;
  readonly vm: JournalVm;
  readonly scheduler: Scheduler;
  /** Delivers frames from the runtime (notifications, acks), as the transport would. */
  send(...frames: Frame[]): void;
  /** Ends the request stream: from then on, waiting on the runtime suspends. */
  closeInput(): void;
  /** Every frame the engine wrote so far. */
  output(): OutputFrame[];
  /** The same, as bytes. */
  bytes(): Uint8Array;
}

const HANDLER: HandlerEntry = {
  service: "Svc",
  name: "handle",
  serviceKind: "object",
  kind: "exclusive",
  fn: () => undefined,
  options: {},
  input: json,
  output: json,
  hooks: undefined,
};

const cache = new Map<string, Uint8Array>();

/** The request body up to the end of the replayed journal (cached: tests start many). */
function requestBytes(options: Partial<HarnessOptions>): Uint8Array {
  const cacheKey =
    options.journal === undefined
      ? JSON.stringify([options.key, options.input, options.headers, options.start])
      : undefined;
  const cached = cacheKey !== undefined ? cache.get(cacheKey) : undefined;
  if (cached !== undefined) return cached;
  let builder = journalCase()
    .start({ ...options.start, key: options.key ?? "k" })
    .input(inputCommand(options.input ?? "null", options.headers ?? []));
  for (const entry of options.journal ?? []) builder = builder.command(entry);
  const bytes = builder.requestBytes();
  if (cacheKey !== undefined) cache.set(cacheKey, bytes);
  return bytes;
}

/** Starts an invocation (input read, journal replayed) and hands its context over. */
export function harness(options: Partial<HarnessOptions> = {}): Harness {
  const written: Uint8Array[] = [];
  const vm = new JournalVm(
    { write: (bytes) => void written.push(bytes.slice()), close: () => undefined },
    {
      version: options.version ?? 6,
      codec: LOADED_CODEC,
      explicitCancellation: options.explicitCancellation === true,
    },
  );
  vm.notifyInput(requestBytes(options));
  const scheduler = new Scheduler(vm);
  const input = vm.sysInput();
  const ctx = new InvocationContext({
    vm,
    scheduler,
    logger: options.logger ?? memoryLogger(),
    handler: { ...HANDLER, explicitCancellation: options.explicitCancellation === true },
    input,
    attemptHeaders: new Map([["x-attempt", "1"]]),
    signals: new AttemptSignals(),
    now: () => options.now ?? 1_000_000,
    ...(options.valueCodec !== undefined ? { valueCodec: options.valueCodec } : {}),
  });
  return {
    ctx,
    vm,
    scheduler,
    send(...frames) {
      vm.notifyInput(concat(frames.map((f) => encodeFrame(f.type, f.payload, f.flags))));
      scheduler.onInput();
    },
    closeInput() {
      vm.notifyInputClosed();
      scheduler.onInput();
      scheduler.schedule();
    },
    output: () => decodeOutput(concat(written)),
    bytes: () => concat(written),
  };
}
