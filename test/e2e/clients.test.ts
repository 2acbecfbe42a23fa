// SPDX-License-Identifier: MIT
// The ingress and admin clients against a real Restate server. One server for the whole file
// (configured with a Kafka cluster for the subscription tests); the restart test runs last.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import {
  type Admin,
  type Ingress,
  type HttpCallError,
  connect,
  connectAdmin,
  isHttpCallError,
  rpc,
  serde,
} from "../../src/clients/index.js";
import { endpoint, service } from "../../src/index.js";
import { type TestEnv, startEnv } from "./support.js";
import {
  CLIENT_SERVICES,
  type ClientCounter,
  type ClientGreeter,
  type ClientSignup,
  Order,
  executions,
  published,
} from "./services.js";
import { waitFor } from "../../dev/restate-server.js";

// Type-only references, as an application importing its services with `import type` has them.
const greeter = { name: "ClientGreeter" } as const;
const counter = { name: "ClientCounter" } as const;
const signup = { name: "ClientSignup" } as const;

/** Well-formed, but no such invocation. */
const UNKNOWN_ID = "inv_1bAD4wy12dWr0Uz0gSA8eOXVW8LuWTljml";
const KAFKA_TOML = `[[ingress.kafka-clusters]]\nname = "my-cluster"\nbrokers = ["127.0.0.1:9"]\n`;

let env: TestEnv;
let ingress: Ingress;
let admin: Admin;

beforeAll(async () => {
  env = await startEnv(CLIENT_SERVICES, { server: { configToml: KAFKA_TOML } });
  ingress = connect({ url: env.server.ingressUrl, headers: { "x-test": "from-client" } });
  admin = connectAdmin({ url: env.server.adminUrl });
});
afterAll(async () => {
  await env?.stop();
});

async function rejection(promise: Promise<unknown>): Promise<HttpCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isHttpCallError(error)) throw new Error(`expected an HttpCallError, got ${String(error)}`);
  return error;
}

async function waitForStatus(id: string, statuses: readonly string[]): Promise<void> {
  await waitFor(async () => statuses.includes((await admin.getInvocation(id))?.status ?? ""), {
    timeoutMs: 15_000,
    message: `${id} to be ${statuses.join(" or ")}`,
  });
}

