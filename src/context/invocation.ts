// SPDX-License-Identifier: MIT
// One invocation attempt from the transport's point of view: bytes in, bytes out, the handler run
// in between. The endpoint (or the in-memory test runtime) owns the I/O; this owns the lifecycle.
import { JournalVm, type ProtocolVersion } from "../journal/vm.js";
import { ClosedError, ProtocolError } from "../journal/errors.js";
import { CommandType } from "../journal/message-types.js";
import type { HandlerEntry } from "../definitions/registry.js";
import { CancelledError, ensureError, isRetryableError, isTerminalError } from "../errors.js";
import { Scheduler } from "./scheduler.js";
import { InvocationContext } from "./invocation-context.js";
import { failureOf } from "./failures.js";
import type { Logger } from "./logger.js";

export type { ProtocolVersion };

/** Where the attempt's output goes. `write` gets whole frames; `end` is called exactly once. */
export interface InvocationSink {
  write(chunk: Uint8Array): void;
  end(): void;
}

/** How the transport describes the attempt. */
export interface InvocationParams {
  readonly handler: HandlerEntry;
  readonly protocolVersion: ProtocolVersion;
  /** `bidi`: input keeps arriving while the handler runs; otherwise it ends after the journal. */
  readonly mode: "bidi" | "request-response";
  readonly attemptHeaders: ReadonlyMap<string, string>;
  readonly maxMessageSize?: number;
  readonly logger: Logger;
  /** The clock for sleeps, delays and `ctx.date` (default `Date.now`). */
  readonly now?: () => number;
}

/** How the transport feeds the attempt. */
export interface InvocationInput {
  push(chunk: Uint8Array): void;
  end(): void;
  /** The transport died (client gone): stop without writing anything further. */
  abort(reason: unknown): void;
}

/**
 * Starts an attempt: the handler runs as soon as the StartMessage and the journal have arrived.
 *
 * @internal
 */
export function startInvocation(params: InvocationParams, sink: InvocationSink): InvocationInput {
  const attempt = new AbortController();
  let isAborted = false;
  const vm = new JournalVm(
    {
      write: (bytes) => {
        if (!isAborted) sink.write(bytes);
      },
      close: () => {
        if (!isAborted) sink.end();
        attempt.abort();
      },
    },
    {
      version: params.protocolVersion,
      ...(params.maxMessageSize !== undefined ? { maxMessageSize: params.maxMessageSize } : {}),
    },
  );
  const scheduler = new Scheduler(vm);
  // Fires when the runtime delivers the cancel signal, so long-running `ctx.run` closures can stop
  // early. Their results are journaled as usual, so this cannot change what a replay sees.
  const cancelled = new AbortController();
  const runSignal = AbortSignal.any([attempt.signal, cancelled.signal]);
  let isStarted = false;
  const afterInput = () => {
    if (!cancelled.signal.aborted && scheduler.isCancelReceived) {
      cancelled.abort(new CancelledError());
    }
    if (!isStarted && vm.isReadyToExecute) {
      isStarted = true;
      void runHandler(params, vm, scheduler, attempt.signal, runSignal);
    } else if (isStarted) {
      scheduler.schedule();
    }
    if (vm.error !== undefined && !isStarted) {
      params.logger.warn(
        `Invocation of ${params.handler.service}/${params.handler.name} rejected:`,
        vm.error.message,
      );
    }
  };
  return {
    push(chunk) {
      vm.notifyInput(chunk);
      afterInput();
    },
    end() {
      vm.notifyInputClosed();
      afterInput();
    },
    abort(reason) {
      if (vm.isClosed) return;
      isAborted = true;
      vm.fail(new ProtocolError(500, `Transport aborted: ${ensureError(reason).message}`));
    },
  };
}

async function runHandler(
  params: InvocationParams,
  vm: JournalVm,
  scheduler: Scheduler,
  attemptSignal: AbortSignal,
  runSignal: AbortSignal,
): Promise<void> {
  const { handler, logger } = params;
  try {
    const input = vm.sysInput();
    const ctx = new InvocationContext({
      vm,
      scheduler,
      logger,
      loggerPrefix: `[${handler.service}/${handler.name}][${vm.start.debugId}]`,
      runSignal,
      now: params.now ?? Date.now,
      request: {
        id: vm.start.debugId,
        headers: new Map(input.headers),
        attemptHeaders: params.attemptHeaders,
        body: input.value,
        attemptCompletedSignal: attemptSignal,
      },
    });
    const argument = handler.input.deserialize(input.value);
    const output = await handler.fn(ctx, argument);
    vm.sysOutput({ value: handler.output.serialize(output) });
    vm.sysEnd();
  } catch (e) {
    finishWithError(params, vm, e);
  }
}

function finishWithError(params: InvocationParams, vm: JournalVm, e: unknown): void {
  if (vm.isClosed || e instanceof ClosedError) return;
  const { logger, handler } = params;
  const where = `${handler.service}/${handler.name}`;
  try {
    if (e instanceof ProtocolError) {
      vm.fail(e);
      return;
    }
    if (isTerminalError(e)) {
      vm.sysOutput({ failure: failureOf(e) });
      vm.sysEnd();
      return;
    }
    const error = ensureError(e);
    logger.warn(`Invocation ${where} [${vm.start.debugId}] failed, the runtime will retry:`, error);
    vm.fail(
      new ProtocolError(500, error.message, {
        ...(error.stack !== undefined ? { stack: error.stack } : {}),
        ...(isRetryableError(error) && error.retryAfter !== undefined
          ? { nextRetryDelayMs: error.retryAfter }
          : {}),
        relatedCommand: vm.nextCommand(CommandType.Output),
      }),
    );
  } catch (inner) {
    if (!vm.isClosed) vm.fail(new ProtocolError(500, ensureError(inner).message));
  }
}
