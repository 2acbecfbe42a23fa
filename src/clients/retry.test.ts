// SPDX-License-Identifier: MIT
import { describe, expect, it, vi } from "vitest";
import { connect } from "./ingress.js";
import { HttpCallError, isHttpCallError } from "./http-call-error.js";
import { isRetryableFailure } from "./retry.js";
import { fakeFetch, ingressError, networkFailure, reply } from "./__fixtures__/fake-fetch.js";
import type { Responder } from "./__fixtures__/fake-fetch.js";
import { handlers, service, workflow } from "../definitions/service.js";
import type { Context, WorkflowContext, WorkflowSharedContext } from "../context/types.js";

const greeterDef = service({
  name: "Greeter",
  handlers: { greet: async (_ctx: Context, name: string) => name },
});
const signupDef = workflow({
  name: "Signup",
  handlers: {
    run: async (_ctx: WorkflowContext, email: string) => email,
    poke: handlers.workflow.shared(async (_ctx: WorkflowSharedContext) => {}),
  },
});
type Greeter = typeof greeterDef;
type Signup = typeof signupDef;
const greeter = { name: "Greeter" } as const;
const signup = { name: "Signup" } as const;
void [greeterDef, signupDef];

const FAST = { retries: 3, minTimeout: 1, maxTimeout: 5 };

/** Fails `failures` times with `failure`, then answers 200 with `"ok"`. */
function flaky(failures: number, failure: () => Response): Responder {
  return (_request, attempt) => {
    if (attempt <= failures) return failure();
    return reply(200, "ok");
  };
}

function client(respond: Responder, retry: Partial<typeof FAST> | "off" = FAST) {
  const { fetch, calls } = fakeFetch(respond);
  const ingress = connect({ url: "http://restate", fetch, ...(retry !== "off" ? { retry } : {}) });
  return { ingress, calls };
}

async function failure(promise: Promise<unknown>): Promise<HttpCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isHttpCallError(error)) throw new Error(`expected an HttpCallError, got ${String(error)}`);
  return error;
}

describe("which requests are retried", () => {
  const unavailable = () => ingressError(503, "partition unavailable", "ingress");

  it("retries a call that carries an idempotency key", async () => {
    const { ingress, calls } = client(flaky(2, unavailable));
    const out = await ingress.serviceClient<Greeter>(greeter).greet("a", { idempotencyKey: "k" });
    expect(out).toBe("ok");
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.headers.get("idempotency-key") === "k")).toBe(true);
  });

  it("never retries a call without an idempotency key", async () => {
    const { ingress, calls } = client(flaky(1, unavailable));
    const error = await failure(ingress.serviceClient<Greeter>(greeter).greet("a"));
    expect(error.status).toBe(503);
    expect(error.source).toBe("transport");
    expect(calls).toHaveLength(1);
  });

  it("retries nothing when retries are not configured", async () => {
    const { ingress, calls } = client(flaky(1, unavailable), "off");
    const greet = ingress.serviceClient<Greeter>(greeter).greet("a", { idempotencyKey: "k" });
    expect((await failure(greet)).status).toBe(503);
    expect(calls).toHaveLength(1);
  });

  it("retries sends only with an idempotency key", async () => {
    const accepted = () => reply(202, { invocationId: "inv_1", status: "Accepted" });
    const respond: Responder = (_r, n) => (n === 1 ? unavailable() : accepted());
    const keyed = client(respond);
    const send = keyed.ingress.serviceSendClient<Greeter>(greeter);
    expect((await send.greet("a", { idempotencyKey: "k" })).invocationId).toBe("inv_1");
    expect(keyed.calls).toHaveLength(2);

    const plain = client(respond);
    await failure(plain.ingress.serviceSendClient<Greeter>(greeter).greet("a"));
    expect(plain.calls).toHaveLength(1);
  });

  it("retries workflow submission (the id is the key) but not other workflow handlers", async () => {
    const accepted = () => reply(202, { invocationId: "inv_1", status: "PreviouslyAccepted" });
    const respond: Responder = (_r, n) => (n === 1 ? unavailable() : accepted());
    const submit = client(respond);
    const sent = await submit.ingress.workflowSubmit<Signup>(signup, "w1", "a@b.c");
    expect(sent.status).toBe("PreviouslyAccepted");
    expect(submit.calls.map((c) => c.path)).toEqual(["/Signup/w1/run/send", "/Signup/w1/run/send"]);

    const poke = client(respond);
    await failure(poke.ingress.workflowSendClient<Signup>(signup, "w1").poke());
    expect(poke.calls).toHaveLength(1);
  });

  it("retries attach, output and awakeable completion", async () => {
    const { ingress, calls } = client((_r, n) => (n % 2 === 1 ? unavailable() : reply(200, "v")));
    expect(await ingress.attach("inv_1")).toBe("v");
    expect(await ingress.output("inv_1")).toEqual({ ready: true, result: "v" });
    await ingress.resolveAwakeable("sign_1", "x");
    await ingress.rejectAwakeable("sign_1", "no");
    expect(calls).toHaveLength(8);
  });
});

