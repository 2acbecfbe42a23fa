// SPDX-License-Identifier: MIT
// Replaying runs, the bulk of a long journal: the RunCommand's plain form is read and matched
// without protobuf-es (hot-codec.ts, replay.ts); every other form, and every mismatch, still goes
// through the generated decoder and the generic comparison, with the same results.
import { describe, expect, it } from "vitest";
import type { DescMessage, MessageInitShape } from "@bufbuild/protobuf";
import { ProtocolCodecSlot } from "./codec.js";
import { evaluate } from "./futures.js";
import { CommandType } from "./message-types.js";
import { protocolCodec } from "./protocol-codec.js";
import {
  completion,
  frame,
  inputCommand,
  journalCase,
  rawFrame,
  result,
} from "./testing/journal-case.js";
import { hex } from "./testing/bytes.js";

const RUN_TYPE_NAME = protocolCodec.pb.RunCommandSchema.typeName;

/** The real codec in a slot, counting how often it decodes or builds a RunCommand. */
function countingSlot() {
  const counts = { fromBinary: 0, create: 0 };
  const slot = new ProtocolCodecSlot();
  slot.install({
    ...protocolCodec,
    fromBinary: ((schema: DescMessage, bytes: Uint8Array) => {
      if (schema.typeName === RUN_TYPE_NAME) counts.fromBinary++;
      return protocolCodec.fromBinary(schema, bytes);
    }) as typeof protocolCodec.fromBinary,
    create: ((schema: DescMessage, init?: MessageInitShape<DescMessage>) => {
      if (schema.typeName === RUN_TYPE_NAME) counts.create++;
      return protocolCodec.create(schema, init);
    }) as typeof protocolCodec.create,
  });
  return { slot, counts };
}

const run = (id: number, name: string) => frame(CommandType.Run, { resultCompletionId: id, name });
const done = (id: number, json: string) => completion(CommandType.Run, id, result.value(json));

describe("replaying runs", () => {
  it("reads and matches plain RunCommands without the generated decoder", () => {
    const { slot, counts } = countingSlot();
    const r = journalCase({ codec: slot })
      .start()
      .input(inputCommand())
      .command(run(1, "a"))
      .notification(done(1, "10"))
      .command(run(2, "b"))
      .notification(done(2, "20"))
      .run((vm) => {
        vm.sysInput();
        const leaves = [vm.sysRun("a"), vm.sysRun("b")];
        return { phase: vm.phase, outcomes: leaves.map((l) => evaluate(l, vm.notifications)) };
      });
    expect(r.error).toBeUndefined();
    expect(r.value?.phase).toBe("Processing");
    expect(r.value?.outcomes.map((o) => o?.failed)).toEqual([false, false]);
    expect(counts).toEqual({ fromBinary: 0, create: 0 });
  });

  it("a RunCommand with a field it does not know goes through the generated decoder", () => {
    const { slot, counts } = countingSlot();
    // `08 01` (field 1, unknown to RunCommand), then result_completion_id 1, name "a".
    const r = journalCase({ codec: slot })
      .start()
      .input(inputCommand())
      .command(rawFrame(CommandType.Run, hex("08015801620161")))
      .run((vm) => {
        vm.sysInput();
        vm.sysRun("a");
        return vm.phase;
      });
    expect(r.error).toBeUndefined();
    expect(r.value).toBe("Processing");
    expect(counts.fromBinary).toBeGreaterThan(0);
  });

  it("a run with another name is the generic 570, built from the produced message", () => {
    const { slot, counts } = countingSlot();
    const r = journalCase({ codec: slot })
      .start()
      .input(inputCommand())
      .command(run(1, "a"))
      .run((vm) => {
        vm.sysInput();
        vm.sysRun("b");
      });
    expect(r.error).toMatchObject({ code: 570, relatedCommandIndex: 1 });
    expect(r.errorMessage).toMatch(/differs in: name/);
    expect(counts.create).toBeGreaterThan(0);
  });
});
