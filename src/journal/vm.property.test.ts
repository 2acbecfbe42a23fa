// SPDX-License-Identifier: MIT
// Property tests of the engine over random handler programs and the journals they record: the
// same program replays its journal without error and starts no side effect early; a program that
// departs from its journal is a 570; a damaged request is answered with an ErrorMessage, never an exception.
import { create, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { propertyRuns } from "./__fixtures__/property-runs.js";
import * as pb from "./gen/protocol_pb.js";
import { ClosedError, ProtocolError } from "./errors.js";
import { FrameDecoder, encodeFrame } from "./framing.js";
import { CommandType, MessageType, isCommandType } from "./message-types.js";
import { concat, hex, utf8 } from "./testing/bytes.js";
import { DEFAULT_INVOCATION_ID, decodeOutput, inputCommand } from "./testing/journal-case.js";
import {
  type NotificationResultInit,
  completionType,
  notificationFrame,
  result,
} from "./testing/frames.js";
import { JournalVm } from "./vm.js";
import { LOADED_CODEC } from "./testing/codec.js";

/** One handler operation; every kind that writes a command, plus awakeables (no command). */
type Op =
  | { readonly kind: "sleep" | "call" | "awakeable" | "getState" | "clearAll" }
  | { readonly kind: "run" | "setState" | "clearState"; readonly name: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constantFrom<Op>(
    { kind: "sleep" },
    { kind: "call" },
    { kind: "awakeable" },
    { kind: "getState" },
    { kind: "clearAll" },
  ),
  fc.record({
    kind: fc.constantFrom("run" as const, "setState" as const, "clearState" as const),
    name: fc.constantFrom("a", "b"),
  }),
);

interface Trace {
  readonly started: number[];
}

/**
 * Runs a program against the VM as a handler would (without awaiting anything); `finish` ends
 * it like a returning handler, with an Output and End.
 */
function runProgram(vm: JournalVm, program: readonly Op[], trace: Trace, finish = true): void {
  vm.sysInput();
  for (const op of program) {
    switch (op.kind) {
      case "sleep":
        vm.sysSleep(1000);
        break;
      case "call":
        vm.sysCall({ service: "s", handler: "h", parameter: utf8("1") });
        break;
      case "awakeable":
        vm.sysAwakeable();
        break;
      case "getState":
        vm.sysGetState("k");
        break;
      case "clearAll":
        vm.sysClearAllState();
        break;
      case "run":
        vm.sysRun(op.name, (id) => trace.started.push(id));
        break;
      case "setState":
        vm.sysSetState(op.name, utf8("1"));
        break;
      case "clearState":
        vm.sysClearState(op.name);
        break;
    }
  }
  if (!finish) return;
  vm.sysOutput({ value: utf8('"done"') });
  vm.sysEnd();
}

function newVm(written: Uint8Array[]): JournalVm {
  return new JournalVm(
    { write: (bytes) => written.push(bytes.slice()), close: () => {} },
    { version: 6, codec: LOADED_CODEC },
  );
}

function startFrame(knownEntries: number): Uint8Array {
  const start = create(pb.StartMessageSchema, {
    id: hex(DEFAULT_INVOCATION_ID),
    debugId: "inv_1",
    knownEntries,
    partialState: true,
  });
  return encodeFrame(MessageType.Start, toBinary(pb.StartMessageSchema, start));
}

/**
 * Records the journal of a first attempt: the program's commands, each followed by the
 * completions of its ids that `isCompleted` picks (the rest stay unanswered).
 */
function recordJournal(program: readonly Op[], isCompleted: (id: number) => boolean) {
  const written: Uint8Array[] = [];
  const vm = newVm(written);
  vm.notifyInput(concat([startFrame(1), encodeInput()]));
  runProgram(vm, program, { started: [] }, false);
  const bytes = concat(written);
  const messages = decodeOutput(bytes);
  const entries: Uint8Array[] = [encodeInput()];
  new FrameDecoder().push(bytes).forEach((frame, i) => {
    if (!isCommandType(frame.type)) return;
    entries.push(encodeFrame(frame.type, frame.payload));
    const { invocationIdNotificationIdx: idIdx, resultCompletionId: resultId } = messages[i]!
      .message as { invocationIdNotificationIdx?: number; resultCompletionId?: number };
    if (idIdx !== undefined && idIdx > 0 && isCompleted(idIdx)) {
      entries.push(notification(CALL_ID_NOTIFICATION, idIdx, result.invocationId("inv_1x")));
    }
    if (resultId !== undefined && resultId > 0 && isCompleted(resultId)) {
      const res = frame.type === CommandType.GetLazyState ? result.value("1") : result.void();
      entries.push(notification(completionType(frame.type), resultId, res));
    }
  });
  return entries;
}

const CALL_ID_NOTIFICATION = 0x800e;

function notification(type: number, id: number, res: NotificationResultInit): Uint8Array {
  const frame = notificationFrame(type, { id: { case: "completionId", value: id }, result: res });
  return encodeFrame(frame.type, frame.payload);
}

function encodeInput(): Uint8Array {
  const input = inputCommand('"x"');
  return encodeFrame(input.type, input.payload);
}

/** Feeds a request in random chunks, closes the input, runs the program; returns what happened. */
function replay(request: Uint8Array, cuts: readonly number[], program: readonly Op[]) {
  const written: Uint8Array[] = [];
  const vm = newVm(written);
  let start = 0;
  for (const point of [...new Set(cuts.map((c) => c % (request.length + 1)))].sort(
    (a, b) => a - b,
  )) {
    vm.notifyInput(request.subarray(start, point));
    start = point;
  }
  vm.notifyInput(request.subarray(start));
  vm.notifyInputClosed();
  const trace: Trace = { started: [] };
  let thrown: unknown;
  if (vm.isReadyToExecute) {
    try {
      runProgram(vm, program, trace);
    } catch (e) {
      thrown = e;
    }
  }
  return { vm, trace, thrown, frames: decodeOutput(concat(written)) };
}

/** Room for FC_RUNS in the thousands; the default runs take a fraction of a second. */
const PROPERTY_TIMEOUT = 300_000;

const programArb = fc.array(opArb, { minLength: 1, maxLength: 8 });
const cutsArb = fc.array(fc.nat(), { maxLength: 6 });

describe("engine properties", () => {
  it(
    "a program replays its own journal: no error, no output, no side effect before the end",
    () => {
      fc.assert(
        fc.property(programArb, fc.func(fc.boolean()), cutsArb, (program, isCompleted, cuts) => {
          const entries = recordJournal(program, isCompleted);
          const request = concat([startFrame(entries.length), ...entries]);
          const { vm, trace, thrown, frames } = replay(request, cuts, program);
          expect(thrown).toBeUndefined();
          expect(vm.error).toBeUndefined();
          expect(frames.map((f) => f.type)).toEqual([CommandType.Output, MessageType.End]);
          // Only runs the journal left unanswered start, and only once nothing remains to replay.
          for (const id of trace.started) expect(isCompleted(id)).toBe(false);
        }),
        propertyRuns(50),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "a program that differs from its journal is a 570, and starts no closure",
    () => {
      fc.assert(
        fc.property(
          programArb,
          fc.nat(),
          opArb,
          fc.func(fc.boolean()),
          (program, at, replacement, isCompleted) => {
            const entries = recordJournal(program, isCompleted);
            const changed = [...program];
            changed[at % program.length] = replacement;
            const request = concat([startFrame(entries.length), ...entries]);
            const { vm, trace, thrown } = replay(request, [], changed);
            // Awakeables write no command; every other op writes exactly one, with its own ids.
            const writesCommand = (op: Op) => op.kind !== "awakeable";
            const recorded = program.filter(writesCommand);
            const replayed = changed.filter(writesCommand).slice(0, recorded.length);
            if (JSON.stringify(recorded) === JSON.stringify(replayed)) {
              // The journal is a prefix of what the program does: the rest is new work.
              expect(vm.error).toBeUndefined();
              return;
            }
            expect(vm.error?.code).toBe(570);
            expect(thrown).toBe(vm.error);
            // A run before the difference, left unanswered, never started: commands remained.
            expect(trace.started).toEqual([]);
          },
        ),
        propertyRuns(50),
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "a damaged request is answered with one ErrorMessage (or still replays), never a throw",
    () => {
      const damage = fc.oneof(
        fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
        fc.record({ kind: fc.constant("dropEntry" as const), at: fc.nat() }),
        fc.record({ kind: fc.constant("duplicateEntry" as const), at: fc.nat() }),
        fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), value: fc.nat(255) }),
        fc.record({ kind: fc.constant("unknownType" as const), at: fc.nat() }),
      );
      fc.assert(
        fc.property(
          programArb,
          fc.func(fc.boolean()),
          damage,
          cutsArb,
          (program, done, d, cuts) => {
            const entries = recordJournal(program, done);
            const known = entries.length;
            const edited = [...entries];
            const at = d.at % entries.length;
            let request: Uint8Array;
            let isBad = true;
            switch (d.kind) {
              case "truncate": {
                const whole = concat([startFrame(known), ...entries]);
                request = whole.subarray(0, d.at % whole.length);
                break;
              }
              case "dropEntry":
                edited.splice(at, 1);
                request = concat([startFrame(known), ...edited]);
                break;
              case "duplicateEntry":
                edited.splice(at, 0, edited[at]!);
                request = concat([startFrame(known + 1), ...edited]);
                isBad = at === 0 || isCommandType(readType(edited[at]!)); // notifications repeat harmlessly
                break;
              case "flip": {
                const whole = concat([startFrame(known), ...entries]);
                whole[d.at % whole.length] = d.value;
                request = whole;
                isBad = false; // a flipped payload byte may still decode to a valid journal
                break;
              }
              case "unknownType":
                edited.splice(at, 0, encodeFrame(0x0bad, new Uint8Array(0)));
                request = concat([startFrame(known + 1), ...edited]);
                break;
            }
            const { vm, thrown, frames } = replay(request, cuts, program);
            if (thrown !== undefined) {
              expect(thrown instanceof ProtocolError || thrown instanceof ClosedError).toBe(true);
            }
            const errors = frames.filter((f) => f.type === MessageType.Error);
            expect(errors.length).toBeLessThanOrEqual(1);
            if (errors.length === 1) expect(frames.at(-1)?.type).toBe(MessageType.Error);
            if (isBad) {
              expect(vm.error).toBeInstanceOf(ProtocolError);
              expect(errors).toHaveLength(1);
            }
          },
        ),
        propertyRuns(100),
      );
    },
    PROPERTY_TIMEOUT,
  );
});

function readType(frame: Uint8Array): number {
  return ((frame[0] ?? 0) << 8) | (frame[1] ?? 0);
}
