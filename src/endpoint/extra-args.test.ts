// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { ExtraArgs, extraArgsOf } from "./extra-args.js";

const noContext = (): never => {
  throw new Error("This context has no ExecutionContext");
};

describe("extraArgsOf", () => {
  it("unwraps the fetch handler's arguments as given", () => {
    const server = { port: 1 };
    expect(extraArgsOf(new ExtraArgs([server, 2]), noContext)).toEqual([server, 2]);
    expect(extraArgsOf(new ExtraArgs([]), noContext)).toEqual([]);
  });

  it("gives none for Node's server, whose env is the Node request and response", () => {
    expect(extraArgsOf({ incoming: {}, outgoing: {} }, noContext)).toEqual([]);
    expect(extraArgsOf(undefined, noContext)).toEqual([]);
  });

  it("gives a fetch runtime's env, and its execution context when there is one", () => {
    const env = { KV: "binding" };
    const ctx = { waitUntil() {} };
    expect(extraArgsOf(env, () => ctx)).toEqual([env, ctx]);
    expect(extraArgsOf(env, noContext)).toEqual([env]);
  });

  it("freezes what it returns", () => {
    expect(Object.isFrozen(extraArgsOf(new ExtraArgs([1]), noContext))).toBe(true);
    expect(Object.isFrozen(extraArgsOf({}, noContext))).toBe(true);
  });
});
