// SPDX-License-Identifier: MIT
// One invocation attempt from the transport's point of view: bytes in, bytes out, the handler run
// in between. The endpoint (or the in-memory test runtime) owns the I/O; this owns the lifecycle.
import { JournalVm, type ProtocolVersion, type VmOutput } from "../journal/vm.js";
import { ClosedError, ProtocolError } from "../journal/errors.js";
import { type ProtocolCodecSlot, protocolCodecSlot } from "../journal/codec.js";
import "./protocol-codec-loader.js";
import type { HandlerEntry } from "../definitions/registry.js";
import {
  TerminalError,
  ensureError,
  isPauseError,
  isTerminalError,
  retryDelayOf,
} from "../errors.js";
import { Scheduler } from "./scheduler.js";
import { InvocationContext } from "./invocation-context.js";
import { failureOf, toTerminal } from "./failures.js";
import { AttemptSignals } from "./attempt-signals.js";
import type { Logger } from "./logger.js";
import { AttemptHooks } from "./attempt-hooks.js";
import type { HookContext, HooksProvider } from "./hooks.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";

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
  readonly attemptHeaders: ReadonlyMap<string, string>;
  /** The runtime's extra handler arguments (e.g. a Worker's `env`), for `ctx.request().extraArgs`. */
  readonly extraArgs?: readonly unknown[];
  /**
   * Extra fields of the logger transport's `LoggerContext.additionalContext` (the Lambda handler
   * adds `AWSRequestId`, as the official one does); `{}` when absent.
   */
  readonly additionalLogContext?: Readonly<Record<string, string>>;
  readonly maxMessageSize?: number;
  readonly logger: Logger;
  /** The clock for sleeps, delays and `ctx.date` (default `Date.now`). */
  readonly now?: () => number;
  /**
   * Failure injection for tests: called before a `ctx.run` closure executes; an error returned
   * here is treated as if the closure had thrown it (the closure does not run).
   */
  readonly runFault?: (name: string) => Error | undefined;
  /**
   * The endpoint's journal value codec, once its provider has resolved (the same promise for
   * every attempt). With one, replay stops comparing payload bytes: a codec such as encryption
   * may encode the same value differently on each attempt.
   */
  readonly journalValueCodec?: PromiseLike<JournalValueCodec>;
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
export function startInvocation(
  params: InvocationParams,
  sink: InvocationSink,
  codec: ProtocolCodecSlot = protocolCodecSlot,
): InvocationInput {
  return new HandlerAttempt(params, sink, codec);
}

/** One attempt: the engine's output goes to the sink, the transport's input to the engine. */
class HandlerAttempt implements InvocationInput, VmOutput {
  readonly #params: InvocationParams;
  readonly #sink: InvocationSink;
  readonly #vm: JournalVm;
  readonly #scheduler: Scheduler;
  readonly #signals = new AttemptSignals();
  #isStarted = false;
  #isAborted = false;
  #isWaitingCodec = false;
  /** Where the protobuf codec comes from: the process's slot, loaded on first need. */
  readonly #codec: ProtocolCodecSlot;
  /** Only when the handler has hooks. */
  #hooks: AttemptHooks | undefined;
  #ctx: InvocationContext | undefined;

