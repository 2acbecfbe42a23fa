// SPDX-License-Identifier: MIT
// Stand-in invocation runners for endpoint tests: passed in where the engine would be, so the
// transport is tested on its own.
import type {
  InvocationInput,
  InvocationParams,
  InvocationSink,
} from "../../context/invocation.js";
import type { InvocationRunner } from "../endpoint-core.js";

/** A runner that records every attempt it starts. */
export interface RecordingRunner {
  readonly runner: InvocationRunner;
  /** The parameters of each attempt started, in order. */
  readonly started: InvocationParams[];
}

const encoder = new TextEncoder();

/**
 * Echoes: one line naming the attempt (`service/handler vN`), then every input chunk, then
 * `|end` once the input is complete; an abort ends the attempt silently.
 */
export function echoRunner(): RecordingRunner {
  const started: InvocationParams[] = [];
  const runner = (params: InvocationParams, sink: InvocationSink): InvocationInput => {
    started.push(params);
    const { service, name } = params.handler;
    sink.write(encoder.encode(`${service}/${name} v${params.protocolVersion}\n`));
    return {
      push: (chunk) => sink.write(chunk),
      end: () => {
        sink.write(encoder.encode("|end"));
        sink.end();
      },
      abort: () => sink.end(),
    };
  };
  return { runner, started };
}

/** A runner driven by hand: the test writes through `sink` and reads what the pump told it. */
export interface ManualRunner {
  readonly runner: InvocationRunner;
  /** The sink of the last attempt started. */
  sink: InvocationSink | undefined;
  /** `push <text>`, `end`, `abort <reason>`, in order. */
  readonly events: string[];
}

export function manualRunner(): ManualRunner {
  const manual: ManualRunner = {
    sink: undefined,
    events: [],
    runner: (_params, sink) => {
      manual.sink = sink;
      return {
        push: (chunk) => manual.events.push(`push ${new TextDecoder().decode(chunk)}`),
        end: () => manual.events.push("end"),
        abort: (reason) => manual.events.push(`abort ${String(reason)}`),
      };
    },
  };
  return manual;
}
