// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import type { HandlerEntry } from "../definitions/registry.js";
import type { JournalVm, StartInfo } from "../journal/vm.js";
import { json } from "../serde/json.js";
import { AttemptLogging } from "./attempt-logging.js";
import { AttemptSignals } from "./attempt-signals.js";
import type { ContextInit } from "./context-init.js";
import { handlerRequest } from "./handler-request.js";
import type { Logger } from "./logger.js";
import { type LogMetadata, LoggerContext, loggerFromTransport } from "./log-transport.js";
import type { Scheduler } from "./scheduler.js";
import type { Request } from "./types.js";
import { memoryLogger } from "./__fixtures__/harness.js";

/** The vm as the loggers see it: its start, and whether it replays (which a test can flip). */
interface FakeVm {
  start: StartInfo;
  isReplaying: boolean;
}

function setup(
  logger: Logger,
  serviceKind: HandlerEntry["serviceKind"] = "object",
  extra: Partial<ContextInit> = {},
) {
  const vm: FakeVm = {
    start: {
      id: new Uint8Array([9]),
      debugId: "inv_1xyz",
      key: "mary",
      knownEntries: 1,
      retryCount: 2,
      durationMs: 0,
      randomSeed: 1n,
      scope: undefined,
      limitKey: undefined,
      idempotencyKey: undefined,
    },
    isReplaying: false,
  };
  const init: ContextInit = {
    vm: vm as unknown as JournalVm,
    scheduler: undefined as unknown as Scheduler,
    logger,
    handler: {
      service: "Cart",
      name: "add",
      serviceKind,
      kind: serviceKind === "service" ? "handler" : "exclusive",
      fn: () => undefined,
      options: {},
      input: json,
      output: json,
      hooks: undefined,
    },
    input: { headers: [], value: new Uint8Array() },
    attemptHeaders: new Map(),
    signals: new AttemptSignals(),
    now: () => 0,
    ...extra,
  };
  let requests = 0;
  let request: Request | undefined;
  const logging = new AttemptLogging(init, () => {
    requests++;
    return (request ??= handlerRequest(init));
  });
  return { vm, logging, requestCalls: () => requests, request: () => request };
}

/** A transport that keeps every call it gets. */
function recorder() {
  const calls: Array<{ meta: LogMetadata; args: unknown[] }> = [];
  const transport = (meta: LogMetadata, ...args: unknown[]): void => {
    calls.push({ meta, args });
  };
  return { calls, logger: loggerFromTransport(transport) };
}

describe("AttemptLogging over a plain logger", () => {
  it("prefixes ctx.console messages with the handler and the invocation id", () => {
    const logger = memoryLogger();
    const { logging } = setup(logger);
    logging.console.info("added", 2);
    logging.console.error("oops");
    expect(logger.lines).toEqual([
      ["info", ["[Cart/add][inv_1xyz]", "added", 2]],
      ["error", ["[Cart/add][inv_1xyz]", "oops"]],
    ]);
  });

  it("keeps ctx.console silent while the attempt replays", () => {
    const logger = memoryLogger();
    const { vm, logging } = setup(logger);
    vm.isReplaying = true;
    logging.console.info("replayed");
    vm.isReplaying = false;
    logging.console.info("new");
    expect(logger.lines).toEqual([["info", ["[Cart/add][inv_1xyz]", "new"]]]);
  });

  it("builds the console once, so its counters last the attempt", () => {
    const logger = memoryLogger();
    const { logging } = setup(logger);
    expect(logging.console).toBe(logging.console);
    logging.console.count();
    logging.console.count();
    expect(logger.lines.map(([, args]) => args[1])).toEqual(["default: 1", "default: 2"]);
  });

  it("gives the SDK the logger itself, and never asks for the request", () => {
    const logger = memoryLogger();
    const { logging, requestCalls } = setup(logger);
    expect(logging.systemLogger()).toBe(logger);
    logging.console.info("x");
    expect(requestCalls()).toBe(0);
  });
});

describe("AttemptLogging over a transport", () => {
  it("sends ctx.console messages as USER, unprefixed, with the invocation's context", () => {
    const { calls, logger } = recorder();
    const { logging, request } = setup(logger);
    logging.console.warn("low stock", { sku: 1 });
    expect(calls).toHaveLength(1);
    const { meta, args } = calls[0]!;
    expect(args).toEqual(["low stock", { sku: 1 }]);
    expect(meta).toMatchObject({ source: "USER", level: "warn", replaying: false });
    const context = meta.context!;
    expect(context).toBeInstanceOf(LoggerContext);
    expect(context).toMatchObject({
      invocationId: "inv_1xyz",
      serviceName: "Cart",
      handlerName: "add",
      key: "mary",
      invocationTarget: "Cart/mary/add",
      attempt: 3,
    });
    expect(context.request).toBe(request());
    expect(context.additionalContext).toEqual({});
  });

  it("puts the runtime's extra log context (the Lambda request id) in additionalContext", () => {
    const { calls, logger } = recorder();
    const { logging } = setup(logger, "object", {
      additionalLogContext: { AWSRequestId: "req-7" },
    });
    logging.console.info("hello");
    expect(calls[0]!.meta.context!.additionalContext).toEqual({ AWSRequestId: "req-7" });
  });

  it("lets replayed ctx.console messages through, flagged, for the transport to decide", () => {
    const { calls, logger } = recorder();
    const { vm, logging } = setup(logger);
    vm.isReplaying = true;
    logging.console.info("replayed");
    vm.isReplaying = false;
    logging.console.info("new");
    expect(calls.map(({ meta, args }) => [meta.replaying, args[0]])).toEqual([
      [true, "replayed"],
      [false, "new"],
    ]);
  });

  it("sends the SDK's messages as SYSTEM with the context, never flagged as replaying", () => {
    const { calls, logger } = recorder();
    const { vm, logging } = setup(logger);
    vm.isReplaying = true;
    logging.systemLogger().error("journal mismatch");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.meta).toMatchObject({ source: "SYSTEM", level: "error", replaying: false });
    expect(calls[0]!.meta.context?.invocationTarget).toBe("Cart/mary/add");
    expect(calls[0]!.args).toEqual(["journal mismatch"]);
  });

  it("builds one context for the attempt, asking for the request only when first logging", () => {
    const { calls, logger } = recorder();
    const { logging, requestCalls } = setup(logger);
    expect(requestCalls()).toBe(0);
    logging.console.info("a");
    logging.systemLogger().info("b");
    logging.systemLogger().info("c");
    expect(requestCalls()).toBe(1);
    const [a, b, c] = calls.map(({ meta }) => meta.context);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it("leaves the key out of a plain service's context", () => {
    const { calls, logger } = recorder();
    const { logging } = setup(logger, "service");
    logging.console.info("hi");
    expect(calls[0]!.meta.context?.key).toBeUndefined();
    expect(calls[0]!.meta.context?.invocationTarget).toBe("Cart/add");
  });
});