  constructor(params: InvocationParams, sink: InvocationSink, codec: ProtocolCodecSlot) {
    this.#params = params;
    this.#sink = sink;
    this.#codec = codec;
    this.#vm = new JournalVm(this, {
      version: params.protocolVersion,
      codec,
      ...(params.maxMessageSize !== undefined ? { maxMessageSize: params.maxMessageSize } : {}),
      ...(params.handler.explicitCancellation === true ? { explicitCancellation: true } : {}),
      ...(params.journalValueCodec !== undefined ? { checkPayloads: false } : {}),
      ...(params.handler.onJournalMismatchErrors !== undefined
        ? { onJournalMismatch: params.handler.onJournalMismatchErrors }
        : {}),
    });
    this.#scheduler = new Scheduler(this.#vm);
  }

  // VmOutput: the engine writes here.
  write(bytes: Uint8Array): void {
    if (!this.#isAborted) this.#sink.write(bytes);
  }

  close(): void {
    if (!this.#isAborted) this.#sink.end();
    this.#signals.markEnded();
    this.#hooks?.attemptEnded(this.#vm.error);
  }

  // InvocationInput: the transport writes here.
  push(chunk: Uint8Array): void {
    this.#vm.notifyInput(chunk);
    this.#afterInput();
  }

  end(): void {
    this.#vm.notifyInputClosed();
    this.#afterInput();
  }

  abort(reason: unknown): void {
    if (this.#vm.isClosed) return;
    this.#isAborted = true;
    this.#vm.fail(new ProtocolError(500, `Transport aborted: ${ensureError(reason).message}`));
  }

  #afterInput(): void {
    // Lets long-running `ctx.run` closures stop early on cancellation. Their results are
    // journaled as usual, so this cannot change what a replay sees.
    if (this.#vm.isCancelReceived) this.#signals.markCancelled();
    if (this.#isStarted) {
      this.#scheduler.onInput();
    } else if (this.#vm.isReadyToExecute) {
      this.#isStarted = true;
      void this.#run();
    } else if (this.#vm.isAwaitingCodec) {
      this.#waitForCodec();
    } else if (this.#vm.error !== undefined) {
      const { handler, logger } = this.#params;
      logger.warn(
        `Invocation of ${handler.service}/${handler.name} rejected:`,
        this.#vm.error.message,
      );
    }
  }

  /**
   * The journal needs the protobuf codec to replay: decode it once the codec is installed, or
   * fail the attempt at once if it cannot load.
   */
  #waitForCodec(): void {
    if (this.#isWaitingCodec) return;
    this.#isWaitingCodec = true;
    this.#codec.with(
      () => {
        this.#vm.notifyCodecInstalled();
        this.#afterInput();
      },
      (cause) => this.#vm.notifyCodecUnavailable(cause),
    );
  }

  async #run(): Promise<void> {
    const { handler, logger } = this.#params;
    const vm = this.#vm;
    try {
      const input = vm.sysInput();
      const valueCodec =
        this.#params.journalValueCodec === undefined
          ? undefined
          : await this.#params.journalValueCodec;
      const ctx = new InvocationContext({
        vm,
        scheduler: this.#scheduler,
        logger,
        handler,
        input,
        attemptHeaders: this.#params.attemptHeaders,
        signals: this.#signals,
        now: this.#params.now ?? Date.now,
        ...(this.#params.extraArgs !== undefined ? { extraArgs: this.#params.extraArgs } : {}),
        ...(this.#params.additionalLogContext !== undefined
          ? { additionalLogContext: this.#params.additionalLogContext }
          : {}),
        ...(this.#params.runFault !== undefined ? { runFault: this.#params.runFault } : {}),
        ...(valueCodec !== undefined ? { valueCodec } : {}),
      });
      this.#ctx = ctx;
      if (handler.hooks !== undefined) {
        return await this.#runWithHooks(ctx, handler.hooks, input, valueCodec);
      }
      const bytes =
        valueCodec === undefined ? input.value : await decodeInput(valueCodec, input.value);
      const output = handler.output.serialize(
        await handler.fn(ctx, handler.input.deserialize(bytes)),
      );
      vm.sysOutput({ value: valueCodec === undefined ? output : valueCodec.encode(output) });
      vm.sysEnd();
    } catch (e) {
      this.#finishWithError(e);
    }
  }

  /**
   * The handler inside its interceptors, with its input and output through the journal value
   * codec if there is one (inside the interceptors, as in the official SDK); the output is
   * written once they all let it through.
   */
  async #runWithHooks(
    ctx: InvocationContext,
    providers: readonly HooksProvider[],
    input: { readonly value: Uint8Array },
    codec: JournalValueCodec | undefined,
  ): Promise<void> {
    const { handler } = this.#params;
    const vm = this.#vm;
    const hooks = new AttemptHooks(providers, hookContext(ctx, vm, handler));
    this.#hooks = hooks;
    ctx.useHooks(hooks);
    let output: Uint8Array | undefined;
    await hooks.aroundHandler(async () => {
      const bytes = codec === undefined ? input.value : await decodeInput(codec, input.value);
      const serialized = handler.output.serialize(
        await handler.fn(ctx, handler.input.deserialize(bytes)),
      );
      output = codec === undefined ? serialized : codec.encode(serialized);
    });
    if (output === undefined) throw new Error("A handler interceptor did not call next()");
    vm.sysOutput({ value: output });
    vm.sysEnd();
  }

  #finishWithError(thrown: unknown): void {
    const vm = this.#vm;
    if (vm.isClosed || thrown instanceof ClosedError) return;
    const { handler } = this.#params;
    try {
      if (thrown instanceof ProtocolError) {
        vm.fail(thrown);
        return;
      }
      const e = toTerminal(thrown, handler.asTerminalError);
      if (isTerminalError(e)) {
        vm.sysOutput({ failure: failureOf(e) });
        vm.sysEnd();
        return;
      }
      const error = ensureError(e);
      const retryAfter = retryDelayOf(error);
      (this.#ctx?.systemLogger() ?? this.#params.logger).warn(
        `Invocation ${handler.service}/${handler.name} [${vm.start.debugId}] failed, the runtime will retry:`,
        error,
        // As in the official SDK: only a run pauses (a handler that paused would pause again).
        ...(isPauseError(error) ? ["(a PauseError pauses only when thrown inside ctx.run)"] : []),
      );
      vm.fail(
        new ProtocolError(500, error.message, {
          ...(error.stack !== undefined ? { stack: error.stack } : {}),
          ...(retryAfter !== undefined ? { nextRetryDelayMs: retryAfter } : {}),
        }),
      );
    } catch (inner) {
      if (!vm.isClosed) vm.fail(new ProtocolError(500, ensureError(inner).message));
    }
  }
}

/** The handler's input through the codec; a codec that cannot decode it fails the call (400). */
async function decodeInput(codec: JournalValueCodec, bytes: Uint8Array): Promise<Uint8Array> {
  try {
    return await codec.decode(bytes);
  } catch (e) {
    throw new TerminalError(
      `Failed to decode input using journal value codec: ${ensureError(e).message}`,
      { errorCode: 400 },
    );
  }
}

/** What hook providers see; `isReplaying` follows the engine as the attempt goes on. */
function hookContext(ctx: InvocationContext, vm: JournalVm, handler: HandlerEntry): HookContext {
  const { start } = vm;
  return {
    request: ctx.request(),
    service: handler.service,
    handler: handler.name,
    key: handler.serviceKind === "service" ? undefined : start.key,
    retryCount: start.retryCount,
    get isReplaying() {
      return vm.isReplaying;
    },
  };
}
