// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { Opts, SendOpts, isOpts, splitArguments } from "./call-options.js";

describe("Opts / SendOpts", () => {
  it("carry the options they were built from", () => {
    const call = { idempotencyKey: "k1", headers: { a: "1" }, name: "greet" };
    const send = { delay: { minutes: 5 }, limitKey: "t/u" };
    expect(Opts.from(call).getOpts()).toBe(call);
    expect(SendOpts.from(send).getOpts()).toBe(send);
  });

  it("are recognised by isOpts, plain objects and other values are not", () => {
    expect(isOpts(Opts.from({}))).toBe(true);
    expect(isOpts(SendOpts.from({}))).toBe(true);
    expect(isOpts({ idempotencyKey: "k" })).toBe(false);
    expect(isOpts({ getOpts: () => ({}) })).toBe(false);
    expect(isOpts(null)).toBe(false);
    expect(isOpts(undefined)).toBe(false);
    expect(isOpts("opts")).toBe(false);
  });

  it("recognise a carrier of another copy of the package by its shared brand", () => {
    const brand = Symbol.for("restate-hono.opts");
    const foreign = Object.create({ [brand]: "call" }) as object;
    const withGetter = Object.assign(Object.create({ [brand]: "call" }) as object, {
      getOpts: () => ({ idempotencyKey: "x" }),
    });
    expect(isOpts(foreign)).toBe(false);
    expect(isOpts(withGetter)).toBe(true);
    expect(splitArguments([withGetter]).options).toEqual({ idempotencyKey: "x" });
  });
});

describe("splitArguments", () => {
  it("reads no arguments as no input and no options", () => {
    expect(splitArguments([])).toEqual({ input: undefined, options: undefined });
  });

  it("reads a single plain argument as the input", () => {
    const input = { name: "Till" };
    expect(splitArguments([input])).toEqual({ input, options: undefined });
    expect(splitArguments(["Till"])).toEqual({ input: "Till", options: undefined });
  });

  it("reads a single carrier as the options of a handler without input", () => {
    expect(splitArguments([Opts.from({ idempotencyKey: "k" })])).toEqual({
      input: undefined,
      options: { idempotencyKey: "k" },
    });
    expect(splitArguments([SendOpts.from({ delay: 100 })])).toEqual({
      input: undefined,
      options: { delay: 100 },
    });
  });

  it("reads the second argument as options, from a carrier or a plain object", () => {
    expect(splitArguments([1, Opts.from({ name: "n" })])).toEqual({
      input: 1,
      options: { name: "n" },
    });
    expect(splitArguments([1, { name: "plain" }])).toEqual({
      input: 1,
      options: { name: "plain" },
    });
    expect(splitArguments([1, undefined])).toEqual({ input: 1, options: undefined });
  });

  it("keeps a carrier given as input when options follow", () => {
    const asInput = Opts.from({ name: "input" });
    const split = splitArguments([asInput, { name: "options" }]);
    expect(split.input).toBe(asInput);
    expect(split.options).toEqual({ name: "options" });
  });

  it("refuses options that are not an object, and more than two arguments", () => {
    expect(() => splitArguments([1, "k"])).toThrow(TypeError);
    expect(() => splitArguments([1, null])).toThrow(TypeError);
    expect(() => splitArguments([1, {}, {}])).toThrow(/at most/);
  });
});
