// SPDX-License-Identifier: MIT
/**
 * Services for explicit cancellation (`internal.ContextInternal`) and `onJournalMismatchErrors`,
 * written once against the API both SDKs share and instantiated with either SDK's module
 * namespace, so the same scenario runs on both behind one server. What the handlers see goes to
 * one event log per SDK.
 */

/** A durable promise, as far as the handlers use it. */
export interface SidePromise<T> extends PromiseLike<T> {
  map<U>(mapper: (value?: T, failure?: Error) => U): SidePromise<U>;
}

/** The context operations the handlers use (`cancellation`/`cancelPreviousCalls` by cast). */
export interface SideContext {
  run<T>(name: string, action: () => Promise<T>): SidePromise<T>;
  sleep(millis: number): SidePromise<void>;
  genericCall(call: {
    service: string;
    method: string;
    parameter: Uint8Array;
  }): SidePromise<Uint8Array> & { readonly invocationId: Promise<string> };
  cancellation(): SidePromise<void>;
  cancelPreviousCalls(): SidePromise<string[]>;
}

/** A definition value: opaque here, only served. */
export interface SideDefinition {
  readonly name: string;
}

/** The part of an SDK module namespace the services use. Method syntax: bivariant parameters. */
export interface CancelSdk {
  service(init: { name: string; handlers: object; options?: object }): SideDefinition;
  readonly RestatePromise: {
    race(promises: readonly SidePromise<unknown>[]): SidePromise<unknown>;
  };
  readonly TerminalError: new (message: string) => Error;
}

/** The three choices of `onJournalMismatchErrors`, each on its own service. */
export const MISMATCH_BEHAVIORS = ["retry", "pause", "fail"] as const;
export type MismatchBehavior = (typeof MISMATCH_BEHAVIORS)[number];

const encoder = new TextEncoder();
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
const codeOf = (e: unknown) => (e as { code?: unknown }).code;

/**
 * `${prefix}Guarded.guard` (explicit cancellation): races a long sleep against `cancellation()`,
 * cleans up in a run when cancelled, then races another long sleep against the next cancel.
 * `${prefix}Parent.spawn` (explicit) calls `${prefix}Child.hold`, which sleeps until cancelled,
 * and cancels it with `cancelPreviousCalls()`. `${prefix}Fanout.fan` (implicit cancellation) calls
 * `quick`, which finishes, then `hold`, and sleeps. `${prefix}Mismatch${behavior}.drift` takes another
 * code path on every attempt after the first, so each replay is a journal mismatch.
 */
export function defineCancelServices(
  sdk: CancelSdk,
  prefix: string,
): { readonly definitions: SideDefinition[]; readonly log: string[] } {
  const log: string[] = [];
  const explicit = { explicitCancellation: true };

  const guarded = sdk.service({
    name: `${prefix}Guarded`,
    options: explicit,
    handlers: {
      guard: async (ctx: SideContext, key: string) => {
        await ctx.run("started", async () => void log.push(`started ${key}`));
        try {
          await sdk.RestatePromise.race([
            ctx.sleep(300_000),
            ctx.cancellation().map(() => {
              throw new sdk.TerminalError("cancelled");
            }),
          ]);
          return "slept";
        } catch (e) {
          await ctx.run("cleanup", async () => void log.push(`cleanup ${key} ${messageOf(e)}`));
          const next = await sdk.RestatePromise.race([
            ctx.sleep(300_000).map(() => "slept"),
            ctx.cancellation().map(() => "cancelled again"),
          ]);
          return `cleaned up after ${messageOf(e)}; then ${String(next)}`;
        }
      },
    },
  });

  const child = sdk.service({
    name: `${prefix}Child`,
    handlers: {
      quick: async () => Promise.resolve("quick"),
      hold: async (ctx: SideContext, key: string) => {
        try {
          await ctx.sleep(300_000);
          return "woke";
        } catch (e) {
          log.push(`child ${key} saw ${String(codeOf(e))} ${messageOf(e)}`);
          throw e;
        }
      },
    },
  });

  const parent = sdk.service({
    name: `${prefix}Parent`,
    options: explicit,
    handlers: {
      spawn: async (ctx: SideContext, key: string) => {
        const call = ctx.genericCall({
          service: `${prefix}Child`,
          method: "hold",
          parameter: encoder.encode(JSON.stringify(key)),
        });
        const childId = await call.invocationId;
        const cancelled = await ctx.cancelPreviousCalls();
        try {
          await call;
          return { cancelledTheChild: false };
        } catch (e) {
          return {
            cancelledTheChild: cancelled.length === 1 && cancelled[0] === childId,
            childFailure: `${String(codeOf(e))} ${messageOf(e)}`,
          };
        }
      },
    },
  });

  const fanout = sdk.service({
    name: `${prefix}Fanout`,
    handlers: {
      fan: async (ctx: SideContext, key: string) => {
        const call = (method: string) =>
          ctx.genericCall({
            service: `${prefix}Child`,
            method,
            parameter: encoder.encode(JSON.stringify(key)),
          });
        const quick = call("quick");
        await quick;
        const hold = call("hold");
        log.push(`fanned ${key} ${await quick.invocationId} ${await hold.invocationId}`);
        await ctx.sleep(300_000);
        return "slept";
      },
    },
  });

  const mismatches = MISMATCH_BEHAVIORS.map((behavior) => {
    const attempts = new Map<string, number>();
    return sdk.service({
      name: `${prefix}Mismatch${behavior}`,
      options: { onJournalMismatchErrors: behavior },
      handlers: {
        drift: async (ctx: SideContext, key: string) => {
          const attempt = attempts.get(key) ?? 0;
          attempts.set(key, attempt + 1);
          // The first attempt journals a run and fails; every later one sleeps instead.
          if (attempt === 0) {
            await ctx.run("first", async () => "journaled");
            throw new Error("first attempt fails, so the next one replays");
          }
          await ctx.sleep(1);
          return "unreachable";
        },
      },
    });
  });

  return { definitions: [guarded, child, parent, fanout, ...mismatches], log };
}
