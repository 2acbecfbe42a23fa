// SPDX-License-Identifier: MIT
import { beforeEach, describe, expect, it } from "vitest";
import type { InvocationParams } from "../context/invocation.js";
import { manualRunner } from "./__fixtures__/echo-runner.js";
import { streamInvocation } from "./invocation-stream.js";

let runner = manualRunner();
const params = {} as InvocationParams;
const bytes = (text: string) => new TextEncoder().encode(text);

function controllableBody() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  return { body, controller };
}

/** Lets the pump's read loop catch up. */
/** Lets queued callbacks run: one turn of the event loop, without a timer. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  runner = manualRunner();
});

describe("streamInvocation", () => {
  it("delivers request chunks as they arrive and ends the input at EOF", async () => {
    const { body, controller } = controllableBody();
    streamInvocation(runner.runner, params, body);
    controller.enqueue(bytes("a"));
    await settle();
    expect(runner.events).toEqual(["push a"]);
    controller.enqueue(bytes("b"));
    controller.close();
    await settle();
    expect(runner.events).toEqual(["push a", "push b", "end"]);
  });

  it("ends the input at once when there is no body", () => {
    streamInvocation(runner.runner, params, null);
    return settle().then(() => expect(runner.events).toEqual(["end"]));
  });

  it("streams writes out, and closes only after the attempt and the request are both over", async () => {
    const { body, controller } = controllableBody();
    const reader = streamInvocation(runner.runner, params, body).getReader();
    runner.sink!.write(bytes("frame1"));
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("frame1");
    runner.sink!.end();
    let isDone = false;
    const last = reader.read().then((r) => (isDone = r.done));
    await settle();
    expect(isDone).toBe(false);
    controller.enqueue(bytes("late"));
    controller.close();
    await last;
    expect(isDone).toBe(true);
    // Chunks after the attempt ended are drained, not delivered, and the input is not ended twice.
    expect(runner.events).toEqual([]);
  });

  it("aborts the input and errors the response when the request breaks", async () => {
    const { body, controller } = controllableBody();
    const reader = streamInvocation(runner.runner, params, body).getReader();
    controller.error(new Error("reset"));
    await expect(reader.read()).rejects.toThrow("reset");
    expect(runner.events).toEqual(["abort Error: reset"]);
    runner.sink!.write(bytes("ignored"));
    runner.sink!.end();
  });

  it("aborts the input when the response is cancelled (client gone)", async () => {
    const { body } = controllableBody();
    const stream = streamInvocation(runner.runner, params, body);
    await stream.cancel("gone");
    await settle();
    expect(runner.events).toEqual(["abort gone"]);
    runner.sink!.write(bytes("ignored"));
  });
});
