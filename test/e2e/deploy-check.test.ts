// SPDX-License-Identifier: MIT
// `restate-hono deploy-check` against a real restate-server: invocations started on version 1
// (suspended on awakeables, a delayed send, a payment stuck retrying on a bug), then versions 2
// checked, old deployments drained, and the stuck payment rescued by an in-place update.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type AnyDefinition } from "../../src/definitions/service.js";
import { endpoint } from "../../src/index.js";
import { connect, connectAdmin, rpc } from "../../src/clients/index.js";
import { deployCheck, type DeployCheckReport } from "../../src/deploy-check/index.js";
import { main } from "../../src/bin/restate-hono.js";
import { waitFor } from "../../dev/restate-server.js";
import { type ServerEnv, startServerEnv } from "./support.js";
import * as v1 from "./deploy-check/v1.js";
import * as compatible from "./deploy-check/v2-compatible.js";
import * as withoutRemind from "./deploy-check/v2-without-remind.js";
import * as fixed from "./deploy-check/payments-fixed.js";
import * as badFix from "./deploy-check/payments-bad-fix.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, "deploy-check", name);

/** The 1-based line of `marker` in a fixture module. */
function lineOf(file: string, marker: string): number {
  return (
    readFileSync(file, "utf8")
      .split("\n")
      .findIndex((l) => l.includes(marker)) + 1
  );
}

