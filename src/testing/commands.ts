// SPDX-License-Identifier: MIT
// What the runtime does with each command an attempt writes (the server's side of docs/protocol.md §6):
// state changes, timers, calls, signals, promises, and the notifications that answer them.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as pb from "../journal/gen/protocol_pb.js";
import { type Frame, REQUESTED_ACK, encodeFrame } from "../journal/framing.js";
import type { NotificationResult } from "../journal/futures.js";
import { CommandType, MessageType, SIGNAL_NOTIFICATION_TYPE } from "../journal/message-types.js";
import { parseAwakeableId } from "../journal/ids.js";
import type { Attempt } from "./attempt.js";
import { type Invocation, type InvocationResult, failure } from "./invocation.js";
import type { Runtime } from "./runtime.js";
import { cancel } from "./control.js";

/** CallInvocationIdCompletionNotification: answers both Call and OneWayCall. */
const INVOCATION_ID_NOTIFICATION = 0x800e;
const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder();

const completion = (id: number) => ({ kind: "completion", id }) as const;
const answer = (type: number) => 0x8000 | type;

/** Acts on one stored command of `invocation`. */
export function handleCommand(
  rt: Runtime,
  invocation: Invocation,
  type: number,
  payload: Uint8Array,
  index: number,
): void {
  switch (type) {
    case CommandType.Output: {
      const { result } = fromBinary(pb.OutputCommandSchema, payload);
      invocation.output =
        result.case === "failure"
          ? failureResult(result.value)
          : { kind: "value", value: result.value?.content ?? EMPTY };
      return;
    }
    case CommandType.GetLazyState: {
      const m = fromBinary(pb.GetLazyStateCommandSchema, payload);
      const value = stateOf(rt, invocation)?.get(utf8.decode(m.key));
      rt.deliver(
        invocation,
        answer(type),
        completion(m.resultCompletionId),
        value === undefined ? { kind: "void" } : { kind: "value", value },
      );
      return;
    }
    case CommandType.GetLazyStateKeys: {
      const m = fromBinary(pb.GetLazyStateKeysCommandSchema, payload);
      const keys = [...(stateOf(rt, invocation)?.keys() ?? [])].sort();
      rt.deliver(invocation, answer(type), completion(m.resultCompletionId), {
        kind: "stateKeys",
        keys,
      });
      return;
    }
    case CommandType.SetState: {
      const m = fromBinary(pb.SetStateCommandSchema, payload);
      stateOf(rt, invocation)?.set(utf8.decode(m.key), m.value?.content ?? EMPTY);
      return;
    }
    case CommandType.ClearState:
      stateOf(rt, invocation)?.delete(
        utf8.decode(fromBinary(pb.ClearStateCommandSchema, payload).key),
      );
      return;
    case CommandType.ClearAllState:
      stateOf(rt, invocation)?.clear();
      return;
    case CommandType.Sleep: {
      const m = fromBinary(pb.SleepCommandSchema, payload);
      rt.setTimer(Number(m.wakeUpTime), () =>
        rt.deliver(invocation, answer(type), completion(m.resultCompletionId), { kind: "void" }),
      );
      return;
    }
    case CommandType.Run: {
      const m = fromBinary(pb.RunCommandSchema, payload);
      invocation.runs.set(m.resultCompletionId, { name: m.name, index });
      return;
    }
    case CommandType.Call:
      return call(rt, invocation, fromBinary(pb.CallCommandSchema, payload));
    case CommandType.OneWayCall:
      return send(rt, invocation, fromBinary(pb.OneWayCallCommandSchema, payload));
    case CommandType.SendSignal:
      return sendSignal(rt, fromBinary(pb.SendSignalCommandSchema, payload));
    case CommandType.CompleteAwakeable:
      return completeAwakeable(rt, fromBinary(pb.CompleteAwakeableCommandSchema, payload));
    case CommandType.AttachInvocation: {
      const m = fromBinary(pb.AttachInvocationCommandSchema, payload);
      const target = resolveTarget(rt, m.target);
      const reply = (r: NotificationResult) =>
        rt.deliver(invocation, answer(type), completion(m.resultCompletionId), r);
      if (target === undefined) reply(failure(404, "Invocation not found"));
      else target.watch({ completed: reply });
      return;
    }
    case CommandType.GetInvocationOutput: {
      const m = fromBinary(pb.GetInvocationOutputCommandSchema, payload);
      const target = resolveTarget(rt, m.target);
      rt.deliver(
        invocation,
        answer(type),
        completion(m.resultCompletionId),
        target?.result ?? { kind: "void" },
      );
      return;
    }
    case CommandType.GetPromise:
    case CommandType.PeekPromise:
    case CommandType.CompletePromise:
      return promiseCommand(rt, invocation, type, payload);
    default:
      // Input (replayed only), eager state reads and their keys: nothing to do.
      return;
  }
}

