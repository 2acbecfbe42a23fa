// SPDX-License-Identifier: MIT
// The shared scenario suite: each scenario drives a runtime through a `ScenarioDriver` and checks
// what a client observes. The same list runs against the in-memory `TestEnvironment` (unit
// project) and against a real restate-server (e2e project), so the two cannot drift apart.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { Outcome, ScenarioDriver } from "./driver.js";
import {
  approval,
  combiner,
  drift,
  executions,
  flaky,
  gate,
  greeter,
  inventory,
  opener,
  planner,
  shop,
  tally,
  timer,
  trip,
} from "./services.js";

export { SCENARIO_SERVICES } from "./services.js";

/** One scenario: a name and what it does with a driver. */
export interface Scenario {
  readonly name: string;
  run(driver: ScenarioDriver): Promise<void>;
}

const ok = (value: unknown): Outcome => ({ status: "ok", value });
const failed = (code: number, message: string): Outcome => ({ status: "failed", code, message });

/** A fresh key, so scenarios never share objects, workflows or counters. */
const fresh = (prefix: string): string => `${prefix}-${randomUUID()}`;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "answers a handler, and ends with a terminal error's code and message",
    async run(d) {
      expect(await d.call(greeter, "greet", "Till")).toEqual(ok("Hello Till!"));
      expect(await d.call(greeter, "fail", "teapot")).toEqual(failed(418, "teapot"));
    },
  },
  {
    name: "keeps object state across invocations, per key",
    async run(d) {
      const key = fresh("tally");
      expect(await d.call(tally, "add", 2, { key })).toEqual(ok(2));
      expect(await d.call(tally, "add", 3, { key })).toEqual(ok(5));
      expect(await d.call(tally, "get", undefined, { key })).toEqual(ok(5));
      expect(await d.state(tally, key)).toEqual({ total: 5 });
      expect(await d.call(tally, "get", undefined, { key: `${key}-other` })).toEqual(ok(0));
      expect(await d.call(tally, "swapTotal", undefined, { key })).toEqual(ok(["other"]));
      expect(await d.call(tally, "keys", undefined, { key })).toEqual(ok(["other"]));
      expect(await d.state(tally, key)).toEqual({ other: "x" });
      expect(await d.call(tally, "reset", undefined, { key })).toEqual(ok(undefined));
      expect(await d.state(tally, key)).toEqual({});
      expect(await d.call(tally, "get", undefined, { key })).toEqual(ok(0));
    },
  },
  {
    name: "calls services and objects, sends one-way, and propagates terminal errors",
    async run(d) {
      const item = fresh("apple");
      expect(await d.call(shop, "buy", { item, quantity: 3 })).toEqual(ok({ price: 9, left: 7 }));
      expect(await d.call(shop, "buy", { item, quantity: 8 })).toEqual(failed(412, "only 7 left"));
      expect(await d.state(inventory, item)).toEqual({ stock: 7 });
      // The one-way send to Tally runs on its own; only the successful buy sent one.
      const state = await d.until(
        async () =>
          (await d.state(tally, item))["total"] === 3 ? d.state(tally, item) : undefined,
        { within: 1000, what: "the one-way send to Tally" },
      );
      expect(state).toEqual({ total: 3 });
    },
  },
  {
    name: "deduplicates calls and sends with the same idempotency key",
    async run(d) {
      const key = fresh("idem");
      const call = { key, idempotencyKey: `${key}-call` };
      expect(await d.call(tally, "add", 1, call)).toEqual(ok(1));
      expect(await d.call(tally, "add", 1, call)).toEqual(ok(1));
      expect(executions.get(`${key}/add`)).toBe(1);
      // Another key is another invocation.
      expect(await d.call(tally, "add", 1, { key, idempotencyKey: `${key}-other` })).toEqual(ok(2));
      expect(executions.get(`${key}/add`)).toBe(2);

      const send = { key, idempotencyKey: `${key}-send` };
      const first = await d.send(tally, "add", 10, send);
      const again = await d.send(tally, "add", 10, send);
      expect(first.status).toBe("Accepted");
      expect(again).toEqual({ invocationId: first.invocationId, status: "PreviouslyAccepted" });
      expect(await d.attach(first.invocationId)).toEqual(ok(12));
      expect(executions.get(`${key}/add`)).toBe(3);
      expect(await d.state(tally, key)).toEqual({ total: 12 });
    },
  },
  {
    name: "runs a delayed send after the delay, not before",
    async run(d) {
      const key = fresh("delay");
      const sentAt = d.now();
      const { invocationId } = await d.send(timer, "stamp", key, { delay: 1000 });
      await d.elapse(300);
      expect(await d.output(invocationId)).toBeUndefined();
      expect(executions.get(`${key}/stamp`)).toBeUndefined();
      await d.elapse(900);
      const outcome = await d.attach(invocationId);
      expect(outcome.status).toBe("ok");
      expect(outcome.status === "ok" && (outcome.value as number)).toBeGreaterThanOrEqual(
        sentAt + 1000,
      );
      expect(executions.get(`${key}/stamp`)).toBe(1);
    },
  },
  {
    name: "sleeps durably and resumes after the sleep",
    async run(d) {
      const { invocationId } = await d.send(timer, "nap", 1000);
      await d.elapse(400);
      expect(await d.output(invocationId)).toBeUndefined();
      await d.elapse(800);
      const outcome = await d.attach(invocationId);
      expect(outcome.status === "ok" && (outcome.value as number)).toBeGreaterThanOrEqual(1000);
    },
  },
  {
    name: "resolves an awakeable from outside; attach waits, output does not",
    async run(d) {
      const key = fresh("gate");
      const { invocationId } = await d.send(gate, "wait", undefined, { key });
      const awakeableId = await d.until(
        async () => (await d.state(gate, key))["awakeable"] as string | undefined,
        { within: 1000, what: "the awakeable id in Gate's state" },
      );
      expect(await d.output(invocationId)).toBeUndefined();
      const attached = d.attach(invocationId);
      await d.resolveAwakeable(awakeableId, "Till");
      expect(await attached).toEqual(ok("opened by Till"));
      expect(await d.output(invocationId)).toEqual(ok("opened by Till"));

      // The same, resolved by another handler instead of from outside.
      const other = fresh("gate");
      const waiting = await d.send(gate, "wait", undefined, { key: other });
      const id = await d.until(
        async () => (await d.state(gate, other))["awakeable"] as string | undefined,
        { within: 1000, what: "the second awakeable id in Gate's state" },
      );
      expect(await d.call(opener, "open", { id, value: "a handler" })).toEqual(ok(undefined));
      expect(await d.attach(waiting.invocationId)).toEqual(ok("opened by a handler"));
    },
  },
  {
    name: "combines durable promises: all, race, any, allSettled and orTimeout",
    async run(d) {
      const { invocationId } = await d.send(combiner, "combine");
      const outcome = await d.until(() => d.output(invocationId), {
        within: 1000,
        what: "the combinators",
      });
      expect(outcome).toEqual(
        ok({
          all: [1, 2],
          raced: "fast",
          any: "yes",
          settled: ["rejected", "fulfilled"],
          timedOut: true,
        }),
      );
    },
  },
  {
    name: "completes a workflow's durable promise from a shared handler; runs once per id",
    async run(d) {
      const id = fresh("wf");
      const first = await d.send(approval, "run", "laptop", { key: id });
      const again = await d.send(approval, "run", "phone", { key: id });
      expect(first.status).toBe("Accepted");
      expect(again).toEqual({ invocationId: first.invocationId, status: "PreviouslyAccepted" });
      await d.until(
        async () => {
          const status = await d.call(approval, "status", undefined, { key: id });
          return status.status === "ok" && status.value === "waiting" ? true : undefined;
        },
        { within: 1000, what: "the workflow to wait" },
      );
      expect(await d.call(approval, "peek", undefined, { key: id })).toEqual(ok("none"));
      expect(await d.call(approval, "decide", "approved", { key: id })).toEqual(ok(undefined));
      expect(await d.attach(first.invocationId)).toEqual(ok("laptop: approved"));
      expect(await d.call(approval, "peek", undefined, { key: id })).toEqual(ok("approved"));
      expect(await d.state(approval, id)).toEqual({ status: "approved" });
    },
  },
  {
    name: "cancels a waiting invocation: compensation runs once, callers see 409",
    async run(d) {
      const key = fresh("trip");
      const plan = await d.send(planner, "plan", key);
      const state = await d.until(
        async () => {
          const s = await d.state(trip, key);
          return s["status"] === "waiting" ? s : undefined;
        },
        { within: 1000, what: "the trip to wait" },
      );
      const bookingId = state["invocationId"] as string;
      expect(await d.cancel(bookingId)).toBe(true);
      expect(await d.attach(bookingId)).toEqual(failed(409, "Cancelled"));
      expect(await d.attach(plan.invocationId)).toEqual(ok({ code: 409, message: "Cancelled" }));
      expect(await d.state(trip, key)).toEqual({
        invocationId: bookingId,
        status: "compensated",
      });
      expect(executions.get(`${key}/flight`)).toBe(1);
      expect(executions.get(`${key}/undo`)).toBe(1);
      // A second cancel of a finished invocation is refused and changes nothing.
      expect(await d.cancel(bookingId)).toBe(false);
      expect(await d.attach(bookingId)).toEqual(failed(409, "Cancelled"));
      expect(executions.get(`${key}/undo`)).toBe(1);
    },
  },
  {
    name: "retries a transient failure without re-running ctx.run",
    async run(d) {
      const key = fresh("flaky");
      const { invocationId } = await d.send(flaky, "charge", key);
      const outcome = await d.until(() => d.output(invocationId), {
        within: 2000,
        what: "the retried charge to finish",
      });
      expect(outcome).toEqual(ok(["receipt 1", "shipped 1", "mailed 1"]));
      for (const step of ["charge", "ship", "mail"])
        expect(executions.get(`${key}/${step}`)).toBe(1);
      // Code outside ctx.run runs on every replay: twice here, once more when the in-memory
      // runtime's replayEveryStep mode replays the finished journal as a final check.
      expect(executions.get(`${key}/after-charge`)).toBeGreaterThanOrEqual(2);
    },
  },
  {
    name: "reports a handler that changed between attempts as a 570 journal mismatch",
    async run(d) {
      const key = fresh("drift");
      const { invocationId } = await d.send(drift, "step", key);
      const failure = await d.until(
        async () => {
          const last = await d.lastFailure(invocationId);
          return last?.code === 570 ? last : undefined;
        },
        { within: 2000, what: "the journal mismatch" },
      );
      expect(failure.message).toMatch(
        /^Journal mismatch at command #1: [^\n]*\n\s*journaled: RunCommand\{[^}]*name: "first-name"\}\n\s*handler: +RunCommand\{[^}]*name: "second-name"\}/,
      );
      // The server retries a mismatch forever (backing off); the in-memory runtime completes it
      // with the mismatch instead, so a test sees it at once. Either way, stop it here.
      await d.kill(invocationId);
    },
  },
];
