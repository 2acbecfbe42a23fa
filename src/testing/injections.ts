// SPDX-License-Identifier: MIT
// Failure injection: rules the runtime checks as commands and run proposals arrive.
import type { Invocation } from "./invocation.js";

/**
 * Which invocations an injected failure applies to; every field is optional.
 *
 * @example
 * env.crashAfter(2, { service: "Trip", handler: "book", times: 1 });
 */
export interface InjectionFilter {
  readonly service?: string;
  readonly handler?: string;
  readonly key?: string;
  /** How many times the rule fires in total (default 1). */
  readonly times?: number;
}

/** What a command rule does when it fires. */
export type InjectedAction = "crash" | "cancel";

interface Rule {
  readonly filter: InjectionFilter;
  remaining: number;
}

interface CommandRule extends Rule {
  readonly afterCommand: number;
  readonly action: InjectedAction;
}

interface RunRule extends Rule {
  readonly name: string;
  readonly message: string;
}

/** The active failure-injection rules of an environment. */
export class Injections {
  readonly #runs: RunRule[] = [];
  readonly #commands: CommandRule[] = [];

  /** The next `times` proposals of runs named `name` are lost and fail their attempt. */
  failRun(name: string, times: number, message: string, filter: InjectionFilter = {}): void {
    this.#runs.push({ name, message, filter, remaining: times });
  }

  /** Fires `action` right after a matching invocation stores command `afterCommand`. */
  onCommand(afterCommand: number, action: InjectedAction, filter: InjectionFilter = {}): void {
    this.#commands.push({ afterCommand, action, filter, remaining: filter.times ?? 1 });
  }

  /** The failure message if this proposal of run `name` must fail. */
  takeRunFailure(invocation: Invocation, name: string): string | undefined {
    const rule = this.#runs.find((r) => r.name === name && live(r, invocation));
    if (rule === undefined) return undefined;
    rule.remaining--;
    return rule.message;
  }

  /** The action to take now that `invocation` stored command `index`, if any. */
  afterCommand(invocation: Invocation, index: number): InjectedAction | undefined {
    const rule = this.#commands.find((r) => r.afterCommand === index && live(r, invocation));
    if (rule === undefined) return undefined;
    rule.remaining--;
    return rule.action;
  }
}

function live(rule: Rule, invocation: Invocation): boolean {
  const { service, handler, key } = rule.filter;
  const target = invocation.target;
  return (
    rule.remaining > 0 &&
    (service === undefined || service === target.service) &&
    (handler === undefined || handler === target.handler) &&
    (key === undefined || key === target.key)
  );
}
