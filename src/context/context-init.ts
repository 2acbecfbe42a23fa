// SPDX-License-Identifier: MIT
import type { JournalVm } from "../journal/vm.js";
import type { HandlerEntry } from "../definitions/registry.js";
import type { Scheduler } from "./scheduler.js";
import type { Logger } from "./logger.js";
import type { AttemptSignals } from "./attempt-signals.js";
import type { JournalValueCodec } from "../serde/journal-value-codec.js";

/** What the context of one attempt needs besides the engine. */
export interface ContextInit {
  readonly vm: JournalVm;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  readonly handler: HandlerEntry;
  readonly input: {
    readonly headers: ReadonlyArray<readonly [string, string]>;
    readonly value: Uint8Array;
  };
  readonly attemptHeaders: ReadonlyMap<string, string>;
  readonly signals: AttemptSignals;
  /** The wall clock (ms since epoch); the in-memory test runtime passes a virtual one. */
  readonly now: () => number;
  /** The runtime's extra handler arguments (a Worker's `env`, the Lambda context…). */
  readonly extraArgs?: readonly unknown[];
  /** Extra fields of the logger transport's `additionalContext` (the Lambda request id). */
  readonly additionalLogContext?: Readonly<Record<string, string>>;
  /** Encodes every value the attempt journals and decodes every value it reads (none: as is). */
  readonly valueCodec?: JournalValueCodec;
  /** Test-only failure injection for run closures (see `InvocationParams.runFault`). */
  readonly runFault?: (name: string) => Error | undefined;
}
