// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { CommandType } from "../journal/message-types.js";
import { completion, result } from "../journal/testing/journal-case.js";
import { json } from "../serde/json.js";
import { AttemptHooks } from "./attempt-hooks.js";
import type { HookContext, OutgoingCall } from "./hooks.js";
import { OutgoingCalls } from "./outgoing-calls.js";
import { harness } from "./__fixtures__/harness.js";

type Harness = ReturnType<typeof harness>;
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);
const commands = (h: Harness) => h.output().map((f) => f.type);
const messageAt = <M>(h: Harness, i: number) => h.output()[i]?.message as unknown as M;

interface CallMessage {
  serviceName: string;
  handlerName: string;
  parameter: Uint8Array;
  headers: Array<{ key: string; value: string }>;
  key: string;
  idempotencyKey?: string;
  invokeTime?: bigint;
  name: string;
}

/** The calls of a started attempt, at wall-clock time `now`. */
function started(now = 5_000) {
  const h = harness({ now });
  const calls = new OutgoingCalls({
    vm: h.vm,
    promises: h.ctx,
    now: () => now,
    defaultSerde: json,
  });
  return { h, calls };
}

describe("OutgoingCalls", () => {
  it("journals a call with its fields and resolves its invocation id and result", async () => {
    const { h, calls } = started();
    const promise = calls.genericCall({
      service: "Cart",
      method: "add",
      key: "mary",
      parameter: bytes("raw"),
      headers: { h1: "v1" },
      idempotencyKey: "idem",
      name: "adding",
    });
    expect(commands(h)).toEqual([CommandType.Call]);
    expect(messageAt<CallMessage>(h, 0)).toMatchObject({
      serviceName: "Cart",
      handlerName: "add",
      key: "mary",
      headers: [expect.objectContaining({ key: "h1", value: "v1" })],
      idempotencyKey: "idem",
      name: "adding",
    });
    expect(text(messageAt<CallMessage>(h, 0).parameter)).toBe("raw");
    h.send(
      completion(CommandType.Call, 1, result.invocationId("inv_1x")),
      completion(CommandType.Call, 2, result.value("out")),
    );
    await expect(promise.invocationId).resolves.toBe("inv_1x");
    expect(text(await promise)).toBe("out");
  });

  it("journals a delayed send at now + delay", async () => {
    const { h, calls } = started(5_000);
    const handle = calls.genericSend({
      service: "Mailer",
      method: "send",
      parameter: bytes("{}"),
      delay: { seconds: 2 },
    });
    expect(messageAt<CallMessage>(h, 0).invokeTime).toBe(7_000n);
    h.send(completion(CommandType.OneWayCall, 1, result.invocationId("inv_1y")));
    await expect(handle.invocationId).resolves.toBe("inv_1y");
  });

  it("builds typed clients with the default serde and the key", async () => {
    const { h, calls } = started();
    const client = calls.client({ name: "Counter" }, "c1") as unknown as {
      add: (n: number) => PromiseLike<number>;
    };
    const sum = client.add(3);
    expect(messageAt<CallMessage>(h, 0)).toMatchObject({
      serviceName: "Counter",
      handlerName: "add",
      key: "c1",
    });
    expect(text(messageAt<CallMessage>(h, 0).parameter)).toBe("3");
    h.send(completion(CommandType.Call, 2, result.value("4")));
    await expect(sum).resolves.toBe(4);
  });

  it("addresses attach and get-output by id, workflow or idempotency key", async () => {
    const { h, calls } = started();
    const attached = calls.attach<string>("inv_1a");
    const workflow = calls.output<string>({ workflow: "signup", key: "u1" });
    const idempotent = calls.output({
      service: "S",
      handler: "h",
      idempotencyKey: "k",
    });
    expect(commands(h)).toEqual([
      CommandType.AttachInvocation,
      CommandType.GetInvocationOutput,
      CommandType.GetInvocationOutput,
    ]);
    const targets = [0, 1, 2].map((i) => messageAt<{ target: { case: string } }>(h, i).target.case);
    expect(targets).toEqual(["invocationId", "workflowTarget", "idempotentRequestTarget"]);
    h.send(
      completion(CommandType.AttachInvocation, 1, result.value('"done"')),
      completion(CommandType.GetInvocationOutput, 2, result.value('"welcome"')),
      completion(CommandType.GetInvocationOutput, 3, result.void()),
    );
    await expect(attached).resolves.toBe("done");
    await expect(workflow).resolves.toEqual({ ready: true, value: "welcome" });
    await expect(idempotent).resolves.toEqual({ ready: false });
  });

  it("signals and cancels another invocation by id", () => {
    const { h, calls } = started();
    const other = calls.invocation("inv_1other");
    other.signal<string>("approved").resolve("yes");
    other.signal("approved").reject({ message: "no", code: 403 });
    other.cancel();
    const [resolve, reject, cancel] = [0, 1, 2].map((i) =>
      messageAt<{
        targetInvocationId: string;
        signalId: { case: string; value: unknown };
        result: { case: string; value: unknown };
      }>(h, i),
    );
    expect(resolve!.targetInvocationId).toBe("inv_1other");
    expect(resolve!.signalId).toEqual({ case: "name", value: "approved" });
    expect(text((resolve!.result.value as { content: Uint8Array }).content)).toBe('"yes"');
    expect(reject!.result).toMatchObject({ case: "failure", value: { code: 403, message: "no" } });
    // Cancel is the built-in signal 1.
    expect(cancel!.signalId).toEqual({ case: "idx", value: 1 });
  });

  it("lets call interceptors add headers before the call is journaled", () => {
    const { h, calls } = started();
    const seen: OutgoingCall[] = [];
    const hooks = new AttemptHooks(
      [
        () => ({
          interceptor: {
            call: (request, next) => {
              seen.push({ ...request });
              request.headers["x-trace"] = "t1";
              next();
            },
          },
        }),
      ],
      {} as HookContext,
    );
    calls.useHooks(hooks);
    calls.genericSend({ service: "S", method: "m", parameter: bytes(""), headers: { a: "b" } });
    expect(seen).toEqual([expect.objectContaining({ kind: "send", service: "S", handler: "m" })]);
    expect(messageAt<CallMessage>(h, 0).headers).toEqual([
      expect.objectContaining({ key: "a", value: "b" }),
      expect.objectContaining({ key: "x-trace", value: "t1" }),
    ]);
  });
});
