// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { Opts, SendOpts, isOpts } from "./call-options.js";
import * as rpc from "./rpc.js";

describe("rpc", () => {
  it("opts carries the call options as an Opts marker", () => {
    const options = rpc.opts({ idempotencyKey: "req-1", headers: { tenant: "a" } });
    expect(options).toBeInstanceOf(Opts);
    expect(isOpts(options)).toBe(true);
    expect(options.getOpts()).toEqual({ idempotencyKey: "req-1", headers: { tenant: "a" } });
  });

  it("sendOpts carries the send options, the delay included, as a SendOpts marker", () => {
    const options = rpc.sendOpts({ delay: { seconds: 10 }, idempotencyKey: "send-1" });
    expect(options).toBeInstanceOf(SendOpts);
    expect(isOpts(options)).toBe(true);
    expect(options.getOpts()).toEqual({ delay: { seconds: 10 }, idempotencyKey: "send-1" });
  });
});