describe("ingress client", () => {
  it("calls services, with client and per-call headers", async () => {
    const client = ingress.serviceClient<ClientGreeter>(greeter);
    expect(await client.greet("Till")).toBe("Hello Till!");
    expect(await client.ping()).toBe("pong from-client");
    expect(await client.ping(rpc.opts({ headers: { "x-test": "per-call" } }))).toBe(
      "pong per-call",
    );
  });

  it("reports the invocation's terminal failure and transport failures apart", async () => {
    const client = ingress.serviceClient<ClientGreeter>(greeter);
    const own = await rejection(client.fail({ code: 503, message: "not today" }));
    expect(own).toMatchObject({ status: 503, message: "not today", source: "invocation" });
    expect(own.metadata).toEqual({ by: "handler" });
    expect(JSON.parse(own.body)).toMatchObject({ code: 503, message: "not today" });
    // Without a type argument any handler may be called (index signature, hence the `!`).
    const unknown = await rejection(ingress.serviceClient({ name: "Nope" }).greet!("x"));
    expect(unknown).toMatchObject({ status: 404, source: "transport" });
    expect(unknown.message).toContain("Nope");
    const down = connect({ url: "http://127.0.0.1:9" });
    expect(await rejection(down.attach("inv_1"))).toMatchObject({ status: 0, source: "transport" });
  });

  it("keeps object state per key, keys with any characters", async () => {
    const key = `it's a \\ key/${randomUUID()}`;
    const client = ingress.objectClient<ClientCounter>(counter, key);
    expect(await client.add(2)).toBe(2);
    expect(await client.add(3)).toBe(5);
    expect(await client.get()).toBe(5);
  });

  it("writes and reads with binary, msgpack and schema serdes", async () => {
    const client = ingress.serviceClient<ClientGreeter>(greeter);
    const bytes = await client.reverse(
      new Uint8Array([1, 2, 3]),
      rpc.opts({ input: serde.binary, output: serde.binary }),
    );
    expect(bytes).toEqual(new Uint8Array([3, 2, 1]));
    const bumped = await client.bump(
      { data: new Uint8Array([7]), n: 1 },
      { input: serde.msgpack, output: serde.msgpack },
    );
    expect(bumped).toEqual({ data: new Uint8Array([7]), n: 2 });
    const orderSerde = serde.schema(Order);
    expect(await client.order({ sku: "a-1", qty: 2 }, { input: orderSerde })).toBe("2 x a-1");
    const invalid = await rejection(client.order({ sku: "a-1", qty: -1 }, { input: orderSerde }));
    expect(invalid).toMatchObject({ status: 400, source: "invocation" });
  });

  it("deduplicates calls by idempotency key and attaches by that key", async () => {
    const key = randomUUID();
    const client = ingress.serviceClient<ClientGreeter>(greeter);
    const first = await client.counted({ key, ms: 0 }, { idempotencyKey: key });
    const second = await client.counted({ key, ms: 0 }, { idempotencyKey: key });
    expect([first, second]).toEqual([`done ${key}`, `done ${key}`]);
    expect(executions.get(key)).toBe(1);
    const byKey = { service: greeter, handler: "counted", idempotencyKey: key } as const;
    expect(await ingress.attach<ClientGreeter, "counted">(byKey)).toBe(`done ${key}`);
    expect(await ingress.output<ClientGreeter, "counted">(byKey)).toEqual({
      ready: true,
      result: `done ${key}`,
    });

    const objectKey = randomUUID();
    await ingress.objectClient<ClientCounter>(counter, objectKey).add(4, { idempotencyKey: "i" });
    const objectRef = {
      service: counter,
      key: objectKey,
      handler: "add",
      idempotencyKey: "i",
    } as const;
    expect(await ingress.attach<ClientCounter, "add">(objectRef)).toBe(4);
    expect(await ingress.output<ClientCounter, "add">(objectRef)).toEqual({
      ready: true,
      result: 4,
    });
  });

  it("sends one-way, attaches to the send, and reads outputs by id", async () => {
    const key = randomUUID();
    const send = ingress.serviceSendClient<ClientGreeter>(greeter);
    const sent = await send.counted({ key, ms: 800 }, { idempotencyKey: key });
    const again = await send.counted({ key, ms: 800 }, { idempotencyKey: key });
    expect(sent.status).toBe("Accepted");
    expect(again).toMatchObject({ status: "PreviouslyAccepted", invocationId: sent.invocationId });
    expect(await ingress.output(sent.invocationId)).toEqual({ ready: false });
    expect(await ingress.result(sent)).toBe(`done ${key}`);
    expect(await ingress.attach<string>(sent.invocationId)).toBe(`done ${key}`);
    expect(await ingress.output<string>(sent.invocationId)).toEqual({
      ready: true,
      result: `done ${key}`,
    });
    expect(executions.get(key)).toBe(1);
  });

  it("schedules delayed sends", async () => {
    const key = randomUUID();
    const before = Date.now();
    const sent = await ingress
      .serviceSendClient<ClientGreeter>(greeter)
      .counted({ key, ms: 0 }, rpc.sendOpts({ delay: 700 }));
    expect(sent.executionTime!.getTime()).toBeGreaterThanOrEqual(before + 600);
    expect((await admin.getInvocation(sent.invocationId))?.status).toBe("scheduled");
    expect(await ingress.result(sent)).toBe(`done ${key}`);
    expect(Date.now() - before).toBeGreaterThanOrEqual(650);
  });

  it("submits, reads and attaches to workflows", async () => {
    const id = randomUUID();
    const wf = ingress.workflowClient<ClientSignup>(signup, id);
    expect((await wf.workflowSubmit("a@b.c")).status).toBe("Accepted");
    expect((await ingress.workflowSubmit<ClientSignup>(signup, id, "a@b.c")).status).toBe(
      "PreviouslyAccepted",
    );
    expect(await wf.workflowOutput()).toEqual({ ready: false });
    const attached = wf.workflowAttach();
    await wf.confirm("1234");
    expect(await attached).toEqual({ email: "a@b.c", code: "1234" });
    expect(await ingress.workflowOutput<ClientSignup>(signup, id)).toEqual({
      ready: true,
      result: { email: "a@b.c", code: "1234" },
    });
    expect(await ingress.workflowAttach<ClientSignup>(signup, id)).toEqual({
      email: "a@b.c",
      code: "1234",
    });
  });

  it("runs a workflow or attaches to the running or finished one", async () => {
    const id = randomUUID();
    const first = ingress.runOrAttach<ClientSignup>(signup, id, "x@y.z");
    const second = ingress.runOrAttach<ClientSignup>(signup, id, "x@y.z");
    await ingress.workflowSendClient<ClientSignup>(signup, id).confirm("c");
    expect(await first).toEqual({ email: "x@y.z", code: "c" });
    expect(await second).toEqual({ email: "x@y.z", code: "c" });
    expect(await ingress.runOrAttach<ClientSignup>(signup, id, "x@y.z")).toEqual({
      email: "x@y.z",
      code: "c",
    });
    const sync = await rejection(ingress.workflowClient<ClientSignup>(signup, id).run("x@y.z"));
    expect(sync).toMatchObject({ status: 409, source: "invocation" });
  });

  it("resolves and rejects awakeables", async () => {
    const client = ingress.serviceClient<ClientGreeter>(greeter);
    const [resolvedKey, rejectedKey] = [randomUUID(), randomUUID()];
    const resolved = client.waitForAwakeable(resolvedKey);
    const rejected = rejection(client.waitForAwakeable(rejectedKey));
    await waitFor(async () => published.has(resolvedKey) && published.has(rejectedKey));
    await ingress.resolveAwakeable(published.get(resolvedKey)!, "from outside");
    await ingress.rejectAwakeable(published.get(rejectedKey)!, "no way");
    expect(await resolved).toBe("from outside");
    expect(await rejected).toMatchObject({ message: "no way", source: "invocation" });
  });

  it("takes options the official client's way: in the input's place, Duration delays, raw calls", async () => {
    const key = randomUUID();
    const official = connect({ url: env.server.ingressUrl, retry: { maxAttempts: 3 } });
    // Opts in place of a missing input: the idempotency key is applied, so attach-by-key finds it.
    await official.serviceClient<ClientGreeter>(greeter).ping(rpc.opts({ idempotencyKey: key }));
    expect(await ingress.attach({ service: greeter, handler: "ping", idempotencyKey: key })).toBe(
      "pong -",
    );
    // SendOpts with a Duration in place of a missing input: the send is scheduled, not run.
    const before = Date.now();
    const delayed = await official
      .objectSendClient<ClientCounter>(counter, key)
      .get(rpc.sendOpts({ delay: { minutes: 5 } }));
    expect(delayed.executionTime!.getTime()).toBeGreaterThanOrEqual(before + 290_000);
    expect((await admin.getInvocation(delayed.invocationId))?.status).toBe("scheduled");
    await admin.cancelInvocation(delayed.invocationId);
    // Raw calls and sends by name, with the connection's serde unless they name one.
    const raw = await official.call({
      service: "ClientGreeter",
      handler: "reverse",
      parameter: new Uint8Array([1, 2, 3]),
      opts: rpc.opts({ input: serde.binary, output: serde.binary }),
    });
    expect(raw).toEqual(new Uint8Array([3, 2, 1]));
    expect(
      await official.call<string, string>({
        service: "ClientGreeter",
        handler: "greet",
        parameter: "json",
      }),
    ).toBe("Hello json!");
    const sent = await official.send({
      service: "ClientCounter",
      key,
      handler: "add",
      parameter: 2,
      opts: rpc.sendOpts({ idempotencyKey: key }),
    });
    expect(sent.attachable).toBe(true);
    expect(await official.result(sent, serde.json)).toBe(2);
    const failed = await rejection(
      official.serviceClient<ClientGreeter>(greeter).fail({ code: 418, message: "teapot" }),
    );
    expect(failed.responseText).toContain("teapot");
  });

  it("gives up on a call after its timeout", async () => {
    const key = randomUUID();
    const slow = ingress
      .serviceClient<ClientGreeter>(greeter)
      .counted({ key, ms: 3000 }, { timeout: 300 });
    const error = await rejection(slow);
    expect(error).toMatchObject({ status: 0, source: "transport" });
    expect(error.message).toContain("timed out after 300 ms");
  });
});