describe("which failures are retried", () => {
  it("retries network failures, 408, 425, 429 and transport 5xx", async () => {
    const failures = [
      () => Promise.reject(networkFailure()),
      () => reply(408),
      () => reply(425),
      () => reply(429),
      () => reply(502, "bad gateway"),
      () => ingressError(500, "internal", "ingress"),
    ];
    const { ingress, calls } = client((_r, n) => failures[n - 1]?.() ?? reply(200, "ok"), {
      ...FAST,
      retries: 10,
    });
    expect(await ingress.attach("inv_1")).toBe("ok");
    expect(calls).toHaveLength(failures.length + 1);
  });

  it("never retries a failure the invocation returned, whatever its code", async () => {
    for (const status of [500, 503, 429]) {
      const { ingress, calls } = client(() => ingressError(status, "own failure", "invocation"));
      const error = await failure(ingress.attach("inv_1"));
      expect(error).toMatchObject({ status, message: "own failure", source: "invocation" });
      expect(calls).toHaveLength(1);
    }
  });

  it("treats a body labelled as the invocation's the same, without the header", async () => {
    const respond = () => reply(503, { code: 503, message: "mine", source: "invocation" });
    const { ingress, calls } = client(respond);
    expect((await failure(ingress.attach("inv_1"))).source).toBe("invocation");
    expect(calls).toHaveLength(1);
  });

  it("does not retry other 4xx replies", async () => {
    const { ingress, calls } = client(() => ingressError(404, "service not found", "ingress"));
    const error = await failure(
      ingress.serviceClient<Greeter>(greeter).greet("a", { idempotencyKey: "k" }),
    );
    expect(error).toMatchObject({ status: 404, source: "transport" });
    expect(calls).toHaveLength(1);
  });

  it("gives up after the configured retries with the last failure", async () => {
    const { ingress, calls } = client(() => ingressError(503, "still down", "ingress"));
    const error = await failure(ingress.attach("inv_1"));
    expect(error.message).toBe("still down");
    expect(calls).toHaveLength(FAST.retries + 1);
  });

  it("classifies errors for retry", () => {
    const e = (status: number, source: "invocation" | "transport") =>
      new HttpCallError({ status, message: "", body: "", source });
    expect(isRetryableFailure(e(0, "transport"))).toBe(true);
    expect(isRetryableFailure(e(503, "transport"))).toBe(true);
    expect(isRetryableFailure(e(503, "invocation"))).toBe(false);
    expect(isRetryableFailure(e(409, "transport"))).toBe(false);
    expect(isRetryableFailure(new Error("x"))).toBe(false);
  });
});

describe("waiting between attempts", () => {
  it("honours Retry-After when it asks for longer than the backoff", async () => {
    vi.useFakeTimers();
    try {
      const { ingress, calls } = client(
        flaky(1, () => ingressError(429, "slow down", "ingress", { "retry-after": "1" })),
      );
      const attached = ingress.attach("inv_1");
      await vi.advanceTimersByTimeAsync(990);
      expect(calls).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(20);
      expect(await attached).toBe("ok");
      const [first, second] = calls;
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("stops retrying when the call's timeout expires", async () => {
    const { ingress, calls } = client(() => ingressError(503, "down", "ingress"), {
      retries: 100,
      minTimeout: 20,
      maxTimeout: 20,
    });
    vi.useFakeTimers();
    try {
      const pending = failure(ingress.attach("inv_1", { timeout: 150 }));
      await vi.advanceTimersByTimeAsync(149);
      const attemptsBeforeDeadline = calls.length;
      await vi.advanceTimersByTimeAsync(100);
      const error = await pending;
      expect(error.status).toBe(0);
      expect(error.message).toMatch(/timed out after 150 ms/);
      // Retried every 20 ms until the deadline, and not once after it.
      expect(attemptsBeforeDeadline).toBeGreaterThan(1);
      expect(calls.length).toBe(attemptsBeforeDeadline);
    } finally {
      vi.useRealTimers();
    }
  });

  it("rethrows the caller's abort reason", async () => {
    const controller = new AbortController();
    const { ingress } = client(() => {
      controller.abort(new Error("user gave up"));
      return ingressError(503, "down", "ingress");
    });
    await expect(ingress.attach("inv_1", { signal: controller.signal })).rejects.toThrow(
      "user gave up",
    );
  });
});
