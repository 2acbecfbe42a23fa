// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import {
  type Context,
  type WorkflowContext,
  type WorkflowSharedContext,
  CancelledError,
  TerminalError,
  handlers,
  service,
  workflow,
} from "../index.js";
import { TestEnvironment } from "./index.js";

const approvals = service({
  name: "Approvals",
  handlers: {
    awaitApproval: async (ctx: Context) => {
      const { promise } = ctx.awakeable<string>();
      return `approved by ${await promise}`;
    },
    approveOther: async (ctx: Context, id: string) => {
      ctx.resolveAwakeable(id, "a colleague");
    },
    awaitSignal: async (ctx: Context) => ctx.signal<number>("go"),
    signalOther: async (ctx: Context, id: string) => {
      ctx.invocation(id).signal<number>("go").resolve(7);
    },
    watch: async (ctx: Context, id: string) => {
      const early = await ctx.invocation(id).output<number>();
      const late = await ctx.attach<number>(id);
      return { early, late };
    },
  },
});

const signup = workflow({
  name: "Signup",
  handlers: {
    run: async (ctx: WorkflowContext, email: string) => {
      ctx.set("status", "waiting");
      const link = await ctx.promise<string>("link");
      ctx.set("status", "verified");
      return `${email} clicked ${link}`;
    },
    click: handlers.workflow.shared(async (ctx: WorkflowSharedContext, link: string) => {
      await ctx.promise<string>("link").resolve(link);
    }),
    status: handlers.workflow.shared(async (ctx: WorkflowSharedContext) =>
      ctx.get<string>("status"),
    ),
  },
});

const trips = service({
  name: "Trips",
  handlers: {
    book: async (ctx: Context, trip: string) => {
      const booked: string[] = [];
      try {
        booked.push(await ctx.run("flight", () => `flight for ${trip}`));
        await ctx.sleep({ days: 7 });
        booked.push(await ctx.run("hotel", () => `hotel for ${trip}`));
        return booked;
      } catch (e) {
        if (!(e instanceof TerminalError)) throw e;
        // The compensation names what the handler caught: a cancel arrives as a CancelledError.
        const cause = e instanceof CancelledError ? "cancelled" : e.message;
        for (const item of booked.reverse()) {
          await ctx.run(`undo ${item}: ${cause}`, () => undefined);
        }
        throw e;
      }
    },
  },
});

describe("awakeables and signals", () => {
  it("resolves an awakeable from the test", async () => {
    const env = await TestEnvironment.start({ services: [approvals] });
    const handle = env.serviceSendClient(approvals).awaitApproval();
    await env.idle();
    env.resolveAwakeable(env.awakeableId(handle), "the boss");
    expect(await handle.result()).toBe("approved by the boss");
  });

  it("rejects an awakeable from the test", async () => {
    const env = await TestEnvironment.start({ services: [approvals] });
    const handle = env.serviceSendClient(approvals).awaitApproval();
    env.rejectAwakeable(env.awakeableId(handle), { message: "no", code: 403 });
    await expect(handle.result()).rejects.toMatchObject({ code: 403, message: "no" });
  });

  it("resolves an awakeable from another handler", async () => {
    const env = await TestEnvironment.start({ services: [approvals] });
    const handle = env.serviceSendClient(approvals).awaitApproval();
    await env.serviceClient(approvals).approveOther(env.awakeableId(handle));
    expect(await handle.result()).toBe("approved by a colleague");
  });

  it("delivers named signals from the test and from handlers", async () => {
    const env = await TestEnvironment.start({ services: [approvals] });
    const fromTest = env.serviceSendClient(approvals).awaitSignal();
    env.signal(fromTest, "go", 1);
    expect(await fromTest.result()).toBe(1);

    const fromHandler = env.serviceSendClient(approvals).awaitSignal();
    await env.serviceClient(approvals).signalOther(fromHandler.invocationId);
    expect(await fromHandler.result()).toBe(7);
  });

  it("reads another invocation's output and attaches to it", async () => {
    const env = await TestEnvironment.start({ services: [approvals] });
    const target = env.serviceSendClient(approvals).awaitSignal();
    const watcher = env.serviceSendClient(approvals).watch(target.invocationId);
    await env.idle();
    env.signal(target, "go", 3);
    expect(await watcher.result()).toEqual({ early: { ready: false }, late: 3 });
  });
});

describe("workflows", () => {
  it("completes a durable promise from a shared handler", async () => {
    const env = await TestEnvironment.start({ services: [signup] });
    const run = env.workflowSendClient(signup, "u1").run("u1@example.com");
    await env.idle();
    expect(await env.workflowClient(signup, "u1").status()).toBe("waiting");
    await env.workflowClient(signup, "u1").click("link-1");
    expect(await run.result()).toBe("u1@example.com clicked link-1");
    expect(env.workflow(signup, "u1").state.get("status")).toBe("verified");
  });

  it("completes a durable promise from the test, and runs once per workflow id", async () => {
    const env = await TestEnvironment.start({ services: [signup] });
    const wf = env.workflow(signup, "u2");
    const first = env.workflowSendClient(signup, "u2").run("u2@example.com");
    const second = env.workflowSendClient(signup, "u2").run("someone else");
    expect(second.invocationId).toBe(first.invocationId);

    wf.promise<string>("link").resolve("from-test");
    expect(wf.promise<string>("link").peek()).toBe("from-test");
    expect(() => wf.promise("link").resolve("again")).toThrow(/already completed/);
    expect(await wf.result()).toBe("u2@example.com clicked from-test");
  });
});

describe("cancellation and kill", () => {
  it("cancels a sleeping invocation, which runs its compensations", async () => {
    const env = await TestEnvironment.start({ services: [trips] });
    const handle = env.serviceSendClient(trips).book("Rome");
    await env.idle();
    env.cancel(handle);
    // Seen from outside, the invocation failed with the terminal error 409 "Cancelled".
    const failure = await handle.result().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TerminalError);
    expect(failure).toMatchObject({ code: 409, message: "Cancelled" });
    expect(env.journal(handle).map((e) => e.name ?? e.type)).toEqual([
      "Input",
      "flight",
      "Sleep",
      "undo flight for Rome: cancelled",
      "Output",
    ]);
  });

  it("kills an invocation without running more user code", async () => {
    const env = await TestEnvironment.start({ services: [trips] });
    const handle = env.serviceSendClient(trips).book("Oslo");
    await env.idle();
    env.kill(handle);
    await expect(handle.result()).rejects.toMatchObject({ code: 409, message: "killed" });
    expect(env.journal(handle).map((e) => e.type)).toEqual(["Input", "Run", "Sleep"]);
  });
});