describe("admin client", () => {
  it("lists and inspects deployments, services and handlers", async () => {
    const deployments = await admin.listDeployments();
    const mine = deployments.find((d) => d.uri?.startsWith(env.endpointUrl));
    expect(mine?.services.map((s) => s.name).sort()).toEqual([
      "ClientCounter",
      "ClientGreeter",
      "ClientSignup",
    ]);
    expect(mine?.createdAt).toBeInstanceOf(Date);
    const deployment = await admin.getDeployment(mine!.id);
    expect(deployment.protocolType).toBe("BidiStream");
    expect(deployment.services.find((s) => s.name === "ClientCounter")?.ty).toBe("VirtualObject");
    const services = await admin.listServices();
    expect(services.map((s) => s.name)).toContain("ClientSignup");
    const handlers = await admin.listHandlers("ClientCounter");
    expect(handlers.find((h) => h.name === "get")?.ty).toBe("Shared");
    expect(await rejection(admin.getService("Nope"))).toMatchObject({ status: 404 });
  });

  it("patches a service's options", async () => {
    const patched = await admin.patchService("ClientGreeter", { idempotencyRetention: "2h" });
    expect(patched.idempotencyRetention).toBe("2h");
    await admin.patchService("ClientGreeter", { journalRetention: 3_600_000 });
    const service = await admin.getService("ClientGreeter");
    expect(service).toMatchObject({ idempotencyRetention: "2h", journalRetention: "1h" });
  });

  it("registers and removes a deployment", async () => {
    const extra = endpoint().bind(
      service({ name: "ClientExtra", handlers: { hi: async () => "hi" } }),
    );
    const port = await extra.listen(0);
    try {
      const uri = `http://127.0.0.1:${port}`;
      const dry = await admin.registerDeployment({ uri, dryRun: true });
      expect(dry.services.map((s) => s.name)).toEqual(["ClientExtra"]);
      const registered = await admin.registerDeployment({ uri, useHttp11: true });
      expect(registered.services[0]?.handlers[0]?.name).toBe("hi");
      expect((await admin.getDeployment(registered.id)).httpVersion).toBe("HTTP/1.1");
      expect(await rejection(admin.removeDeployment(registered.id))).toMatchObject({ status: 501 });
      await admin.removeDeployment(registered.id, { force: true });
      await waitFor(
        async () => !(await admin.listDeployments()).some((d) => d.id === registered.id),
      );
    } finally {
      await extra.close(100);
    }
  });

  it("lists invocations with typed rows and escaped filters", async () => {
    const key = `O'Brien \\'; -- ${randomUUID()}`;
    const idempotencyKey = `k'\\${randomUUID()}`;
    await ingress.objectClient<ClientCounter>(counter, key).add(1, { idempotencyKey });
    const rows = await admin.listInvocations({ service: "ClientCounter", key });
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({
      targetServiceName: "ClientCounter",
      targetServiceKey: key,
      targetHandlerName: "add",
      target: `ClientCounter/${key}/add`,
      status: "completed",
      completionResult: "success",
      retryCount: 0,
      idempotencyKey,
    });
    expect(row!.createdAt).toBeInstanceOf(Date);
    expect(row!.modifiedAt.getTime()).toBeGreaterThanOrEqual(row!.createdAt.getTime());
    const byKey = await admin.listInvocations({
      idempotencyKey,
      handler: "add",
      status: "completed",
    });
    expect(byKey.map((r) => r.id)).toEqual([row!.id]);
    expect(await admin.listInvocations({ key, isCompleted: false })).toEqual([]);
    expect((await admin.getInvocation(row!.id))?.id).toBe(row!.id);
    expect(await admin.getInvocation(UNKNOWN_ID)).toBeUndefined();
    expect(await rejection(admin.getInvocation("inv_1'"))).toMatchObject({ status: 500 });
    const raw = await admin.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM sys_invocation WHERE target_service_name = 'ClientCounter'`,
    );
    expect(raw[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it("pauses, resumes, kills and purges a failing invocation", async () => {
    const { invocationId: id } = await ingress
      .serviceSendClient<ClientGreeter>(greeter)
      .flaky(randomUUID());
    await waitFor(async () => ((await admin.getInvocation(id))?.retryCount ?? 0) >= 1);
    const failing = await admin.getInvocation(id);
    expect(failing?.lastFailure).toContain("always failing");
    expect(failing?.lastFailureErrorCode).toBe("RT0007");
    await admin.pauseInvocation(id);
    await waitForStatus(id, ["paused"]);
    await admin.resumeInvocation(id);
    await waitForStatus(id, ["backing-off", "running", "ready"]);
    await admin.killInvocation(id);
    await waitForStatus(id, ["completed"]);
    expect(await rejection(ingress.attach(id))).toMatchObject({
      status: 409,
      source: "invocation",
    });
    await admin.purgeInvocation(id);
    await waitFor(async () => (await admin.getInvocation(id)) === undefined);
  });

  it("cancels one invocation", async () => {
    const sent = await ingress.serviceSendClient<ClientGreeter>(greeter).block(randomUUID());
    await waitForStatus(sent.invocationId, ["running", "suspended"]);
    await admin.cancelInvocation(sent.invocationId);
    const error = await rejection(ingress.result(sent));
    expect(error).toMatchObject({ status: 409, source: "invocation" });
  });

  it("cancels and kills in bulk by target", async () => {
    const key = randomUUID();
    const objectSend = ingress.objectSendClient<ClientCounter>(counter, key);
    // The second waits in the key's queue behind the first (status `inboxed`).
    const [first, second] = [await objectSend.block(), await objectSend.block()];
    await waitForStatus(first.invocationId, ["running", "suspended"]);
    const cancelled = await admin.cancelInvocations(`ClientCounter/${key}`);
    expect(new Set(cancelled.succeeded)).toEqual(
      new Set([first.invocationId, second.invocationId]),
    );
    expect(cancelled.failed).toEqual([]);
    expect(await rejection(ingress.result(first))).toMatchObject({ status: 409 });
    // Cancelling an invocation still in the key's queue drops it: 1.7.12 then knows no such id.
    expect([404, 409]).toContain((await rejection(ingress.result(second))).status);

    const keyedHandler = await objectSend.block();
    await waitForStatus(keyedHandler.invocationId, ["running", "suspended"]);
    const byHandler = await admin.killInvocations(`ClientCounter/${key}/block`);
    expect(byHandler.succeeded).toEqual([keyedHandler.invocationId]);

    const blocked = await ingress.serviceSendClient<ClientGreeter>(greeter).block(randomUUID());
    await waitForStatus(blocked.invocationId, ["running", "suspended"]);
    const killed = await admin.killInvocations("ClientGreeter/block");
    expect(killed.succeeded).toContain(blocked.invocationId);
    expect(await rejection(ingress.result(blocked))).toMatchObject({ status: 409 });
    const another = await ingress.serviceSendClient<ClientGreeter>(greeter).block(randomUUID());
    await waitForStatus(another.invocationId, ["running", "suspended"]);
    const wholeService = await admin.cancelInvocations("ClientGreeter");
    expect(wholeService.succeeded).toContain(another.invocationId);
    expect(wholeService.succeeded).not.toContain(blocked.invocationId);
    await expect(admin.cancelInvocations("ClientGreeter/x/block")).rejects.toThrow(TypeError);
  });

  it("creates, lists and deletes Kafka subscriptions", async () => {
    const sink = "service://ClientGreeter/greet";
    const created = await admin.createSubscription({
      source: "kafka://my-cluster/greetings",
      sink,
      options: { "auto.offset.reset": "earliest" },
    });
    expect(created.id).toMatch(/^sub_/);
    expect(created.options["auto.offset.reset"]).toBe("earliest");
    expect((await admin.listSubscriptions()).map((s) => s.id)).toContain(created.id);
    expect((await admin.listSubscriptions({ sink })).map((s) => s.id)).toEqual([created.id]);
    expect(await admin.getSubscription(created.id)).toMatchObject({ sink, source: created.source });
    const unknownCluster = admin.createSubscription({ source: "kafka://nope/t", sink });
    expect(await rejection(unknownCluster)).toMatchObject({ status: 400 });
    await admin.deleteSubscription(created.id);
    await waitFor(async () => !(await admin.listSubscriptions()).some((s) => s.id === created.id));
  });

  it("exports an invocation's journal with raw entry bytes", async () => {
    const key = randomUUID();
    const sent = await ingress
      .serviceSendClient<ClientGreeter>(greeter)
      .counted({ key, ms: 10 }, { idempotencyKey: key });
    await ingress.result(sent);
    const journal = await admin.exportJournal(sent.invocationId);
    expect(journal.map((e) => e.index)).toEqual([...journal.keys()]);
    expect(journal[0]?.entryType).toBe("Command: Input");
    const run = journal.find((e) => e.entryType === "Command: Run");
    expect(run?.name).toBe("count");
    for (const entry of journal) {
      expect(entry.raw).toBeInstanceOf(Uint8Array);
      expect(entry.raw.length).toBe(entry.rawLength);
    }
    expect(await admin.exportJournal(UNKNOWN_ID)).toEqual([]);
  });
});

describe("retries across a server restart", () => {
  it("finishes an idempotent call that was in flight when the server crashed", async () => {
    const key = randomUUID();
    let attempts = 0;
    const retrying = connect({
      url: env.server.ingressUrl,
      retry: { retries: 30, minTimeout: 100, maxTimeout: 500 },
      fetch: (input, init) => {
        attempts++;
        return fetch(input, init);
      },
    });
    const call = retrying
      .serviceClient<ClientGreeter>(greeter)
      .counted({ key, ms: 1500 }, { idempotencyKey: key });
    await waitFor(async () => executions.get(key) === 1, { message: "the handler to start" });
    await env.server.restart();
    expect(await call).toBe(`done ${key}`);
    expect(attempts).toBeGreaterThan(1);
    expect(executions.get(key)).toBe(1);
  });
});