/** A ProposeRunCompletion: stores the RunCompletionNotification and delivers it (or a V7 ack). */
export function handleProposal(
  rt: Runtime,
  invocation: Invocation,
  attempt: Attempt,
  frame: Frame,
): void {
  const m = fromBinary(pb.ProposeRunCompletionMessageSchema, frame.payload);
  const result: NotificationResult =
    m.result.case === "failure"
      ? failureResult(m.result.value)
      : { kind: "value", value: m.result.value ?? EMPTY };
  const ack =
    rt.version >= 7 && (frame.flags & REQUESTED_ACK) !== 0
      ? encodeFrame(
          MessageType.ProposeRunCompletionAck,
          toBinary(
            pb.ProposeRunCompletionAckMessageSchema,
            create(pb.ProposeRunCompletionAckMessageSchema, { completionId: m.resultCompletionId }),
          ),
        )
      : undefined;
  rt.deliver(invocation, answer(CommandType.Run), completion(m.resultCompletionId), result, ack);
}

function call(rt: Runtime, invocation: Invocation, m: pb.CallCommand): void {
  const callee = rt.invoke({
    target: target(rt, m.serviceName, m.handlerName, m.key),
    input: m.parameter,
    headers: m.headers.map((h) => [h.key, h.value] as const),
    ...(m.idempotencyKey !== undefined ? { idempotencyKey: m.idempotencyKey } : {}),
    caller: invocation.id,
  });
  invocation.calls.push(callee.id);
  rt.deliver(invocation, INVOCATION_ID_NOTIFICATION, completion(m.invocationIdNotificationIdx), {
    kind: "invocationId",
    invocationId: callee.id,
  });
  callee.watch({
    completed: (result) =>
      rt.deliver(invocation, answer(CommandType.Call), completion(m.resultCompletionId), result),
  });
}

function send(rt: Runtime, invocation: Invocation, m: pb.OneWayCallCommand): void {
  const invokeAt = Number(m.invokeTime);
  const callee = rt.invoke({
    target: target(rt, m.serviceName, m.handlerName, m.key),
    input: m.parameter,
    headers: m.headers.map((h) => [h.key, h.value] as const),
    ...(m.idempotencyKey !== undefined ? { idempotencyKey: m.idempotencyKey } : {}),
    ...(invokeAt > 0 ? { invokeAt } : {}),
    caller: invocation.id,
  });
  rt.deliver(invocation, INVOCATION_ID_NOTIFICATION, completion(m.invocationIdNotificationIdx), {
    kind: "invocationId",
    invocationId: callee.id,
  });
}

function sendSignal(rt: Runtime, m: pb.SendSignalCommand): void {
  const target = rt.invocations.get(m.targetInvocationId);
  if (target === undefined) return;
  const { signalId } = m;
  if (signalId.case === "idx" && signalId.value === 1) {
    cancel(rt, target);
    return;
  }
  const result: NotificationResult =
    m.result.case === "value"
      ? { kind: "value", value: m.result.value.content }
      : m.result.case === "failure"
        ? failureResult(m.result.value)
        : { kind: "void" };
  if (signalId.case === "idx") {
    rt.deliver(target, SIGNAL_NOTIFICATION_TYPE, { kind: "signal", id: signalId.value }, result);
  } else if (signalId.case === "name") {
    rt.deliver(target, SIGNAL_NOTIFICATION_TYPE, { kind: "named", id: signalId.value }, result);
  }
}

