// SPDX-License-Identifier: MIT
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { InvocationParams, InvocationSink } from "../context/invocation.js";
import { streamInvocation } from "./invocation-stream.js";

// A runner the test drives by hand through `runner.sink`, recording what the pump tells it.
const runner = vi.hoisted(() => {
  const state = { sink: undefined as InvocationSink | undefined, events: [] as string[] };
  function startInvocation(_params: InvocationParams, sink: InvocationSink) {
    state.sink = sink;
    return {
      push: (chunk: Uint8Array) => state.events.push(`push ${new TextDecoder().decode(chunk)}`),
      end: () => state.events.push("end"),
      abort: (reason: unknown) => state.events.push(`abort ${String(reason)}`),
    };
  }
  return { state, startInvocation };
});
vi.mock("../context/invocation.js", () => ({ startInvocation: runner.startInvocation }));

const params = {} as InvocationParams;
const bytes = (text: string) => new TextEncoder().encode(text);

function controllableBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return { body, controller };
}

/** Lets the pump's read loop catch up. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  runner.state.events.length = 0;
  runner.state.sink = undefined;
});

describe("streamInvocation", () => {
  it("delivers request chunks as they arrive and ends the input at EOF", async () => {
    const { body, controller } = controllableBody();
    streamInvocation(params, body);
    controller.enqueue(bytes("a"));
    await settle();
    expect(runner.state.events).toEqual(["push a"]);
    controller.enqueue(bytes("b"));
    controller.close();
    await settle();
    expect(runner.state.events).toEqual(["push a", "push b", "end"]);
  });

  it("ends the input at once when there is no body", () => {
    streamInvocation(params, null);
    return settle().then(() => expect(runner.state.events).toEqual(["end"]));
  });

  it("streams writes out, and closes only after the attempt and the request are both over", async () => {
    const { body, controller } = controllableBody();
    const reader = streamInvocation(params, body).getReader();
    runner.state.sink!.write(bytes("frame1"));
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("frame1");
    runner.state.sink!.end();
    let isDone = false;
    const last = reader.read().then((r) => (isDone = r.done));
    await settle();
    expect(isDone).toBe(false);
    controller.enqueue(bytes("late"));
    controller.close();
    await last;
    expect(isDone).toBe(true);
    // Chunks after the attempt ended are drained, not delivered, and the input is not ended twice.
    expect(runner.state.events).toEqual([]);
  });

  it("aborts the input and errors the response when the request breaks", async () => {
    const { body, controller } = controllableBody();
    const reader = streamInvocation(params, body).getReader();
    controller.error(new Error("reset"));
    await expect(reader.read()).rejects.toThrow("reset");
    expect(runner.state.events).toEqual(["abort Error: reset"]);
    runner.state.sink!.write(bytes("ignored"));
    runner.state.sink!.end();
  });

  it("aborts the input when the response is cancelled (client gone)", async () => {
    const { body } = controllableBody();
    const stream = streamInvocation(params, body);
    await stream.cancel("gone");
    await settle();
    expect(runner.state.events).toEqual(["abort gone"]);
    runner.state.sink!.write(bytes("ignored"));
  });
});
