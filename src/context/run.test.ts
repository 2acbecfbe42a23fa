// SPDX-License-Identifier: MIT
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RetryableError, TerminalError } from "../errors.js";
import { CommandType, MessageType } from "../journal/message-types.js";
import { completion, result } from "../journal/testing/journal-case.js";
import { json } from "../serde/json.js";
import { AttemptHooks } from "./attempt-hooks.js";
import type { HookContext } from "./hooks.js";
import { executeRun, type RunJob } from "./run.js";
import type { RunOptions } from "./run-options.js";
import { harness } from "./__fixtures__/harness.js";

type Harness = ReturnType<typeof harness>;

interface Proposal {
  readonly resultCompletionId: number;
  readonly result:
    | { case: "value"; value: Uint8Array }
    | { case: "failure"; value: { code: number; message: string } };
}
interface ErrorFrame {
  readonly code: number;
  readonly message: string;
  readonly relatedCommandIndex?: number;
  readonly relatedCommandName?: string;
  readonly relatedCommandType?: number;
  readonly nextRetryDelay?: bigint;
}

const messageOf = <M>(h: Harness, type: number): M | undefined =>
  h.output().find((f) => f.type === type)?.message as M | undefined;

/** Lets a closure run to its proposal (closures are async; no timers are involved). */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** Journals a run and executes it with `executeRun` directly, with the extra job fields given. */
function directRun(
  h: Harness,
  name: string,
  action: () => unknown,
  extra: Partial<RunJob<unknown>>,
) {
  const commandIndex = h.vm.nextCommand(0).index;
  h.vm.sysRun(name, (completionId) => {
    void executeRun({
      vm: h.vm,
      scheduler: h.scheduler,
      completionId,
      commandIndex,
      name,
      action,
      serde: json,
      options: undefined,
      signals: { runSignal: new AbortController().signal },
      ...extra,
    });
  });
}

describe("executeRun", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("proposes the closure's value, serialized, and resolves once the runtime completes it", async () => {
    const h = harness();
    const value = h.ctx.run("fetch", () => ({ n: 1 }));
    await flush();
    const proposal = messageOf<Proposal>(h, MessageType.ProposeRunCompletion);
    expect(proposal?.resultCompletionId).toBe(1);
    expect(proposal?.result.case).toBe("value");
    expect(new TextDecoder().decode(proposal?.result.value as Uint8Array)).toBe('{"n":1}');
    h.send(completion(CommandType.Run, 1, result.value('{"n":1}')));
    await expect(value).resolves.toEqual({ n: 1 });
  });

  it("proposes a terminal error as the run's failure, with its code", async () => {
    const h = harness();
    void h.ctx.run("pay", () => {
      throw new TerminalError("card declined", { errorCode: 402 });
    });
    await flush();
    const proposal = messageOf<Proposal>(h, MessageType.ProposeRunCompletion);
    expect(proposal?.result).toMatchObject({
      case: "failure",
      value: { code: 402, message: "card declined" },
    });
    expect(messageOf(h, MessageType.Error)).toBeUndefined();
  });

  it("fails the attempt on a retryable error, naming the run command, when retries are unbounded", async () => {
    const h = harness();
    void h.ctx.run("flaky", () => {
      throw new Error("boom");
    });
    await flush();
    expect(messageOf(h, MessageType.ProposeRunCompletion)).toBeUndefined();
    const error = messageOf<ErrorFrame>(h, MessageType.Error);
    expect(error).toMatchObject({
      code: 500,
      message: "boom",
      relatedCommandIndex: 1,
      relatedCommandName: "flaky",
      relatedCommandType: CommandType.Run,
    });
    expect(error?.nextRetryDelay).toBeUndefined();
    expect(h.vm.isClosed).toBe(true);
  });

  it("asks for the policy's delay before the next attempt", async () => {
    const h = harness();
    const options: RunOptions<unknown> = { initialRetryInterval: 250, maxRetryAttempts: 5 };
    void h.ctx.run("flaky", () => Promise.reject(new Error("boom")), options);
    await flush();
    expect(messageOf<ErrorFrame>(h, MessageType.Error)?.nextRetryDelay).toBe(250n);
  });

  it("takes a RetryableError's retryAfter as the delay", async () => {
    const h = harness();
    void h.ctx.run("limited", () => {
      throw new RetryableError("slow down", { retryAfter: 1234 });
    });
    await flush();
    expect(messageOf<ErrorFrame>(h, MessageType.Error)?.nextRetryDelay).toBe(1234n);
  });

  it("proposes a terminal failure (500) once the retry policy is exhausted", async () => {
    const h = harness();
    void h.ctx.run("flaky", () => Promise.reject(new Error("boom")), { maxRetryAttempts: 0 });
    await flush();
    expect(messageOf<Proposal>(h, MessageType.ProposeRunCompletion)?.result).toMatchObject({
      case: "failure",
      value: { code: 500, message: "boom" },
    });
    expect(messageOf(h, MessageType.Error)).toBeUndefined();
  });

  it("fails with an injected fault without running the closure", async () => {
    const h = harness();
    const action = vi.fn(() => "ran");
    directRun(h, "injected", action, {
      fault: (name) => (name === "injected" ? new TerminalError("injected") : undefined),
    });
    await flush();
    expect(action).not.toHaveBeenCalled();
    expect(messageOf<Proposal>(h, MessageType.ProposeRunCompletion)?.result.case).toBe("failure");
  });

  it("runs the closure inside the run interceptors, and fails when one never calls next()", async () => {
    const seen: string[] = [];
    const context = {} as HookContext;
    const wrapping = new AttemptHooks(
      [
        () => ({
          interceptor: {
            run: async (name, next) => {
              seen.push(`before ${name}`);
              await next();
              seen.push(`after ${name}`);
            },
          },
        }),
      ],
      context,
    );
    const h = harness();
    directRun(h, "wrapped", () => "v", { hooks: wrapping });
    await flush();
    expect(seen).toEqual(["before wrapped", "after wrapped"]);
    expect(messageOf<Proposal>(h, MessageType.ProposeRunCompletion)?.result.case).toBe("value");

    const refusing = new AttemptHooks(
      [() => ({ interceptor: { run: async () => undefined } })],
      context,
    );
    const r = harness();
    directRun(r, "refused", () => "v", { hooks: refusing });
    await flush();
    expect(messageOf<ErrorFrame>(r, MessageType.Error)?.message).toMatch(/did not call next/);
  });

  it("gives the closure the attempt's run signal", async () => {
    const h = harness();
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    directRun(h, "signalled", () => undefined, {
      action: ({ signal }) => {
        seen = signal;
      },
      signals: { runSignal: controller.signal },
    });
    await flush();
    expect(seen).toBe(controller.signal);
  });

  it("proposes nothing once the attempt has closed meanwhile", async () => {
    const h = harness();
    let release!: (v: string) => void;
    void h.ctx.run("slow", () => new Promise<string>((resolve) => (release = resolve)));
    await flush();
    h.vm.suspend([]);
    release("late");
    await flush();
    expect(messageOf(h, MessageType.ProposeRunCompletion)).toBeUndefined();
  });
});