function completeAwakeable(rt: Runtime, m: pb.CompleteAwakeableCommand): void {
  const result: NotificationResult =
    m.result.case === "failure"
      ? failureResult(m.result.value)
      : { kind: "value", value: m.result.value?.content ?? EMPTY };
  deliverAwakeable(rt, m.awakeableId, result);
}

/** Completes an awakeable by id; false if the id names no invocation of this runtime. */
export function deliverAwakeable(rt: Runtime, id: string, result: NotificationResult): boolean {
  const parsed = parseAwakeableId(id);
  const invocationId = parsed && rt.ids.idOfBytes(parsed.invocationId);
  const target = invocationId !== undefined ? rt.invocations.get(invocationId) : undefined;
  if (parsed === undefined || target === undefined) return false;
  rt.deliver(target, SIGNAL_NOTIFICATION_TYPE, { kind: "signal", id: parsed.signalIndex }, result);
  return true;
}

function promiseCommand(rt: Runtime, invocation: Invocation, type: number, payload: Uint8Array) {
  const workflow = `${invocation.target.service}/${invocation.target.key ?? ""}`;
  const reply = (id: number) => (result: NotificationResult) =>
    rt.deliver(invocation, answer(type), completion(id), result);
  if (type === CommandType.GetPromise) {
    const m = fromBinary(pb.GetPromiseCommandSchema, payload);
    rt.promises.get(workflow, m.key, reply(m.resultCompletionId));
  } else if (type === CommandType.PeekPromise) {
    const m = fromBinary(pb.PeekPromiseCommandSchema, payload);
    reply(m.resultCompletionId)(rt.promises.peek(workflow, m.key) ?? { kind: "void" });
  } else {
    const m = fromBinary(pb.CompletePromiseCommandSchema, payload);
    const value: InvocationResult =
      m.completion.case === "completionFailure"
        ? failureResult(m.completion.value)
        : { kind: "value", value: m.completion.value?.content ?? EMPTY };
    const isDone = rt.promises.complete(workflow, m.key, value);
    reply(m.resultCompletionId)(
      isDone ? { kind: "void" } : failure(409, `Promise "${m.key}" was already completed`),
    );
  }
}

/** Attach / get-output targets: an invocation id, a workflow id, or an idempotent request. */
function resolveTarget(
  rt: Runtime,
  t: pb.AttachInvocationCommand["target"],
): Invocation | undefined {
  switch (t.case) {
    case "invocationId":
      return rt.invocations.get(t.value);
    case "workflowTarget":
      return rt.lookup("workflow", `${t.value.workflowName}/${t.value.workflowKey}`);
    case "idempotentRequestTarget": {
      const r = t.value;
      const path = `${r.serviceName}/${r.serviceKey ?? ""}/${r.handlerName}/${r.idempotencyKey}`;
      return rt.lookup("idempotency", path);
    }
    default:
      return undefined;
  }
}

/** The target of a call: services have no key, objects and workflows keep theirs. */
function target(rt: Runtime, service: string, handler: string, key: string) {
  const kind = rt.services.get(service)?.kind;
  const isKeyed = kind !== undefined ? kind !== "service" : key !== "";
  return { service, handler, ...(isKeyed ? { key } : {}) };
}

function stateOf(rt: Runtime, invocation: Invocation) {
  const { service, key } = invocation.target;
  return key === undefined ? undefined : rt.state.of(service, key);
}

function failureResult(f: pb.Failure): InvocationResult {
  return {
    kind: "failure",
    code: f.code,
    message: f.message,
    metadata: f.metadata.map(({ key, value }) => ({ key, value })),
  };
}
