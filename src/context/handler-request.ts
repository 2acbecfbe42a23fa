// SPDX-License-Identifier: MIT
// `ctx.request()`: what the handler knows about its invocation and attempt. Journals nothing.
import type { ContextInit } from "./context-init.js";
import type { StartInfo } from "../journal/vm.js";
import type { Request, Target } from "./types.js";

/** The `ctx.request()` of an attempt (built once, on first use). */
export function handlerRequest(init: ContextInit): Request {
  const { input, attemptHeaders, signals, handler, vm } = init;
  return {
    target: targetOf(
      handler.service,
      handler.name,
      handler.serviceKind === "service" ? undefined : vm.start.key,
    ),
    id: vm.start.debugId,
    headers: new Map(input.headers),
    attemptHeaders,
    body: input.value,
    extraArgs: [...(init.extraArgs ?? [])],
    attemptCompletedSignal: signals.attempt,
    ...startKeys(vm.start),
  };
}

/** The invocation's V7 keys (idempotency key, scope, limit key), present only when set. */
function startKeys(start: StartInfo): Pick<Request, "idempotencyKey" | "scope" | "limitKey"> {
  const { idempotencyKey, scope, limitKey } = start;
  return {
    ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    ...(scope !== undefined ? { scope } : {}),
    ...(limitKey !== undefined ? { limitKey } : {}),
  };
}

/** The `ctx.request().target` of a handler. */
export function targetOf(service: string, handler: string, key: string | undefined): Target {
  return {
    service,
    handler,
    ...(key !== undefined ? { key } : {}),
    toString: () => (key !== undefined ? `${service}/${key}/${handler}` : `${service}/${handler}`),
  };
}
