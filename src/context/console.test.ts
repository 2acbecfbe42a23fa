// SPDX-License-Identifier: MIT
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ReplayAwareConsole } from "./console.js";
import { memoryLogger } from "./__fixtures__/harness.js";

describe("ReplayAwareConsole", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("writes each level with the prefix first; log and dir go to info", () => {
    const logger = memoryLogger();
    const c = new ReplayAwareConsole(logger, ["[Svc/h][inv]"], undefined);
    c.trace("t");
    c.debug("d");
    c.info("i", 1);
    c.log("l");
    c.warn("w");
    c.error("e");
    c.dir({ a: 1 });
    expect(logger.lines).toEqual([
      ["trace", ["[Svc/h][inv]", "t"]],
      ["debug", ["[Svc/h][inv]", "d"]],
      ["info", ["[Svc/h][inv]", "i", 1]],
      ["info", ["[Svc/h][inv]", "l"]],
      ["warn", ["[Svc/h][inv]", "w"]],
      ["error", ["[Svc/h][inv]", "e"]],
      ["info", ["[Svc/h][inv]", { a: 1 }]],
    ]);
  });

  it("is silent while the attempt replays, and speaks again once it processes", () => {
    const logger = memoryLogger();
    const replay = { isReplaying: true };
    const c = new ReplayAwareConsole(logger, [], replay);
    c.info("replayed");
    c.error("replayed too");
    replay.isReplaying = false;
    c.info("new");
    expect(logger.lines).toEqual([["info", ["new"]]]);
  });

  it("counts per label, and counts again from one after countReset", () => {
    const logger = memoryLogger();
    const c = new ReplayAwareConsole(logger, [], undefined);
    c.count();
    c.count("x");
    c.count();
    c.countReset();
    c.count();
    expect(logger.lines.map(([, args]) => args[0])).toEqual([
      "default: 1",
      "x: 1",
      "default: 2",
      "default: 1",
    ]);
  });

  it("indents grouped lines and asserts only on a falsy condition", () => {
    const logger = memoryLogger();
    const c = new ReplayAwareConsole(logger, ["p"], undefined);
    c.group("g");
    c.info("inner");
    c.groupEnd();
    c.info("outer");
    c.assert(true, "not logged");
    c.assert(false, "why");
    expect(logger.lines).toEqual([
      ["info", ["p", "g"]],
      ["info", ["p", "  ", "inner"]],
      ["info", ["p", "outer"]],
      ["error", ["p", "Assertion failed", "why"]],
    ]);
  });

  it("reports the time elapsed since time(), and forgets the label at timeEnd", () => {
    const logger = memoryLogger();
    const c = new ReplayAwareConsole(logger, [], undefined);
    c.time("load");
    vi.advanceTimersByTime(1500);
    c.timeEnd("load");
    c.timeLog("load");
    expect(logger.lines).toEqual([["info", ["load: 1500.000ms"]]]);
  });
});