/** Runs the command line and returns its exit code, stdout and stderr. */
async function cli(args: readonly string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["deploy-check", ...args], {
    env: {},
    cwd: process.cwd(),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("restate-hono deploy-check against restate-server", () => {
  let env: ServerEnv | undefined;
  let admin = "";
  let dpV1 = "";
  let paymentId = "";
  let remindId = "";
  const orderIds: string[] = [];
  const keys = [`o-${Date.now()}-a`, `o-${Date.now()}-b`];

  async function serve(services: readonly AnyDefinition[]): Promise<{ url: string; id: string }> {
    const ep = endpoint();
    for (const s of services) ep.bind(s);
    const url = `http://127.0.0.1:${await ep.listen(0)}`;
    const { id } = await env!.register(url, { http11: false, stop: () => ep.close(1000) });
    return { url, id };
  }

  async function status(id: string): Promise<string | undefined> {
    return (await connectAdmin({ url: admin }).getInvocation(id))?.status;
  }

  beforeAll(async () => {
    env = await startServerEnv({ inactivityTimeout: "1s" });
    admin = env.server.adminUrl;
    dpV1 = (await serve([v1.orders, v1.reminders, v1.payments])).id;
    const ingress = connect({ url: env.server.ingressUrl });
    for (const key of keys) {
      const sent = await ingress
        .objectSendClient<typeof v1.orders>({ name: "DcOrders" }, key)
        .place("book");
      orderIds.push(sent.invocationId);
    }
    const remind = await ingress
      .serviceSendClient<typeof v1.reminders>({ name: "DcReminders" })
      .remind("water the plants", rpc.sendOpts({ delay: "1h" }));
    remindId = remind.invocationId;
    paymentId = (
      await ingress.serviceSendClient<typeof v1.payments>({ name: "DcPayments" }).pay(500)
    ).invocationId;
    await waitFor(
      async () =>
        (await Promise.all(orderIds.map(status))).every((s) => s === "suspended") &&
        keys.every((k) => v1.published.has(k)) &&
        (await status(paymentId)) === "backing-off",
      { timeoutMs: 20_000, message: "orders suspended and the payment backing off" },
    );
    expect(await status(remindId)).toBe("scheduled");
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("(a) finds a compatible version 2 safe", async () => {
    const services = Object.values(compatible) as AnyDefinition[];
    const report = await deployCheck({ admin, services, replace: dpV1 });
    expect(report.problems).toEqual([]);
    expect(report.verdict).toBe("safe");
    expect(report.exitCode).toBe(0);
    expect(report.journals.diverged).toEqual([]);
    expect(report.journals.checked).toBe(4);
    expect(report.journals.handlers).toEqual([
      expect.objectContaining({ target: "DcOrders/place", open: 2, replayed: 2, diverged: 0 }),
      expect.objectContaining({ target: "DcPayments/pay", open: 1, replayed: 1, failed: 1 }),
      expect.objectContaining({ target: "DcReminders/remind", open: 1, replayed: 1 }),
    ]);
    // With a limit, the server draws a sample that takes from each handler in turn.
    const sampled = await deployCheck({ admin, services, replace: dpV1, limit: 2, seed: 3 });
    expect(sampled.journals).toMatchObject({ open: 4, checked: 2, isSampled: true });
    expect(sampled.journals.handlers).toEqual([
      expect.objectContaining({ target: "DcOrders/place", open: 2, checked: 1, replayed: 1 }),
      expect.objectContaining({ target: "DcPayments/pay", open: 1, checked: 1 }),
      expect.objectContaining({ target: "DcReminders/remind", open: 1, checked: 0 }),
    ]);
    expect(sampled.verdict).toBe("safe");

    // The payment bug is still in version 2: a warning, not a reason to stop the release.
    expect(report.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        severity: "warning",
        code: "replay-failed",
        target: "DcPayments/pay",
      }),
    );
  });

  it("(b) finds a version 2 that reorders two steps unsafe, naming both commands and the line", async () => {
    const module = fixture("v2-reordered.ts");
    const { code, stdout, stderr } = await cli([
      "--admin",
      admin,
      "--module",
      module,
      "--replace",
      dpV1,
      "--json",
    ]);
    const report = JSON.parse(stdout) as DeployCheckReport;
    expect({ code, problems: report.problems, verdict: report.verdict }).toEqual({
      code: 1,
      problems: [],
      verdict: "unsafe",
    });
    expect(stderr).toContain("replayed 4/4 journals");
    const line = lineOf(module, "deploy-check: parts here");
    expect(report.journals.diverged.map((d) => d.invocationId).sort()).toEqual(
      [...orderIds].sort(),
    );
    for (const d of report.journals.diverged) {
      expect(d).toMatchObject({
        handler: "DcOrders/place",
        status: "suspended",
        commandIndex: 2,
        journaled: expect.stringMatching(/^RunCommand.*"reserve"/) as unknown,
        produced: expect.stringMatching(/^RunCommand.*"charge"/) as unknown,
        location: { file: module, line },
      });
    }
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        severity: "error",
        code: "journal-divergence",
        target: "DcOrders/place",
      }),
    );

    const human = await cli(["--admin", admin, "--module", module, "--replace", dpV1]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain("deploy-check: UNSAFE (exit 1)");
    expect(human.stdout).toMatch(/journaled: RunCommand.*"reserve"/);
    expect(human.stdout).toMatch(/new code: +RunCommand.*"charge"/);
    expect(human.stdout).toContain(`at ${path.relative(process.cwd(), module)}:${line}:`);
  });

  it("(c) finds a version 2 that removes a handler with pending delayed sends unsafe", async () => {
    const services = Object.values(withoutRemind) as AnyDefinition[];
    const report = await deployCheck({ admin, services, replace: dpV1 });
    expect(report.verdict).toBe("unsafe");
    const removed = report.findings.filter((f) => f.code === "handler-removed");
    expect(removed).toEqual([
      expect.objectContaining({
        severity: "error",
        check: "contract",
        target: "DcReminders/remind",
      }),
    ]);
    expect(removed[0]?.message).toContain("1 scheduled");
    expect(report.journals.handlers).toContainEqual(
      expect.objectContaining({ target: "DcReminders/remind", open: 1, isMissing: true }),
    );

    // Given only as an endpoint URL, the contract is read from its manifest; the journals cannot
    // be replayed, so the check says it could not decide.
    const url = await listenOnly(services);
    const fromEndpoint = await deployCheck({ admin, endpoint: url, replace: dpV1 });
    expect(fromEndpoint.findings).toContainEqual(
      expect.objectContaining({
        severity: "error",
        code: "handler-removed",
        target: "DcReminders/remind",
      }),
    );
    expect(fromEndpoint.journals.isChecked).toBe(false);
    expect(fromEndpoint.problems).toEqual([
      expect.stringContaining("4 open invocation(s) could not be replayed"),
    ]);
    expect(fromEndpoint).toMatchObject({ verdict: "unknown", exitCode: 2 });
  });

  it("(d, e) drains version 1, refuses a bad rescue, rescues the stuck payment, removes only drained deployments", async () => {
    const { id: dpV2 } = await serve(Object.values(compatible));
    const compatibleServices = Object.values(compatible) as AnyDefinition[];

    // Before: version 1 still runs two orders and the stuck payment; version 2 takes new work.
    const before = await deployCheck({ admin, services: compatibleServices });
    const drainOf = (r: DeployCheckReport, id: string) =>
      r.drain?.deployments.find((d) => d.id === id);
    expect(drainOf(before, dpV1)).toMatchObject({ pinned: 3, serves: [], canRemove: false });
    expect(drainOf(before, dpV2)).toMatchObject({ pinned: 0, canRemove: false });

    // The orders finish (on version 1, where they are pinned).
    const ingress = connect({ url: env!.server.ingressUrl });
    for (const key of keys) await ingress.resolveAwakeable(v1.published.get(key)!, "confirmed");
    await waitFor(
      async () => (await Promise.all(orderIds.map(status))).every((s) => s === "completed"),
      {
        message: "orders completed",
      },
    );
    const afterOrders = await deployCheck({ admin, services: compatibleServices });
    expect(drainOf(afterOrders, dpV1)).toMatchObject({ pinned: 1, canRemove: false });

    // A "fix" that renames the step the stuck payment journaled is refused, nothing is updated.
    const badUrl = await listenOnly([badFix.orders, badFix.reminders, badFix.payments]);
    const refused = await cli([
      "--admin",
      admin,
      "--module",
      fixture("payments-bad-fix.ts"),
      "--endpoint",
      badUrl,
      "--update",
      dpV1,
      "--json",
    ]);
    const refusedReport = JSON.parse(refused.stdout) as DeployCheckReport;
    expect(refused.code).toBe(1);
    expect(refusedReport.rescue).toMatchObject({
      deployment: dpV1,
      isUpdated: false,
      pinned: 1,
      stuck: [{ invocationId: paymentId, outcome: "not-updated" }],
    });
    expect(refusedReport.journals.diverged).toEqual([
      expect.objectContaining({
        invocationId: paymentId,
        journaled: expect.stringContaining('"lookup"') as unknown,
        produced: expect.stringContaining('"find-account"') as unknown,
        location: expect.objectContaining({
          line: lineOf(fixture("payments-bad-fix.ts"), "deploy-check: bad fix"),
        }) as unknown,
      }),
    ]);
    expect(await status(paymentId)).toBe("backing-off");

    // The real fix replays the payment's journal: the update is made and the payment completes.
    const fixedUrl = await listenOnly([fixed.orders, fixed.reminders, fixed.payments]);
    const rescued = await deployCheck({
      admin,
      services: [fixed.orders, fixed.reminders, fixed.payments],
      endpoint: fixedUrl,
      update: dpV1,
    });
    expect(rescued.problems).toEqual([]);
    expect(rescued.rescue).toMatchObject({
      isUpdated: true,
      stuck: [{ invocationId: paymentId, outcome: "completed" }],
    });
    expect(rescued.exitCode).toBe(0);
    const output = await fetch(`${env!.server.ingressUrl}/restate/invocation/${paymentId}/output`);
    expect(await output.json()).toBe("acct-1 paid 500");

    // After: nothing is pinned to version 1 any more; only it is removed.
    const drained = await deployCheck({ admin, services: compatibleServices, removeDrained: true });
    expect(drainOf(drained, dpV1)).toMatchObject({ pinned: 0, canRemove: true });
    expect(drainOf(drained, dpV2)).toMatchObject({ canRemove: false });
    expect(drained.drain?.removed).toEqual([dpV1]);
    const left = (await connectAdmin({ url: admin }).listDeployments()).map((d) => d.id);
    expect(left).toContain(dpV2);
    expect(left).not.toContain(dpV1);
  });

  const extraEndpoints: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const close of extraEndpoints) await close();
  });

  /** An endpoint that is not registered (the update registers it, or is refused). */
  async function listenOnly(services: readonly AnyDefinition[]): Promise<string> {
    const ep = endpoint();
    for (const s of services) ep.bind(s);
    const port = await ep.listen(0);
    extraEndpoints.push(() => ep.close(1000));
    return `http://127.0.0.1:${port}`;
  }
});
